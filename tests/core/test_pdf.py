"""Canaries for suppliers/pdf.py: a report PDF fetches nothing from the network and reads no file outside
the static folders, whichever way the URL reaches WeasyPrint.

Each canary has a positive control: the same HTML rendered by stock WeasyPrint (its default URLFetcher) does
contact the listener or open the canary file, so a zero under the safe renderer means refused, not untried.
PDF bytes are inspected uncompressed: WeasyPrint 70 packs dictionaries into compressed object streams, where
neither /EmbeddedFile nor /Image nor an attachment's bytes would be visible.
"""

import logging
import os
import re
import sys
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.request import ProxyHandler, build_opener

import pytest
import weasyprint
from django.conf import settings as django_settings
from django.template.loader import render_to_string
from PIL import Image
from weasyprint.urls import URLFetcher, path2url

from core.pdf import RefusedURL, SafeURLFetcher, base_url, html_to_pdf, render_pdf, safe_url_fetcher

# Every way a URL in report HTML makes WeasyPrint fetch it; "{url}" is replaced.
VECTORS = {
    "img": '<img src="{url}">',
    "css-url": "<div style=\"width: 20px; height: 20px; background-image: url('{url}')\"></div>",
    "link-stylesheet": '<link rel="stylesheet" href="{url}">',
    "import": '<style>@import url("{url}");</style>',
    "font-face": '<style>@font-face { font-family: Canary; src: url("{url}"); } p { font-family: Canary; }</style>',
    "link-attachment": '<link rel="attachment" href="{url}">',
    "a-attachment": '<a rel="attachment" href="{url}">attached file</a>',
    "svg-image": '<svg width="20" height="20"><image href="{url}" width="20" height="20"/></svg>',
    "object": '<object data="{url}" type="image/png"></object>',
}
ATTACHMENT_VECTORS = ("link-attachment", "a-attachment")
PASSWD_HEAD = b"root:x:0:0"


def page(vector: str, url: str) -> str:
    """Return a report page that references `url` through `vector`."""
    return f"<!doctype html><title>Report</title>{VECTORS[vector].replace('{url}', url)}<p>Report body</p>"


def stock_pdf(html: str) -> bytes:
    """Render with stock WeasyPrint (the positive control): default fetcher, same base URL."""
    return weasyprint.HTML(string=html, base_url=base_url(), url_fetcher=URLFetcher()).write_pdf(
        uncompressed_pdf=True
    )


def refusals(caplog) -> list[str]:
    """Return the messages of the renderer's refusals."""
    return [r.getMessage() for r in caplog.records if r.name == "core.pdf" and r.levelno == logging.WARNING]


# --- File-open spy: an audit hook sees every open() in the process (builtins, io, os, urllib, Pillow). -----

_opened: list[str] | None = None


def _audit(event: str, args: tuple) -> None:
    if event == "open" and _opened is not None and isinstance(args[0], str | bytes | os.PathLike):
        _opened.append(os.path.realpath(os.fsdecode(args[0])))


# Audit hooks cannot be removed; this one records only while `opened_files` is active.
sys.addaudithook(_audit)


@pytest.fixture
def opened_files():
    """Record the real path of every file opened until the test ends."""
    global _opened
    _opened = []
    yield _opened
    _opened = None


# --- Local listener on 127.0.0.1 that records every connection and request. --------------------------------


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.server.paths.append(self.path)
        body = b"p { color: red }" if self.path.endswith(".css") else b"canary"
        self.send_response(200)
        self.send_header("Content-Type", "text/css" if self.path.endswith(".css") else "image/png")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class _RecordingServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.paths: list[str] = []
        self.connections = 0

    def verify_request(self, request, client_address):
        self.connections += 1  # counted at accept(), before any request line is read
        return True


class Listener:
    def __init__(self, server: _RecordingServer):
        self.server = server
        self.url = f"http://127.0.0.1:{server.server_address[1]}"

    def hits(self) -> list[str]:
        """Return what reached the listener, once a request of our own has gone through after it."""
        # The barrier is accepted after any earlier connection, so nothing can still be in flight.
        build_opener(ProxyHandler({})).open(f"{self.url}/__barrier__", timeout=5).read()
        paths = [path for path in self.server.paths if path != "/__barrier__"]
        silent = self.server.connections - len(self.server.paths)  # connected but sent no request
        return paths + ["<connection without request>"] * silent


@pytest.fixture
def listener(monkeypatch):
    """Serve HTTP on 127.0.0.1 on a free port and record every hit; no proxy may divert the controls."""
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "*")
    server = _RecordingServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Listener(server)
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


# --- A static folder of our own, with a canary file just outside it. ---------------------------------------


@pytest.fixture
def static(tmp_path, settings):
    """Point STATICFILES_DIRS at tmp_path/static (a PNG, a stylesheet, a text file, a symlink out) and return
    the paths; tmp_path/secret.txt, outside it, holds a unique canary."""
    root = tmp_path / "static"
    (root / "img").mkdir(parents=True)
    (root / "css").mkdir()
    Image.new("RGB", (4, 4), "red").save(root / "img" / "dot.png")
    (root / "css" / "report.css").write_text(
        "div.logo { width: 8px; height: 8px; background: url(../img/dot.png) }"
    )
    allowed_token = f"ALLOWED-{uuid.uuid4().hex}".encode()
    (root / "notes.txt").write_bytes(allowed_token)
    secret = tmp_path / "secret.txt"
    token = f"CANARY-{uuid.uuid4().hex}".encode()
    secret.write_bytes(token)
    (root / "leak.txt").symlink_to(secret)
    settings.STATICFILES_DIRS = [root]
    settings.STATIC_ROOT = tmp_path / "collected"
    return {"root": root, "secret": secret, "token": token, "allowed_token": allowed_token}


@pytest.fixture
def templates_dir(tmp_path, settings):
    """Put tmp_path/templates first in the template search path."""
    folder = tmp_path / "templates"
    folder.mkdir()
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [folder, *engine["DIRS"]]}]
    return folder


# --- Network canaries. ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("vector", VECTORS)
def test_stock_weasyprint_contacts_the_listener(vector, listener):
    """Control: each vector does make WeasyPrint fetch, so the zero below is a refusal."""
    stock_pdf(page(vector, f"{listener.url}/{vector}.css"))
    assert f"/{vector}.css" in listener.hits()


@pytest.mark.parametrize("vector", VECTORS)
def test_no_vector_reaches_the_network(vector, listener, caplog):
    url = f"{listener.url}/{vector}.css"
    pdf = html_to_pdf(page(vector, url), uncompressed=True)
    assert pdf.startswith(b"%PDF")
    assert listener.hits() == []
    assert any(url in message for message in refusals(caplog))
    assert b"/EmbeddedFile" not in pdf


def test_every_vector_at_once_reaches_nothing(listener):
    html = "".join(VECTORS[v].replace("{url}", f"{listener.url}/{v}") for v in VECTORS) + "<p>x</p>"
    assert html_to_pdf(html).startswith(b"%PDF")
    assert listener.hits() == []


def test_fetcher_opener_is_unreachable(listener):
    """The parent URLFetcher's urllib opener (open()) also goes through the policy."""
    with pytest.raises(RefusedURL):
        SafeURLFetcher().open(f"{listener.url}/direct")
    assert listener.hits() == []


def test_svg_in_data_url_cannot_reach_the_network(listener):
    svg = f'<svg xmlns="http://www.w3.org/2000/svg"><image href="{listener.url}/in-svg" width="9" height="9"/></svg>'
    html_to_pdf(f'<img src="data:image/svg+xml,{svg.replace('"', "%22")}">')
    assert listener.hits() == []


# --- File canaries. ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("vector", VECTORS)
def test_stock_weasyprint_reads_the_canary(vector, static, opened_files):
    """Control: each vector does make WeasyPrint open a file:// URL; attachments carry its bytes into the PDF."""
    pdf = stock_pdf(page(vector, path2url(static["secret"])))
    assert str(static["secret"]) in opened_files
    if vector in ATTACHMENT_VECTORS:
        assert b"/EmbeddedFile" in pdf and static["token"] in pdf


@pytest.mark.parametrize("vector", VECTORS)
@pytest.mark.parametrize("target", ["etc-passwd", "canary"])
def test_no_vector_reads_a_file_outside_static(vector, target, static, opened_files, caplog):
    path = "/etc/passwd" if target == "etc-passwd" else str(static["secret"])
    url = path2url(path)
    pdf = html_to_pdf(page(vector, url), uncompressed=True)
    assert pdf.startswith(b"%PDF")
    assert os.path.realpath(path) not in opened_files
    assert any(url in message for message in refusals(caplog))
    assert b"/EmbeddedFile" not in pdf
    assert static["token"] not in pdf and PASSWD_HEAD not in pdf


# --- Traversal, symlinks and schemes. -----------------------------------------------------------------------


def traversal_urls(static) -> list[str]:
    root = static["root"]
    return [
        "static:/../../etc/passwd",
        "static:/../secret.txt",
        "static:../secret.txt",
        "static:/img/../../secret.txt",
        "static:/leak.txt",  # symlink inside static pointing out
        f"file://{root}/../../etc/passwd",
        f"file://{root}/{'../' * 20}etc/passwd",
        f"file://{root}/../secret.txt",
        f"file://{root}/%2e%2e/secret.txt",
        f"file://{root}/leak.txt",
        f"file://localhost{root}/../secret.txt",
        f"file://other-host{root}/img/dot.png",  # a remote file share, even for an allowed path
        "file:///static/../../etc/passwd",  # through the STATIC_URL mapping
        "file:///static/../secret.txt",
        "file:///static/leak.txt",
        f"file://{static['secret']}",
        "file:///etc/passwd",
        "/etc/passwd",  # no scheme
        "../secret.txt",
        "ftp://127.0.0.1/x",
        "https://127.0.0.1/x",
        "http://127.0.0.1/static/img/dot.png",  # an http URL is refused even where it mirrors a static path
        "javascript:alert(1)",
        "static:",
    ]


def test_traversal_and_other_schemes_are_refused(static, opened_files, caplog):
    for url in traversal_urls(static):
        with pytest.raises(RefusedURL):
            safe_url_fetcher(url)
        assert any(repr(url) in message for message in refusals(caplog)), url
    assert str(static["secret"]) not in opened_files and "/etc/passwd" not in opened_files


@pytest.mark.parametrize("href", ["../secret.txt", "static:/../secret.txt", "leak.txt", "/static/leak.txt"])
def test_traversal_embeds_nothing(href, static, opened_files):
    pdf = html_to_pdf(page("link-attachment", href) + page("a-attachment", href), uncompressed=True)
    assert b"/EmbeddedFile" not in pdf and static["token"] not in pdf
    assert str(static["secret"]) not in opened_files


# --- What is allowed does load. -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "src",
    [
        "/static/img/dot.png",  # what {% static 'img/dot.png' %} renders
        "img/dot.png",  # relative to base_url()
        "static:/img/dot.png",
        "static:img/dot.png",
        "file://{root}/img/dot.png",
        "file://{root}/css/../img/dot.png",  # `..` that stays inside is fine
    ],
)
def test_static_image_is_loaded(src, static, caplog):
    caplog.set_level(logging.DEBUG, logger="core.pdf")
    pdf = html_to_pdf(page("img", src.replace("{root}", str(static["root"]))), uncompressed=True)
    assert b"/Subtype /Image" in pdf
    assert refusals(caplog) == []
    served = str(static["root"] / "img" / "dot.png")
    assert any(r.levelno == logging.DEBUG and served in r.getMessage() for r in caplog.records)


def test_missing_static_image_is_not_an_image(static):
    """The /Image signal above is not always there."""
    assert b"/Subtype /Image" not in html_to_pdf(page("img", "/static/img/missing.png"), uncompressed=True)


def test_stylesheet_urls_resolve_next_to_the_stylesheet(static, caplog):
    html = '<link rel="stylesheet" href="/static/css/report.css"><div class="logo"></div>'
    pdf = html_to_pdf(html, uncompressed=True)
    assert b"/Subtype /Image" in pdf  # report.css's url(../img/dot.png)
    assert refusals(caplog) == []


def test_static_attachment_is_embedded(static):
    """Attachments of allowed files work, so the /EmbeddedFile checks above can fail."""
    pdf = html_to_pdf(page("link-attachment", "/static/notes.txt"), uncompressed=True)
    assert b"/EmbeddedFile" in pdf and static["allowed_token"] in pdf


def test_data_url_is_allowed(static, caplog):
    png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    pdf = html_to_pdf(page("img", f"data:image/png;base64,{png}"), uncompressed=True)
    assert b"/Subtype /Image" in pdf
    assert refusals(caplog) == []


def test_project_stylesheet_resolves_through_static_tag(templates_dir, caplog):
    """With the project's own settings, {% static 'css/forgeline.css' %} is served from static/."""
    caplog.set_level(logging.DEBUG, logger="core.pdf")
    (templates_dir / "pdf_static.html").write_text(
        '{% load static %}<link rel="stylesheet" href="{% static \'css/forgeline.css\' %}"><p>x</p>'
    )
    pdf = render_pdf(template_name="pdf_static.html", context={})
    assert pdf.startswith(b"%PDF")
    assert refusals(caplog) == []
    css = os.path.realpath(Path(django_settings.BASE_DIR) / "static" / "css" / "forgeline.css")
    assert any(css in r.getMessage() for r in caplog.records if r.name == "core.pdf")
    assert safe_url_fetcher("file:///static/css/forgeline.css").url == path2url(css)


def test_collected_static_root_is_served(static, settings):
    """Files only in STATIC_ROOT (collectstatic output, e.g. hashed names) are served too."""
    collected = Path(settings.STATIC_ROOT) / "css"
    collected.mkdir(parents=True)
    (collected / "report.0123abcd.css").write_text("p { color: red }")
    response = safe_url_fetcher("file:///static/css/report.0123abcd.css")
    assert response.read() == b"p { color: red }"
    assert response.content_type == "text/css"


# --- Escaping. ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("filter_", ["", "|safe"])
def test_supplier_text_is_escaped_and_fetches_nothing(filter_, templates_dir, listener, caplog):
    """Autoescaping keeps supplier text as text; should a template ever mark it safe, the fetcher still holds."""
    (templates_dir / "pdf_note.html").write_text(f"<h1>Audit</h1><p>{{{{ note{filter_} }}}}</p>")
    hostile = f'<script>alert(1)</script><img src="{listener.url}/x">'
    html = render_to_string("pdf_note.html", {"note": hostile})
    pdf = render_pdf(template_name="pdf_note.html", context={"note": hostile})
    assert pdf.startswith(b"%PDF")
    assert listener.hits() == []
    if filter_:
        assert any(f"{listener.url}/x" in message for message in refusals(caplog))
    else:
        assert "&lt;script&gt;" in html and "<script>" not in html and "<img" not in html
        assert not re.search(r"<img\b", html)
