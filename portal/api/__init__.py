"""The read-only JSON API under /api/v1, its OpenAPI document and reference page, and personal access tokens."""
