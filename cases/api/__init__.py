"""The casebook's read API under /api/v1/: public data only, the same filters as the pages,
JSON or CSV, described by an OpenAPI schema (drf-spectacular)."""
