"""communications models."""
