"""Application layer: the event store application, use cases, authorization and settings."""
