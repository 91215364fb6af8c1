"""The sign-in lockout counts an email however it is typed: QC@..., qc@... and " Qc@... " are one account."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from accounts.throttling import axes_username
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-123"
OFFICE, HOME = "10.0.0.1", "10.0.0.2"


def attempt(client, login, password, ip=OFFICE):
    return client.post(reverse("accounts:login"), {"login": login, "password": password}, REMOTE_ADDR=ip)


@pytest.fixture
def qc(db):
    return UserFactory(email="qc@forgeline.test")


def test_five_failures_in_mixed_case_lock_every_case_variant(client, qc):
    for login in ["QC@forgeline.test", "qc@FORGELINE.test", " Qc@forgeline.test ", "qC@forgeline.TEST"]:
        assert attempt(client, login, "wrong").status_code == 200
    assert attempt(client, "qc@forgeline.test", "wrong").status_code == 429  # the fifth locks
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"qc@forgeline.test"}
    for login in ["qc@forgeline.test", "QC@FORGELINE.TEST", "Qc@forgeline.test"]:
        locked = attempt(client, login, PASSWORD)
        assert locked.status_code == 429 and "locked" in locked.content.decode(), login
        assert "_auth_user_id" not in client.session


def test_a_success_in_another_case_neither_signs_in_nor_clears_the_lock(client, qc):
    for _ in range(5):
        attempt(client, "qc@forgeline.test", "wrong")
    assert attempt(client, "QC@forgeline.test", PASSWORD).status_code == 429
    assert AccessAttempt.objects.filter(username="qc@forgeline.test").exists()  # still counted
    assert attempt(client, "qc@forgeline.test", PASSWORD).status_code == 429


def test_the_lock_is_per_address_so_the_same_user_signs_in_from_elsewhere(client, qc):
    for _ in range(5):
        attempt(client, "QC@forgeline.test", "wrong")
    assert attempt(client, "qc@forgeline.test", PASSWORD).status_code == 429
    assert attempt(client, "Qc@Forgeline.test", PASSWORD, ip=HOME).status_code == 302


def test_four_failures_then_a_success_clear_the_count(client, qc):
    for _ in range(4):
        attempt(client, "QC@forgeline.test", "wrong")
    assert attempt(client, "qc@forgeline.test", PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="qc@forgeline.test").exists()


def test_the_username_is_normalised_from_every_source():
    assert axes_username(None, {"email": " QC@Forgeline.test "}) == "qc@forgeline.test"
    assert axes_username(None, {"username": "QC@forgeline.test"}) == "qc@forgeline.test"

    class Request:
        POST = {"login": "\tQC@forgeline.test "}

    assert axes_username(Request(), None) == "qc@forgeline.test"
