"""HTTP API, CLI and composition root of investledger."""
