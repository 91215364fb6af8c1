"""REST endpoints of the communications app."""


def register(router) -> None:
    """Add this app's viewsets to the API router."""
