"""The partnership ledger's API endpoints."""


def register(router) -> None:
    """Add this app's endpoints to the project's API router."""
