"""Vietnamese formats."""
