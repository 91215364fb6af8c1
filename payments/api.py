"""REST endpoints of the payments app."""


def register(router) -> None:
    """Add this app's viewsets to the API router."""
