"""One POST to a webhook or chat URL: the signature, the connection to the checked address, the outcome.

Signature: `X-Forgeline-Signature: sha256=<hex>` is HMAC-SHA256, keyed with the endpoint's secret, of
`<timestamp>.<body>` where the timestamp (Unix seconds) is sent as `X-Forgeline-Timestamp`; a receiver checks
both and refuses a timestamp older than a few minutes (a replayed capture). README → "Webhooks and chat".
"""

import hashlib
import hmac
import json
import time
from dataclasses import dataclass

import urllib3
from django.core.exceptions import ValidationError

from .netguard import destination_resolve

TIMEOUT = urllib3.Timeout(connect=5.0, read=5.0)
USER_AGENT = "Forgeline-Webhooks/1.0"


@dataclass(frozen=True)
class Outcome:
    """What one POST gave: the HTTP status (None when no answer came), the error in words, the time taken."""

    status_code: int | None
    error: str
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def signature(*, secret: str, timestamp: int, body: bytes) -> str:
    """Return the signature header's value for a body sent at `timestamp`."""
    signed = str(timestamp).encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def json_body(data) -> bytes:
    """Encode a payload the way it is signed and sent (compact UTF-8 JSON)."""
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False, sort_keys=True).encode()


def post(*, url: str, body: bytes, headers: dict[str, str]) -> Outcome:
    """POST `body` to `url` (checked and resolved once, connected to the checked address); never raises."""
    started = time.monotonic()

    def outcome(status_code=None, error=""):
        return Outcome(status_code, error[:2000], int((time.monotonic() - started) * 1000))

    try:
        destination = destination_resolve(url)
    except ValidationError as exc:
        return outcome(error=" ".join(exc.messages))
    if destination.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            destination.address,
            destination.port,
            timeout=TIMEOUT,
            retries=False,
            maxsize=1,
            cert_reqs="CERT_REQUIRED",
            server_hostname=destination.host,
            assert_hostname=destination.host,
        )
    else:
        pool = urllib3.HTTPConnectionPool(
            destination.address, destination.port, timeout=TIMEOUT, retries=False, maxsize=1
        )
    try:
        with pool:
            response = pool.urlopen(
                "POST",
                destination.path,
                body=body,
                headers={
                    "Host": destination.host_header,
                    "Content-Type": "application/json",
                    "User-Agent": USER_AGENT,
                    **headers,
                },
                redirect=False,  # a redirect could lead anywhere: it counts as a failure
                preload_content=False,
                assert_same_host=False,
            )
            response.read(4096, decode_content=False)  # drain a little; the body is not kept
            response.release_conn()
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        return outcome(error=f"{type(exc).__name__}: {exc}")
    if 200 <= response.status < 300:
        return outcome(response.status)
    return outcome(response.status, f"HTTP {response.status}")
