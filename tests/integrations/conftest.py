"""A real HTTP receiver on 127.0.0.1 (http.server in a thread) and the endpoints and channels that post to it.

The receiver is on this machine, so every test that sends to it turns on the administrator's setting that allows
private networks; the tests of the network guard turn it off.
"""

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from integrations import services
from integrations.models import ChatChannel


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body)


@dataclass
class Receiver:
    """What the receiver got, and the statuses it answers with next (200 once the list is empty)."""

    port: int
    requests: list = field(default_factory=list)
    answers: list = field(default_factory=list)

    def url(self, path="/hooks/forgeline"):
        return f"http://127.0.0.1:{self.port}{path}"


@pytest.fixture
def receiver():
    state = Receiver(port=0)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            state.requests.append(Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
            status = state.answers.pop(0) if state.answers else 200
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def private_allowed(settings):
    settings.FORGELINE_WEBHOOKS_ALLOW_PRIVATE_NETWORKS = True
    return settings


@pytest.fixture
def endpoint(admin_user, receiver, private_allowed):
    """An endpoint on the local receiver that wants every event, owned by the administrator."""
    from core.events import EventType

    return services.endpoint_create(
        by=admin_user, name="ERP", url=receiver.url(), event_types=EventType.values, owner=admin_user
    )


@pytest.fixture
def slack(admin_user, receiver, private_allowed):
    return services.channel_create(
        by=admin_user, name="#suppliers", kind=ChatChannel.Kind.SLACK, url=receiver.url("/slack")
    )
