"""The public JSON API (django-ninja), served under /api/v1/ with its OpenAPI document."""
