"""The reference letter PDF, one renderer for the staff download, the portal and the API: in English, through
core.pdf.render_pdf (which fetches nothing but the project's static files), with the verification link printed
as text and as a QR code."""

import base64

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone, translation

from core.pdf import render_pdf

from .models import ReferenceLetter
from .selectors import letter_country, letter_figures_rows
from .tokens import verification_url


def qr_code_data_url(text: str) -> str:
    """Return a QR code of `text` as an inline SVG image (a data: URL, the only kind the PDF fetcher allows)."""
    import qrcode
    import qrcode.image.svg

    svg = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10).to_string()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def letter_pdf(*, letter: ReferenceLetter) -> bytes:
    """Render a letter (already fetched through visible_to) as a PDF, in English whoever downloads it."""
    url = verification_url(letter)
    with translation.override("en"):
        return render_pdf(
            template_name="pdf/reference_letter.html",
            context={
                "letter": letter,
                "company_name": settings.FORGELINE_COMPANY_NAME,
                "company_address": settings.FORGELINE_COMPANY_ADDRESS,
                "country": letter_country(letter),
                "figures": letter_figures_rows(letter),
                "issued_on": timezone.localdate(letter.issued_at),
                "valid_until": timezone.localdate(letter.expires_at),
                "verification_url": url,
                "qr_code": qr_code_data_url(url),
            },
        )


def letter_filename(letter: ReferenceLetter) -> str:
    """Return the PDF's file name: the supplier's name kept to safe characters, and the period."""
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in letter.supplier_name)[:60].strip("-")
    return f"reference-letter-{safe or letter.supplier_id}-{letter.period_end:%Y%m%d}.pdf"


def letter_pdf_response(letter: ReferenceLetter) -> HttpResponse:
    """Answer the letter's PDF as a download (staff, the letter's own factory in the portal, the API)."""
    response = HttpResponse(letter_pdf(letter=letter), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{letter_filename(letter)}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
