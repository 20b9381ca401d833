"""API schemas, separate from domain types."""
