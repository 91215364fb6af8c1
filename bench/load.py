"""(6) Load: what a user feels. The app served by gunicorn (production settings, sync workers) on the size's
database, each page requested over HTTP by 1 client and then by 8 at once, next to the sign-in page as a floor.

Each client is a thread with its own keep-alive connection and the signed-in session of a manager (staff pages)
or of a factory contact (portal pages), created by Django's own login code. Clients walk the page list in a
shuffled order, `rounds` times; the figure per page is its p50 and p95 over every request of every client.
The target (issue 16): every page's one-client p95 ≤ 100 ms at size M, and at most 1.5× its figure at size S.
"""

import http.client
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field

from bench.common import ROOT, BenchError

TARGET_P95_MS = 100.0
TARGET_M_OVER_S = 1.5


@dataclass
class Page:
    key: str
    url: str
    who: str = (
        "staff"  # whose session requests it: "staff" (a manager), "factory" (its contact) or "anonymous"
    )
    times_ms: list[float] = field(default_factory=list)
    kb: int = 0


def pages(*, supplier) -> list[Page]:
    """Return the pages measured: every big staff list, the portfolio, the rows behind a figure, API lists,
    the factory's own lists, and the sign-in page (no data: the floor the others are read against)."""
    from django.urls import reverse

    return [
        Page("sign_in", reverse("account_login"), who="anonymous"),
        Page("home", "/"),
        Page("suppliers", reverse("suppliers:list")),
        Page("orders", reverse("orders:list")),
        Page("deliveries", reverse("orders:delivery_list")),
        Page("invoices", reverse("payments:invoice_list")),
        Page("payments_due", reverse("payments:invoice_due")),
        Page("red_flags", reverse("scorecards:flag_list")),
        Page("portfolio", reverse("scorecards:portfolio")),
        Page("scorecard", reverse("scorecards:supplier", args=[supplier.pk])),
        Page("behind_on_time", reverse("scorecards:behind", args=[supplier.pk, "on_time_delivery"])),
        Page("raise_issue", reverse("communications:issue_create")),
        Page("api_deliveries", "/api/v1/deliveries/"),
        Page("api_scorecards", "/api/v1/scorecards/?sort=worst"),
        Page("api_orders", "/api/v1/orders/"),
        Page("portal_home", reverse("portal:home"), who="factory"),
        Page("portal_orders", reverse("portal:orders"), who="factory"),
        Page("portal_scorecard", reverse("portal:scorecard"), who="factory"),
    ]


def _session_cookie(user) -> str:
    """Sign the user in as the login view would (a session row in the database gunicorn reads)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.test import Client

    if user.role in ("manager", "admin") and not Authenticator.objects.filter(user=user).exists():
        TOTP.activate(user, generate_totp_secret())  # MFA-required roles must have enrolled
    client = Client()
    client.force_login(user)
    return f"__Host-sessionid={client.session.session_key}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    """gunicorn serving the app on a free local port, with `workers` sync workers."""

    def __init__(self, *, workers: int, log_path):
        self.port = _free_port()
        binary = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or "gunicorn"
        from django.conf import settings

        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.settings_web",
            "DJANGO_LOG_LEVEL": "WARNING",
            # The sessions are signed in by this process: the server must check them with the same key.
            "DJANGO_SECRET_KEY": settings.SECRET_KEY,
        }
        self.log = open(log_path, "wb")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            [binary, "config.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(workers), "--timeout", "60"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"gunicorn exited ({self.process.returncode}); see {log_path}")
            try:
                self.get("/healthz", "")
                return
            except OSError:
                time.sleep(0.2)
        raise BenchError(f"gunicorn did not answer within 60 s; see {log_path}")

    def get(self, url: str, cookie: str, connection=None) -> tuple[int, bytes]:
        conn = connection or http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        conn.request("GET", url, headers={"Cookie": cookie, "Accept": "text/html,application/json"})
        response = conn.getresponse()
        body = response.read()
        if connection is None:
            conn.close()
        return response.status, body

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def _walk(
    server: Gunicorn, page_list: list[Page], cookies: dict, rounds: int, seed: int, errors: list
) -> None:
    """One client: `rounds` passes over the pages in its own shuffled order, on one keep-alive connection."""
    rng = random.Random(seed)
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
    for _ in range(rounds):
        order = page_list[:]
        rng.shuffle(order)
        for page in order:
            started = time.perf_counter()
            try:
                status, body = server.get(page.url, cookies[page.who], connection)
            except (OSError, http.client.HTTPException) as exc:
                errors.append(f"{page.url}: {exc!r}")
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
                continue
            elapsed = (time.perf_counter() - started) * 1000
            if status != 200:
                errors.append(f"{page.url}: HTTP {status}")
                continue
            page.times_ms.append(elapsed)
            page.kb = round(len(body) / 1024)
    connection.close()


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 1)


def bench_load(*, size_name: str, supplier, manager, factory_user, rounds: int, workers: int = 3) -> dict:
    """Measure every page with 1 client and with 8, on gunicorn; return p50/p95 per page and the targets."""
    from bench.common import RESULTS_DIR

    cookies = {"staff": _session_cookie(manager), "factory": _session_cookie(factory_user), "anonymous": ""}
    log_path = RESULTS_DIR / f"gunicorn-{size_name}.log"
    server = Gunicorn(workers=workers, log_path=log_path)
    results: dict = {"workers": workers, "rounds": rounds, "pages": {}}
    try:
        for clients in (1, 8):
            page_list = pages(supplier=supplier)
            for page in page_list:  # a warm-up pass: each worker's first request loads templates and code
                server.get(page.url, cookies[page.who])
            errors: list[str] = []
            threads = [
                threading.Thread(target=_walk, args=(server, page_list, cookies, rounds, n, errors))
                for n in range(clients)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            if errors:
                raise BenchError(f"{len(errors)} failed requests, e.g. {errors[:3]}; see {log_path}")
            for page in page_list:
                entry = results["pages"].setdefault(page.key, {"url": page.url, "kb": page.kb})
                entry[f"p50_ms_{clients}"] = round(statistics.median(page.times_ms), 1)
                entry[f"p95_ms_{clients}"] = _percentile(page.times_ms, 0.95)
                entry[f"requests_{clients}"] = len(page.times_ms)
    finally:
        server.stop()
    over = {
        key: entry["p95_ms_1"] for key, entry in results["pages"].items() if entry["p95_ms_1"] > TARGET_P95_MS
    }
    results["target"] = {
        "status": "FAIL" if over else "PASS",
        "detail": (
            f"one-client p95 over {TARGET_P95_MS:.0f} ms: {over}"
            if over
            else f"every page's one-client p95 ≤ {TARGET_P95_MS:.0f} ms"
        ),
    }
    return results


def compare_sizes(small: dict | None, large: dict | None) -> dict | None:
    """Return M ÷ S of each page's one-client p95, and whether every page stays within 1.5×."""
    if not small or not large:
        return None
    ratios = {
        key: round(large["pages"][key]["p95_ms_1"] / small["pages"][key]["p95_ms_1"], 2)
        for key in large["pages"]
        if key in small["pages"] and small["pages"][key]["p95_ms_1"] > 0
    }
    worse = {key: ratio for key, ratio in ratios.items() if ratio > TARGET_M_OVER_S}
    return {
        "ratios": ratios,
        "status": "FAIL" if worse else "PASS",
        "detail": f"over {TARGET_M_OVER_S}× S: {worse}"
        if worse
        else f"every page within {TARGET_M_OVER_S}× S",
    }


def print_load(results: dict) -> None:
    print(f"\nLoad (gunicorn, {results['workers']} sync workers, {results['rounds']} rounds per client):")
    print(f"{'page':<18} {'KB':>5} {'1 client p50':>13} {'p95':>7} {'8 clients p50':>14} {'p95':>7}")
    for key, entry in results["pages"].items():
        print(
            f"{key:<18} {entry['kb']:>5} {entry['p50_ms_1']:>13} {entry['p95_ms_1']:>7} "
            f"{entry['p50_ms_8']:>14} {entry['p95_ms_8']:>7}"
        )
