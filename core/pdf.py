"""PDF reports: a Django template rendered to HTML, then to PDF by WeasyPrint, fetching nothing but the
project's own static files. Every report (audit reports, scorecards) goes through `render_pdf`.

Why: report HTML carries supplier-entered text. Autoescaping keeps it text, and the fetcher below is the second
wall: whatever URL reaches WeasyPrint (<img>, CSS url(), @import, @font-face, <link rel=stylesheet>,
<link rel=attachment>, <a rel=attachment>, SVG references), it can read only files inside STATICFILES_DIRS or
STATIC_ROOT, or inline `data:` URLs. It never opens a socket (no SSRF, no tracking pixels) and never reads
/etc/passwd, MEDIA_ROOT uploads or source code into the PDF (WeasyPrint embeds attachments as files).

Never pass file paths to WeasyPrint's own `stylesheets=`, `attachments=` or `xmp_metadata=` options: WeasyPrint
opens non-URL strings there directly with open(), bypassing the fetcher.
"""

import logging
import mimetypes
import os
import ssl
from pathlib import Path
from urllib import request as urllib_request
from urllib.parse import unquote, urlsplit

import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest
from django.template.loader import render_to_string
from weasyprint.urls import URLFetcher, URLFetcherResponse, path2url

logger = logging.getLogger(__name__)


class RefusedURL(ValueError):
    """A URL the PDF renderer will not fetch."""


def render_pdf(*, template_name: str, context: dict, request: HttpRequest | None = None) -> bytes:
    """Render a Django template (autoescaped) to PDF bytes."""
    return html_to_pdf(render_to_string(template_name, context, request=request))


def html_to_pdf(html: str, *, uncompressed: bool = False) -> bytes:
    """Convert HTML to PDF bytes, fetching resources only through `SafeURLFetcher`."""
    # Only string input and the fetcher: HTML(filename=...) and file-path options would open files directly.
    document = weasyprint.HTML(string=html, base_url=base_url(), url_fetcher=SafeURLFetcher())
    return document.write_pdf(uncompressed_pdf=uncompressed)


def base_url() -> str:
    """Return the URL that relative URLs in report HTML resolve against: the first static folder."""
    # `{% static %}` paths (/static/...) resolve to file:///static/..., which the fetcher maps through STATIC_URL;
    # plain relative paths (css/x.css) resolve inside this folder. A `static:` base would not work: urljoin()
    # leaves relative URLs alone under schemes it does not know.
    roots = _static_roots()
    return path2url(roots[0] + os.sep) if roots else "static:/"


def safe_url_fetcher(
    url: str, timeout: float = 10, ssl_context: ssl.SSLContext | None = None
) -> URLFetcherResponse:
    """Serve `url` from the static folders or its inline `data:` bytes; refuse anything else by raising."""
    # timeout and ssl_context match WeasyPrint's fetcher signature and go unused: nothing here uses a network.
    if url.partition(":")[0].strip().lower() == "data":  # the bytes are in the URL itself; nothing is fetched
        response = urllib_request.DataHandler().data_open(urllib_request.Request(url))
        return URLFetcherResponse(url, response.read(), response.headers)
    try:
        path = _resolve(url)
    except Exception:  # e.g. SuspiciousFileOperation from the finders on `..`, ValueError on a malformed URL
        path = None
    if path is None:
        logger.warning("PDF renderer refused to fetch %r", url)
        raise RefusedURL(url)
    logger.debug("PDF renderer served %r from %s", url, path)
    content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
    # The vetted real file's URL: URLs inside a served stylesheet resolve (and are checked) next to the real
    # file, and WeasyPrint, which re-opens file: images by this URL's path outside the fetcher, reads that file.
    return URLFetcherResponse(path2url(path), Path(path).read_bytes(), {"Content-Type": content_type})


class SafeURLFetcher(URLFetcher):
    """Fetch every resource through `safe_url_fetcher`; never reach the parent's urllib opener."""

    # WeasyPrint 70 wants a URLFetcher instance: with a plain function, a refusal crashes the whole render
    # (its error path reads `url_fetcher._fail_on_errors`) and a returned dict fails an assertion.

    def __init__(self) -> None:
        # An empty protocol allowlist makes the parent refuse every URL too, should its fetch() ever run.
        super().__init__(allowed_protocols=(), allow_redirects=False, fail_on_errors=False)

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        """Fetch `url` under the static-only policy."""
        return safe_url_fetcher(url)


def _resolve(url: str) -> str | None:
    """Return the real path of the static file `url` names, or None when it names anything else."""
    parts = urlsplit(url)
    if parts.scheme.lower() == "static":  # static:/css/x.css
        return _find_static(unquote(parts.path))
    if parts.scheme.lower() == "file" and parts.netloc in ("", "localhost"):
        path = urllib_request.url2pathname(parts.path)
        if path.startswith(settings.STATIC_URL):  # `{% static %}` output resolved against base_url()
            return _find_static(path.removeprefix(settings.STATIC_URL))
        return _in_static(path)
    return None


def _find_static(name: str) -> str | None:
    """Return the real path of the static file `name` (the part after STATIC_URL), or None."""
    name = name.lstrip("/")
    candidates = list(finders.find(name, find_all=True))
    if settings.STATIC_ROOT:  # collectstatic output, e.g. the hashed names of the manifest storage
        candidates.append(os.path.join(settings.STATIC_ROOT, name))
    # App static folders (found by AppDirectoriesFinder) are not served unless collected into STATIC_ROOT.
    return next(filter(None, map(_in_static, candidates)), None)


def _in_static(path: str) -> str | None:
    """Return the real path of `path` when it is a file inside a static folder, else None."""
    real = os.path.realpath(path)  # after `..` and symlinks, so neither can lead outside
    if os.path.isfile(real) and any(os.path.commonpath([real, root]) == root for root in _static_roots()):
        return real
    return None


def _static_roots() -> list[str]:
    """Return the real paths of the folders the renderer may read: STATICFILES_DIRS and STATIC_ROOT."""
    folders = [entry[1] if isinstance(entry, (list, tuple)) else entry for entry in settings.STATICFILES_DIRS]
    if settings.STATIC_ROOT:
        folders.append(settings.STATIC_ROOT)
    return [os.path.realpath(folder) for folder in folders]
