"""What a production server needs and refuses: the deploy checks (base URL, sender, SMTP), cookies under the
production settings, the health endpoint and probes, seed_demo, and the compose file's promises."""

import importlib
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from unittest import mock

import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import OperationalError, connection
from django.urls import reverse

from accounts.models import User
from config import checks
from config.healthcheck import beat_is_healthy
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "pw-for-tests-123"  # what tests.factories.UserFactory sets


@pytest.fixture
def production(monkeypatch):
    """The production settings module, imported with the environment a server gives it."""
    monkeypatch.setenv(
        "DJANGO_SECRET_KEY", "production-settings-under-test-0123456789-abcdefghijklmnopqrstuv"
    )
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "srm.example.com")
    sys.modules.pop("config.settings.production", None)
    yield importlib.import_module("config.settings.production")
    sys.modules.pop("config.settings.production", None)


# --- Deploy checks ----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_database_checks_migrate_runs_pass():
    """`migrate` (and `check --database`) run the checks that need a database, which a plain `check` skips: every
    index and constraint name within 30 characters (models.E034), so no one needs --skip-checks."""
    call_command("check", databases=["default"], fail_level="WARNING")


@pytest.mark.parametrize(
    "url",
    [
        "",
        "http://127.0.0.1:8000",  # the development default
        "http://srm.example.com",
        "https://localhost",
        "https://127.0.0.1:8443",
        "https://forgeline.localhost",
        "https://web:8000",  # the compose service name: nobody outside the server resolves it
        "https://[::1]/",
        "srm.example.com",
    ],
)
def test_deploy_check_refuses_a_base_url_recipients_cannot_open(settings, url):
    settings.FORGELINE_BASE_URL = url
    assert [error.id for error in checks.base_url_check(None)] == ["forgeline.E001"]


@pytest.mark.parametrize("url", ["https://srm.example.com", "https://forgeline.example.com:8443/srm"])
def test_deploy_check_accepts_an_https_base_url(settings, url):
    settings.FORGELINE_BASE_URL = url
    assert checks.base_url_check(None) == []


@pytest.mark.parametrize(
    "sender",
    ["Forgeline <forgeline@localhost>", "webmaster@localhost", "root", "", "srm@web", "srm@127.0.0.1"],
)
def test_deploy_check_refuses_the_development_sender(settings, sender):
    settings.DEFAULT_FROM_EMAIL = sender
    assert [error.id for error in checks.sender_address_check(None)] == ["forgeline.E002"]


@pytest.mark.parametrize("sender", ["Forgeline <srm@example.com>", "forgeline@mail.example.co.uk"])
def test_deploy_check_accepts_a_sender_of_a_real_domain(settings, sender):
    settings.DEFAULT_FROM_EMAIL = sender
    assert checks.sender_address_check(None) == []


def test_deploy_check_refuses_email_that_reaches_nobody(settings):
    for backend in ("console", "locmem", "filebased", "dummy"):
        settings.EMAIL_BACKEND = f"django.core.mail.backends.{backend}.EmailBackend"
        assert [error.id for error in checks.email_backend_check(None)] == ["forgeline.E003"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    assert checks.email_backend_check(None) == []


def makefile_check_deploy_environment() -> dict[str, str]:
    """The variables `make check-deploy` sets, with its defaults (VAR=$${VAR:-default})."""
    recipe = (ROOT / "Makefile").read_text().split("\ncheck-deploy:", 1)[1].split("\n\n", 1)[0]
    found = dict(re.findall(r"^\t?([A-Z_]+)=\$\$\{\1:-([^}$]+)\}", recipe, flags=re.M))
    assert {"FORGELINE_BASE_URL", "DJANGO_DEFAULT_FROM_EMAIL", "EMAIL_URL"} <= set(found), found
    return found


def run_check_deploy(**environment) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "FORGELINE_", "EMAIL_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY="check-deploy-under-test-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEF",
        DJANGO_ALLOWED_HOSTS="forgeline.example.com",
    )
    env.update(environment)
    command = [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_check_deploy_with_the_makefiles_values_is_clean_and_without_them_fails():
    clean = run_check_deploy(**makefile_check_deploy_environment())
    assert clean.returncode == 0, clean.stderr
    bare = run_check_deploy()
    assert bare.returncode == 1
    for error in ("forgeline.E001", "forgeline.E002", "forgeline.E003"):
        assert error in bare.stderr


# --- Cookies under production settings --------------------------------------------------------------------------


def test_production_settings_make_every_django_cookie_secure_httponly_lax_and_host_only(production):
    for cookie in ("SESSION", "CSRF", "LANGUAGE"):
        assert getattr(production, f"{cookie}_COOKIE_SECURE") is True, cookie
        assert getattr(production, f"{cookie}_COOKIE_HTTPONLY") is True, cookie
        assert getattr(production, f"{cookie}_COOKIE_SAMESITE") == "Lax", cookie
        assert getattr(production, f"{cookie}_COOKIE_NAME").startswith("__Host-"), cookie
    # Flash messages ride in the session, so there is no "messages" cookie to forget.
    assert production.MESSAGE_STORAGE.endswith("SessionStorage")
    assert production.MFA_TRUST_COOKIE_NAME.startswith("__Host-")


class LoginForm(HTMLParser):
    """The names of the sign-in form's fields (whatever the sign-in app calls them)."""

    def __init__(self):
        super().__init__()
        self.login = self.password = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag != "input" or not attributes.get("name"):
            return
        if attributes.get("type") == "password" and not self.password:
            self.password = attributes["name"]
        elif attributes.get("type") in ("text", "email") and not self.login:
            self.login = attributes["name"]


def test_every_cookie_the_app_sets_is_secure_under_production_settings(client, db, settings, production):
    for name in dir(production):
        if re.match(r"(SESSION|CSRF|LANGUAGE)_COOKIE_|MESSAGE_STORAGE$", name):
            setattr(settings, name, getattr(production, name))
    user = UserFactory()
    login_page = client.get(reverse("accounts:login"))
    form = LoginForm()
    form.feed(login_page.content.decode())
    signed_in = client.post(reverse("accounts:login"), {form.login: user.email, form.password: PASSWORD})
    assert signed_in.status_code == 302
    language = client.post(reverse("set_language"), {"language": "vi", "next": "/"})
    cookies = {}
    for response in (login_page, signed_in, language):
        cookies.update(response.cookies)
    assert {"__Host-csrftoken", "__Host-sessionid", "__Host-language"} <= set(cookies)
    for name, morsel in cookies.items():
        assert name.startswith("__Host-"), name
        assert morsel["secure"] and morsel["httponly"], name
        assert morsel["samesite"] == "Lax" and morsel["path"] == "/" and not morsel["domain"], name


def test_users_language_cookie_is_read_under_its_production_name(client, db, settings, production):
    settings.LANGUAGE_COOKIE_NAME = production.LANGUAGE_COOKIE_NAME
    user = UserFactory(language="vi")
    client.force_login(user)
    client.cookies[production.LANGUAGE_COOKIE_NAME] = "zh-hans"  # chosen in the menu, over the profile's
    assert client.get(reverse("accounts:profile")).headers["Content-Language"] == "zh-hans"


# --- Health ----------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_healthz_answers_200_to_anyone_and_says_nothing_else(client):
    for method in (client.get, client.head):
        response = method("/healthz")
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
    assert client.get("/healthz").content == b"ok\n"
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_does_not(client):
    def refuse():
        raise OperationalError("connection refused")

    with mock.patch.object(connection, "ensure_connection", refuse):
        response = client.get("/healthz")
    assert response.status_code == 503 and response.content == b"unavailable\n"


def test_beat_probe_wants_a_recently_written_schedule(tmp_path):
    schedule = tmp_path / "celerybeat-schedule"
    assert not beat_is_healthy(str(schedule))
    written = tmp_path / "celerybeat-schedule.db"  # dbm picks the suffix
    written.write_bytes(b"")
    assert beat_is_healthy(str(schedule))
    os.utime(written, (0, 0))
    assert not beat_is_healthy(str(schedule))


# --- seed_demo --------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_seed_demo_refuses_to_run_where_demo_data_is_not_allowed(settings):
    settings.FORGELINE_DEMO_ALLOWED = False
    with pytest.raises(CommandError, match="refuses to run"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_only_local_and_test_settings_allow_demo_data(production):
    assert production.FORGELINE_DEMO_ALLOWED is False
    assert importlib.import_module("config.settings.base").FORGELINE_DEMO_ALLOWED is False
    assert importlib.import_module("config.settings.local").FORGELINE_DEMO_ALLOWED is True
    assert settings.FORGELINE_DEMO_ALLOWED is True  # the test settings, so the demo's own test runs


# --- docker-compose.yml and the image ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_takes_every_secret_and_address_from_the_environment(compose):
    app = compose["services"]["web"]["environment"]
    assert compose["services"]["postgres"]["environment"]["POSTGRES_PASSWORD"].startswith(
        "${POSTGRES_PASSWORD:?"
    )
    assert "${POSTGRES_PASSWORD:?" in app["DATABASE_URL"]
    for name in ("DJANGO_SECRET_KEY", "EMAIL_URL", "FORGELINE_BASE_URL", "DJANGO_DEFAULT_FROM_EMAIL"):
        assert app[name].startswith(f"${{{name}:?"), name  # required: compose stops without it
    assert "mailpit" not in app["EMAIL_URL"]


def test_compose_has_mailpit_only_in_the_dev_profile_on_this_machine_behind_a_password(compose):
    mailpit = compose["services"]["mailpit"]
    assert mailpit["profiles"] == ["dev"]
    assert all(port.startswith("127.0.0.1:") for port in mailpit["ports"])
    assert "MP_UI_AUTH" in mailpit["environment"] and "MP_UI_AUTH" in " ".join(mailpit["entrypoint"])
    others = [s for name, s in compose["services"].items() if name != "mailpit"]
    assert not any("profiles" in service for service in others)


def test_compose_checks_health_and_starts_the_app_after_migrations(compose):
    services = compose["services"]
    assert "check --deploy" in services["migrate"]["command"] and "migrate" in services["migrate"]["command"]
    for name in ("web", "worker", "beat"):
        assert services[name]["healthcheck"]["test"], name
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}, (
            name
        )
    assert "/health/" in (ROOT / "config" / "healthcheck.py").read_text()
    assert "inspect ping" in " ".join(services["worker"]["healthcheck"]["test"])


def test_compose_keeps_beats_schedule_on_a_volume(compose):
    beat = compose["services"]["beat"]
    schedule = re.search(r"--schedule=(\S+)", beat["command"]).group(1)
    volume, _mount = next(v.split(":") for v in beat["volumes"] if schedule.startswith(v.split(":")[1] + "/"))
    assert volume in compose["volumes"]
    assert schedule in beat["healthcheck"]["test"]


def test_image_leaves_out_environments_secrets_history_and_runtime_data():
    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()}
    assert {".venv", "var", ".git", ".env"} <= ignored
