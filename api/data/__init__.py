"""Data access: each function runs the SQL written beside it through `api.db.db`."""
