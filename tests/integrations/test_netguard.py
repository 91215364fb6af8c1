"""Where a webhook may point: http(s) only; never this server, a private, link-local or metadata address unless
an administrator allows private networks; the address checked is the address connected to (DNS rebinding)."""

import socket

import pytest
from django.core.exceptions import ValidationError

from core.events import EventType, event_emit
from integrations import netguard, services
from integrations.models import WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db

REFUSED = [
    "http://127.0.0.1:8000/hook",
    "http://127.1/hook",
    "http://localhost/hook",
    "http://api.localhost/hook",
    "http://[::1]/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://10.0.0.5/hook",
    "http://172.16.3.4/hook",
    "http://192.168.1.10/hook",
    "http://100.100.100.200/hook",
    "http://[fd00:ec2::254]/hook",
    "http://0.0.0.0/hook",
]


def fake_dns(monkeypatch, answers: dict[str, list[str]]):
    """Make host names resolve to the given addresses, one list per lookup (the last one repeats); count lookups."""
    calls = []
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host not in answers:
            return real(host, port, *args, **kwargs)
        calls.append(host)
        queue = answers[host]
        address = queue.pop(0) if len(queue) > 1 else queue[0]
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        return [(family, socket.SOCK_STREAM, 6, "", (address, port or 0))]

    monkeypatch.setattr(netguard.socket, "getaddrinfo", getaddrinfo)
    return calls


@pytest.mark.parametrize("url", REFUSED)
def test_a_webhook_to_this_server_or_a_private_or_metadata_address_is_refused(url, admin_user, settings):
    settings.FORGELINE_WEBHOOKS_ALLOW_PRIVATE_NETWORKS = False
    with pytest.raises(ValidationError) as refused:
        services.endpoint_create(by=admin_user, name="x", url=url, event_types=[EventType.ORDER_STATE])
    assert "url" in refused.value.error_dict
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("ftp://hooks.example.com/x", "http:// or https://"),
        ("file:///etc/passwd", "http:// or https://"),
        ("javascript:alert(1)", "http:// or https://"),
        ("https://user:pw@hooks.example.com/x", "user name or password"),
        ("http://[::1/x", "valid URL"),
        ("https:///x", "valid URL"),
    ],
)
def test_a_url_that_is_not_plain_http_or_https_is_refused_in_words(url, words, admin_user, settings):
    settings.FORGELINE_WEBHOOKS_ALLOW_PRIVATE_NETWORKS = True
    with pytest.raises(ValidationError) as refused:
        services.endpoint_create(by=admin_user, name="x", url=url, event_types=[EventType.ORDER_STATE])
    assert words in " ".join(refused.value.message_dict["url"])


def test_a_host_name_that_resolves_to_a_private_address_is_refused(admin_user, settings, monkeypatch):
    settings.FORGELINE_WEBHOOKS_ALLOW_PRIVATE_NETWORKS = False
    fake_dns(monkeypatch, {"intranet.example.com": ["10.1.2.3"]})
    with pytest.raises(ValidationError) as refused:
        services.endpoint_create(
            by=admin_user, name="x", url="https://intranet.example.com/", event_types=[EventType.ORDER_STATE]
        )
    assert "10.1.2.3" in " ".join(refused.value.message_dict["url"])


def test_a_public_host_is_accepted_and_private_ones_too_once_an_administrator_allows_them(
    admin_user, settings, monkeypatch
):
    settings.FORGELINE_WEBHOOKS_ALLOW_PRIVATE_NETWORKS = False
    fake_dns(monkeypatch, {"hooks.example.com": ["93.184.215.14"]})
    services.endpoint_create(
        by=admin_user, name="ok", url="https://hooks.example.com/in", event_types=[EventType.ORDER_STATE]
    )
    settings.FORGELINE_WEBHOOKS_ALLOW_PRIVATE_NETWORKS = True
    services.endpoint_create(
        by=admin_user, name="lan", url="http://10.0.0.5:8080/in", event_types=[EventType.ORDER_STATE]
    )
    assert WebhookEndpoint.objects.count() == 2


def test_a_name_that_turns_private_after_the_check_reaches_nothing(
    admin_user, settings, monkeypatch, receiver, supplier_a
):
    """DNS rebinding: public when the endpoint is saved, 127.0.0.1 when the event is sent."""
    settings.FORGELINE_WEBHOOKS_ALLOW_PRIVATE_NETWORKS = False
    calls = fake_dns(monkeypatch, {"rebind.example.com": ["93.184.215.14", "127.0.0.1"]})
    services.endpoint_create(
        by=admin_user,
        name="rebind",
        url=f"http://rebind.example.com:{receiver.port}/hook",
        event_types=[EventType.SUPPLIER_STAGE],
    )
    event_emit(EventType.SUPPLIER_STAGE, supplier_a, state="approved")
    delivery = WebhookDelivery.objects.get()

    assert services.delivery_send(delivery_id=delivery.pk) is False

    assert receiver.requests == []
    delivery.refresh_from_db()
    assert "this server" in delivery.last_error
    assert delivery.attempt_log.get().status_code is None
    assert calls == ["rebind.example.com", "rebind.example.com"]  # once when saved, once for the send


def test_a_send_resolves_the_name_once_and_connects_to_that_address_with_the_original_host(
    admin_user, private_allowed, monkeypatch, receiver, supplier_a
):
    services.endpoint_create(
        by=admin_user,
        name="named",
        url=f"http://hooks.internal.test:{receiver.port}/hook?via=forgeline",
        event_types=[EventType.SUPPLIER_STAGE],
    )
    calls = fake_dns(monkeypatch, {"hooks.internal.test": ["127.0.0.1"]})
    event_emit(EventType.SUPPLIER_STAGE, supplier_a, state="approved")

    assert services.delivery_send(delivery_id=WebhookDelivery.objects.get().pk) is True

    assert calls == ["hooks.internal.test"]
    (request,) = receiver.requests
    assert request.headers["host"] == f"hooks.internal.test:{receiver.port}"
    assert request.path == "/hook?via=forgeline"


def test_a_redirect_is_not_followed_and_counts_as_a_failure(endpoint, receiver, supplier_a):
    receiver.answers = [302]
    event_emit(EventType.SUPPLIER_STAGE, supplier_a, state="approved")
    delivery = WebhookDelivery.objects.get()
    assert services.delivery_send(delivery_id=delivery.pk) is False
    delivery.refresh_from_db()
    assert delivery.last_status_code == 302 and delivery.status == WebhookDelivery.Status.PENDING
    assert len(receiver.requests) == 1


def test_a_receiver_that_does_not_answer_in_time_is_a_failure_not_a_hang(endpoint, supplier_a, monkeypatch):
    import urllib3

    from integrations import sender

    monkeypatch.setattr(sender, "TIMEOUT", urllib3.Timeout(connect=0.5, read=0.5))
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)  # accepts the connection, never answers
    try:
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
            url=f"http://127.0.0.1:{silent.getsockname()[1]}/slow"
        )
        event_emit(EventType.SUPPLIER_STAGE, supplier_a, state="approved")
        delivery = WebhookDelivery.objects.get()
        assert services.delivery_send(delivery_id=delivery.pk) is False
    finally:
        silent.close()
    delivery.refresh_from_db()
    assert "Timeout" in delivery.last_error or "timed out" in delivery.last_error


def test_an_https_receiver_with_an_untrusted_certificate_is_refused_not_trusted(
    endpoint, supplier_a, monkeypatch, tmp_path
):
    """TLS is verified against the URL's host name, although the connection goes to the checked address."""
    import ssl
    import subprocess
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=hooks.tls.test",
            "-addext",
            "subjectAltName=DNS:hooks.tls.test",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    got = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            got.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        fake_dns(monkeypatch, {"hooks.tls.test": ["127.0.0.1"]})
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
            url=f"https://hooks.tls.test:{server.server_address[1]}/in"
        )
        event_emit(EventType.SUPPLIER_STAGE, supplier_a, state="approved")
        delivery = WebhookDelivery.objects.get()
        assert services.delivery_send(delivery_id=delivery.pk) is False
    finally:
        server.shutdown()
        server.server_close()
    delivery.refresh_from_db()
    assert "CERTIFICATE_VERIFY_FAILED" in delivery.last_error or "certificate" in delivery.last_error.lower()
    assert got == []
