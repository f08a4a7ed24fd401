"""HTTP resources: one flask-smorest Blueprint per area, one MethodView per URL."""
