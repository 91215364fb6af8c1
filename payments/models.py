"""payments models."""
