"""The partnership ledger's API endpoints."""

from . import ideas_api, training_api


def register(router) -> None:
    """Add this app's endpoints to the project's API router."""
    ideas_api.register(router)
    training_api.register(router)
