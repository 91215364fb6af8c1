"""An administrator registers a webhook endpoint for "red flag raised" on the integrations pages, pointing at a real
HTTP receiver on this machine; the scan raises a flag, the queued task POSTs it, the receiver checks the HMAC-SHA256
signature with the secret the page showed once, the delivery log shows the attempt (status, response time), and
"Replay" sends the same event again, with the same event id."""

import hashlib
import hmac
import json
import re
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from core.clock import business_today
from integrations.models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from scorecards import alerts
from scorecards.models import RedFlag
from suppliers.models import Stage
from tests.e2e.conftest import login
from tests.factories import CertificationFactory, SupplierFactory, UserFactory


class Receiver:
    """An ERP's webhook receiver: it answers 200 to a POST whose signature verifies with `secret`, 401 otherwise."""

    def __init__(self):
        self.secret = ""
        self.requests: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                headers = {name.lower(): value for name, value in self.headers.items()}
                verified = receiver.verify(headers, body)
                receiver.requests.append({"headers": headers, "body": body, "ok": verified})
                self.send_response(200 if verified else 401)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/forgeline"

    def verify(self, headers, body: bytes) -> bool:
        """What the README asks of a receiver: a fresh timestamp and sha256=HMAC(secret, "<timestamp>.<body>")."""
        timestamp = headers.get("x-forgeline-timestamp", "")
        if not self.secret or not timestamp.isdigit() or abs(time.time() - int(timestamp)) > 300:
            return False
        expected = hmac.new(
            self.secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256
        ).hexdigest()
        return hmac.compare_digest("sha256=" + expected, headers.get("x-forgeline-signature", ""))


@pytest.fixture
def receiver(settings):
    # The receiver is on this machine: an administrator has allowed private networks (README → Webhooks).
    settings.FORGELINE_WEBHOOKS_ALLOW_PRIVATE_NETWORKS = True
    state = Receiver()
    thread = threading.Thread(target=state.server.serve_forever, daemon=True)
    thread.start()
    yield state
    state.server.shutdown()
    state.server.server_close()


def click_and_wait(page, role, name, **kwargs):
    with page.expect_navigation():
        page.get_by_role(role, name=name, **kwargs).click()


def test_an_administrator_receives_a_signed_red_flag_sees_the_attempt_and_replays_it(page, receiver):
    admin = UserFactory(role=Role.ADMIN, full_name="Adam Admin", is_staff=True, is_superuser=True)
    buyer = UserFactory(role=Role.PROCUREMENT, full_name="Bea Buyer")
    supplier = SupplierFactory(name="Kestrel Textiles", owner=buyer, stage=Stage.APPROVED)
    login(page, admin.email)

    # Register the endpoint: the ERP's URL and only "Red flag raised".
    page.goto(reverse("integrations:list"))
    click_and_wait(page, "link", "New webhook")
    page.get_by_label("Name").fill("ERP")
    page.get_by_label("URL").fill(receiver.url)
    page.get_by_label("Red flag raised").check()
    click_and_wait(page, "button", "Register")
    expect(page.locator(".alert-success")).to_contain_text("Webhook endpoint registered.")
    secret = page.locator("#webhook-secret").inner_text().strip()
    endpoint = WebhookEndpoint.objects.get()
    assert secret == endpoint.secret and len(secret) >= 32
    assert endpoint.event_types == ["red_flag.raised"]
    receiver.secret = secret  # copied into the receiving system, as the page asks

    # An event happens: the supplier's certificate expires in ten days and the scan raises a red flag. Its
    # delivery is queued when the scan's transaction commits (the test settings run the task at once).
    CertificationFactory(supplier=supplier, valid_until=timezone.localdate() + timedelta(days=10))
    (flag,) = alerts.flags_evaluate(today=business_today(), now=timezone.now())
    assert flag.rule == RedFlag.Rule.CERTIFICATION

    (request,) = receiver.requests
    event = WebhookEvent.objects.get()
    assert request["ok"], "the signature does not verify with the secret the page showed"
    assert request["headers"]["x-forgeline-event"] == "red_flag.raised"
    assert request["headers"]["x-forgeline-event-id"] == str(event.uuid)
    body = json.loads(request["body"])
    assert body["id"] == str(event.uuid) and body["type"] == "red_flag.raised"
    assert body["data"]["supplier"] == {"id": supplier.pk, "name": "Kestrel Textiles"}
    assert body["data"]["red_flag"]["rule"] == RedFlag.Rule.CERTIFICATION
    # The receiver would have refused the body changed on the way, or signed with another secret.
    assert not receiver.verify(request["headers"], request["body"] + b" ")
    receiver.secret = "whsec_other"
    assert not receiver.verify(request["headers"], request["body"])
    receiver.secret = secret

    # The delivery log: the endpoint's page lists it, delivered with HTTP 200 on the first attempt.
    click_and_wait(page, "link", "Done")
    row = page.locator("table tbody tr", has_text="Red flag raised")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Delivered")
    expect(row).to_contain_text(str(event.uuid)[:10])
    expect(row.locator("td").nth(3)).to_have_text("1")
    expect(row.locator("td").nth(4)).to_have_text("200")

    # The delivery: the event id and each attempt with its HTTP status and response time.
    click_and_wait(page, "link", "Red flag raised")
    expect(page.locator("dl")).to_contain_text(str(event.uuid))
    attempt = page.locator("table tbody tr").first
    expect(attempt.locator("td").nth(0)).to_have_text("1")
    expect(attempt.locator("td").nth(2)).to_have_text("200")
    expect(attempt.locator("td").nth(3)).to_have_text(re.compile(r"^\d+$"))
    first = WebhookDelivery.objects.get()
    (logged,) = first.attempt_log.all()
    expect(attempt.locator("td").nth(3)).to_have_text(str(logged.duration_ms))

    # Replay: the same event goes out again, as a new delivery, with the same event id and a fresh signature.
    click_and_wait(page, "button", "Replay")
    expect(page.locator(".alert-success")).to_contain_text("Queued again, with the same event id.")
    replay = WebhookDelivery.objects.exclude(pk=first.pk).get()
    assert replay.replay_of_id == first.pk and replay.event_id == first.event_id
    expect(page).to_have_url(re.compile(rf"/deliveries/{replay.pk}/$"))
    expect(page.get_by_role("link", name=f"#{first.pk}")).to_be_visible()  # "Replay of #…"
    expect(page.locator("dl")).to_contain_text("Delivered")
    expect(page.locator("table tbody tr").first.locator("td").nth(2)).to_have_text("200")

    assert len(receiver.requests) == 2
    again = receiver.requests[1]
    assert again["ok"]
    assert again["headers"]["x-forgeline-event-id"] == str(event.uuid)
    assert json.loads(again["body"])["id"] == str(event.uuid)  # the receiver drops it as a duplicate
    replay.refresh_from_db()
    assert replay.status == WebhookDelivery.Status.DELIVERED and replay.last_status_code == 200
