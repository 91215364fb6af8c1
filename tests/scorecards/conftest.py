import pytest


@pytest.fixture
def staff(client, manager):
    """A manager's signed-in browser."""
    client.force_login(manager)
    return client
