"""marshmallow schemas: every input the API accepts and every output it produces."""
