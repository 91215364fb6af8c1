"""Small helpers the test modules share (the shared fixtures are in tests/conftest.py)."""

from tests.factories import api_token_for


def authed(api_client, user):
    """Return `api_client` carrying a fresh API token of `user` (as an ERP or a factory's script would)."""
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_for(user)}")
    return api_client


def body_of(response) -> str:
    """Return a response's body as text."""
    return response.content.decode()
