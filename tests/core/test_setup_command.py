"""`manage.py setup`: what a fresh database needs, created once; running it again changes nothing."""

import io

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from accounts.roles import Role
from audits.models import ChecklistQuestion, ChecklistTemplate
from scorecards.models import DEFAULT_TARGETS, KpiTarget
from suppliers.models import ProductCategory

pytestmark = pytest.mark.django_db


def run(**kwargs) -> str:
    out = io.StringIO()
    call_command("setup", interactive=False, stdout=out, **kwargs)
    return out.getvalue()


def test_setup_creates_what_a_fresh_database_needs_and_a_second_run_changes_nothing(monkeypatch):
    monkeypatch.setenv("FORGELINE_ADMIN_EMAIL", "Admin@Example.com")
    monkeypatch.setenv("FORGELINE_ADMIN_PASSWORD", "a-long-enough-passphrase-42")
    first = run()
    assert "administrator created: admin@example.com" in first
    admin = User.objects.get(email="admin@example.com")
    assert (
        admin.role == Role.ADMIN
        and admin.is_superuser
        and admin.check_password("a-long-enough-passphrase-42")
    )
    counts = (
        ProductCategory.objects.count(),
        ChecklistTemplate.objects.count(),
        ChecklistQuestion.objects.count(),
        KpiTarget.objects.count(),
    )
    assert counts[0] == 8 and counts[1] == 1 and counts[2] == 11 and counts[3] == len(DEFAULT_TARGETS)

    second = run()
    assert "administrator: one exists already" in second and "created: 0" in second
    assert counts == (
        ProductCategory.objects.count(),
        ChecklistTemplate.objects.count(),
        ChecklistQuestion.objects.count(),
        KpiTarget.objects.count(),
    )
    assert User.objects.count() == 1


def test_an_edited_default_target_is_kept(admin_user):
    kpi, _value = next(iter(DEFAULT_TARGETS.items()))
    KpiTarget.objects.create(kpi=kpi, value=42)
    run()
    assert KpiTarget.objects.get(kpi=kpi, category=None, supplier=None).value == 42


def test_without_an_administrator_or_its_details_it_says_what_to_set(monkeypatch):
    monkeypatch.delenv("FORGELINE_ADMIN_EMAIL", raising=False)
    monkeypatch.delenv("FORGELINE_ADMIN_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="FORGELINE_ADMIN_EMAIL"):
        run()


def test_a_weak_password_is_refused(monkeypatch):
    monkeypatch.setenv("FORGELINE_ADMIN_EMAIL", "admin@example.com")
    monkeypatch.setenv("FORGELINE_ADMIN_PASSWORD", "123")
    with pytest.raises(CommandError, match="refused"):
        run()
    assert not User.objects.exists()
