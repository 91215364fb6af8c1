"""Benchmark cases of rendering: the portfolio, a supplier scorecard and two API lists in-process, and scorecard
PDFs against bare WeasyPrint on the same HTML."""

from collections.abc import Callable

from bench.common import ROOT, BenchError
from bench.measure import Row, measure, measure_pair

BENCH_PDF_TEMPLATE = "bench/scorecard_pdf.html"
APP_PDF_TEMPLATE = "pdf/weekly_scorecard.html"


def pages_to_measure(*, manager, supplier) -> list[tuple[str, str, str, Callable[[], object]]]:
    """Return (key, name, url, get) for each page measured, `get` requesting it as the manager."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.test import Client
    from django.urls import reverse

    # A manager's pages need a second factor (accounts.middleware.MFARequiredMiddleware): give the bench's one.
    if not Authenticator.objects.filter(user=manager, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(manager, generate_totp_secret())
    from core.clock import business_today
    from scorecards import periods

    last_month = periods.period_of("month", business_today()).previous().key
    client = Client()
    client.force_login(manager)
    json_only = {"HTTP_ACCEPT": "application/json"}
    pages = [
        ("portfolio", "Portfolio dashboard", reverse("scorecards:portfolio"), {}),
        (
            "portfolio_month",
            "Portfolio, last month",
            f"{reverse('scorecards:portfolio')}?period={last_month}",
            {},
        ),
        ("scorecard", "Supplier scorecard", reverse("scorecards:supplier", args=[supplier.pk]), {}),
        ("api_suppliers", "API list of suppliers", "/api/v1/suppliers/", json_only),
        ("api_deliveries", "API list of deliveries", "/api/v1/deliveries/", json_only),
        ("api_scorecards", "API scorecards", "/api/v1/scorecards/?sort=worst", json_only),
    ]
    result = []
    for key, name, url, headers in pages:

        def get(url=url, headers=headers):
            response = client.get(url, **headers)
            if response.status_code != 200:
                raise BenchError(f"GET {url} answered {response.status_code}")
            return response

        result.append((key, name, url, get))
    return result


def bench_pages(*, reps: int, manager, supplier) -> list[Row]:
    """Time the portfolio (rolling and last month), a scorecard and three API lists through the test client."""

    rows = []
    for key, name, url, get in pages_to_measure(manager=manager, supplier=supplier):
        size_kb = round(len(get().content) / 1024)
        rows.append(Row(name, measure(get, reps=reps), note=url, extra={"key": key, "kb": size_kb}))
    return rows


def bench_pdf(*, count: int, manager, supplier, today, now) -> tuple[Row, dict]:
    """Time the app's scorecard PDFs (template and render_pdf, from a built context) against bare WeasyPrint on the
    same HTML; the context is timed on its own.

    With templates/pdf/weekly_scorecard.html, the PDF is the manager's weekly scorecard built by scorecards.digest;
    without it, one supplier's scorecard body in the bench's own print template. The digest's context (every
    overseen supplier's KPIs, the movers, the flags) is built once per email and shared by its text, its HTML and
    its PDF (`digest_message`), so it is not the PDF's cost: it is reported as `context_ms`, with the PDF's ratio
    counting it too (`with_context_ratio`), and the whole email is judged by its own target (7).
    """
    import weasyprint
    from django.template.loader import render_to_string
    from django.utils import timezone, translation

    from core.pdf import base_url

    if (ROOT / "templates" / APP_PDF_TEMPLATE).exists():
        from scorecards import digest

        template, week = APP_PDF_TEMPLATE, digest.current_iso_week(manager, now=now)

        def context():
            return digest.digest_context(manager=manager, iso_week=week, now=now)

        def app_pdf():
            return digest.digest_pdf(ctx)

        def html_of(ctx):
            with translation.override(manager.language), timezone.override(ctx["timezone_name"]):
                return render_to_string(template, ctx)
    else:
        from core.pdf import render_pdf
        from scorecards.selectors import scorecard_context

        template = BENCH_PDF_TEMPLATE

        def context():
            return scorecard_context(user=manager, supplier=supplier, today=today)

        def app_pdf():
            return render_pdf(template_name=template, context=ctx)

        def html_of(ctx):
            return render_to_string(template, ctx)

    ctx = context()
    html = html_of(ctx)

    def bare_pdf():
        return weasyprint.HTML(string=html, base_url=base_url()).write_pdf()

    app, bare = measure_pair(app_pdf, bare_pdf, reps=count)
    # Where the app's time goes besides WeasyPrint: building the context, rendering the template.
    context_ms, template_ms = (
        measure(context, reps=count).median_ms,
        measure(lambda: html_of(ctx), reps=count).median_ms,
    )
    row = Row(
        "Scorecard PDF",
        app,
        bare,
        reference_label="bare WeasyPrint",
        note=template,
        extra={
            "app_pdfs_per_second": round(1000 / app.median_ms, 2),
            "weasyprint_pdfs_per_second": round(1000 / bare.median_ms, 2),
            "context_ms": context_ms,
            "template_ms": template_ms,
            "html_kb": round(len(html) / 1024),
            "pdf_kb": round(len(app_pdf()) / 1024),
        },
    )
    row.extra["with_context_ratio"] = round(bare.median_ms / (app.median_ms + context_ms), 2)
    # PDFs per second, app ÷ bare: the inverse of the time ratio.
    return row, {"pdf_vs_weasyprint_ratio": round(bare.median_ms / app.median_ms, 2), "template": template}
