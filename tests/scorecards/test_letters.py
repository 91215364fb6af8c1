"""Reference letters: issued only on target (or by a manager with a reason), their figures frozen as kpis.py gives
them, a PDF with the figures and the link, and a public link that tells genuine from tampered, expired, revoked."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from pypdf import PdfReader

from communications.models import Notification
from scorecards import kpis
from scorecards.letters import selectors, services
from scorecards.letters.models import ReferenceLetter
from scorecards.letters.pdf import letter_pdf
from scorecards.letters.tokens import letter_token, verification_url
from suppliers.models import Activity
from tests.factories import PortalUserFactory
from tests.scorecards.builders import delivery, inspection, issue

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
START, END = date(2026, 5, 1), date(2026, 10, 31)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def on_target(supplier):
    """Ten deliveries on time, a clean inspection and three issues answered in two hours."""
    for day in range(10):
        promised = START + timedelta(days=10 * day + 5)
        delivery(supplier, promised, promised - timedelta(days=1))
    inspection(supplier, START + timedelta(days=40), sample=500, defective=0)
    for day in range(3):
        issue(supplier, datetime(2026, 6, 1 + day, 8, tzinfo=UTC), answered_after=2)


def late(supplier):
    """Ten deliveries, five of them a week late (50 %: below the 95 % target)."""
    for day in range(10):
        promised = START + timedelta(days=10 * day + 5)
        delivery(supplier, promised, promised + timedelta(days=7 if day % 2 else 0))


def issue_letter(supplier, by, **fields):
    return services.reference_letter_issue(
        supplier=supplier, by=by, period_start=START, period_end=END, **fields
    )


def test_a_buyer_issues_a_letter_for_a_supplier_on_target_with_its_figures_frozen_as_kpis_py_gives_them(
    supplier_a, buyer
):
    on_target(supplier_a)
    letter = issue_letter(supplier_a, buyer, text="Ten years of good work.")
    otd = kpis.on_time_delivery(start=START, end=END, today=NOW.date(), supplier_ids=[supplier_a.pk])[
        supplier_a.pk
    ]
    defects = kpis.defect_rate(start=START, end=END, supplier_ids=[supplier_a.pk])[supplier_a.pk]
    replies = kpis.response_time(start=START, end=END, now=NOW, supplier_ids=[supplier_a.pk])[supplier_a.pk]
    figures = letter.figures
    assert (figures["on_time_delivery"]["numerator"], figures["on_time_delivery"]["denominator"]) == (10, 10)
    assert figures["on_time_delivery"]["value"] == str(otd.value) == "100.00"
    assert figures["defect_rate"]["value"] == str(defects.value)
    assert figures["response_time"]["median_hours"] == str(replies.median_hours) == "2.0"
    assert all(figures[kpi]["met"] is True for kpi in services.LETTER_KPIS)
    assert figures["on_time_delivery"]["target"] == "95"
    assert not letter.below_target and letter.addressee == "To whom it may concern"
    assert letter.expires_at == datetime(2027, 11, 20, 10, 0, tzinfo=UTC)
    assert Activity.objects.filter(supplier=supplier_a, kind=Activity.Kind.REFERENCE_LETTER_ISSUED).exists()


def test_frozen_figures_do_not_change_when_the_rows_behind_them_do(supplier_a, buyer):
    on_target(supplier_a)
    letter = issue_letter(supplier_a, buyer)
    before = dict(letter.figures)
    late(supplier_a)  # ten more deliveries in the period, half of them late
    letter.refresh_from_db()
    assert letter.figures == before
    assert "100.00 %" in [row.value for row in selectors.letter_figures_rows(letter)]


def test_a_buyer_is_refused_a_letter_for_a_supplier_below_target_and_nothing_is_written(supplier_a, buyer):
    late(supplier_a)
    with pytest.raises(ValidationError, match="Only a manager can issue a letter below target"):
        issue_letter(supplier_a, buyer, below_target_reason="They did their best.")
    assert not ReferenceLetter.objects.exists()
    assert not Activity.objects.filter(kind=Activity.Kind.REFERENCE_LETTER_ISSUED).exists()


def test_a_manager_issues_a_letter_below_target_only_with_a_reason_shown_on_the_letter(supplier_a, manager):
    late(supplier_a)
    with pytest.raises(ValidationError, match="give the reason"):
        issue_letter(supplier_a, manager)
    letter = issue_letter(supplier_a, manager, below_target_reason="The port strike of June, excused by us.")
    assert letter.below_target and letter.figures["on_time_delivery"]["met"] is False
    text = pdf_text(letter)
    assert "Issued although a target was missed" in text and "port strike of June" in text


def test_a_reason_is_refused_when_every_kpi_meets_its_target(supplier_a, manager):
    on_target(supplier_a)
    with pytest.raises(ValidationError, match="leave the reason empty"):
        issue_letter(supplier_a, manager, below_target_reason="Just in case.")
    assert not ReferenceLetter.objects.exists()


def test_a_period_with_no_data_is_refused(supplier_a, buyer):
    with pytest.raises(ValidationError, match="not enough data"):
        issue_letter(supplier_a, buyer)
    assert not ReferenceLetter.objects.exists()


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (date(2026, 11, 1), date(2026, 11, 21), "today at the latest"),
        (date(2026, 10, 1), date(2026, 10, 1), "end after it starts"),
        (date(2024, 1, 1), date(2026, 10, 31), "at most 24 months"),
        (date(1999, 1, 1), date(2000, 6, 1), "not kept"),
    ],
)
def test_a_period_out_of_bounds_is_refused(supplier_a, buyer, start, end, message):
    on_target(supplier_a)
    with pytest.raises(ValidationError, match=message):
        services.reference_letter_issue(supplier=supplier_a, by=buyer, period_start=start, period_end=end)


@pytest.mark.parametrize("months", [0, 25, "twelve"])
def test_a_validity_out_of_bounds_is_refused(supplier_a, buyer, months):
    on_target(supplier_a)
    with pytest.raises(ValidationError, match="valid for 1 to 24 months"):
        issue_letter(supplier_a, buyer, valid_months=months)


def test_quality_staff_may_not_issue_letters(supplier_a, quality):
    on_target(supplier_a)
    with pytest.raises(PermissionDenied):
        issue_letter(supplier_a, quality)


def test_the_factory_is_told_in_its_language(supplier_a, buyer):
    contact = PortalUserFactory(supplier=supplier_a, language="zh-hans")
    on_target(supplier_a)
    issue_letter(supplier_a, buyer)
    notice = Notification.objects.get(user=contact, message_key="reference_letter_issued")
    assert notice.url == reverse("portal:reference_letters")
    from django.utils import translation

    from communications.messages import message_render

    with translation.override("zh-hans"):
        title, _body = message_render(notice.message_key, notice.params)
    assert "推荐信" in title


def pdf_text(letter) -> str:
    import io

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(letter_pdf(letter=letter))).pages)


def test_the_pdf_shows_the_figures_targets_issuer_and_verification_link(supplier_a, buyer):
    on_target(supplier_a)
    letter = issue_letter(supplier_a, buyer, addressee="Dear Ms Chen")
    text = " ".join(pdf_text(letter).split())
    assert "Reference letter" in text and supplier_a.name in text and "Dear Ms Chen" in text
    assert "100.00 %" in text and "10 of 10 deliveries on time" in text and "≥ 95 %" in text
    assert "2.0 h" in text and "met" in text and "Bea Buyer" in text
    assert "/verify/letter/" in text.replace(" ", "")


# --- The verification link ------------------------------------------------------------------------------------


@pytest.fixture
def letter(supplier_a, buyer):
    on_target(supplier_a)
    return issue_letter(supplier_a, buyer, valid_months=6)


def path_of(letter) -> str:
    return reverse("letter_verify", kwargs={"token": letter_token(letter)})


def test_the_link_of_a_genuine_letter_says_who_issued_it_to_whom_and_the_figures(client, letter):
    assert verification_url(letter).endswith(path_of(letter))
    response = client.get(path_of(letter))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Genuine." in body and "Alpha Factory" in body and "20 November 2026" in body
    assert "100.00 %" in body and "10 of 10 deliveries on time" in body
    assert response["X-Robots-Tag"].startswith("noindex") and response["Referrer-Policy"] == "no-referrer"


def test_a_link_altered_by_one_character_is_not_valid_and_shows_nothing_of_the_letter(client, letter):
    token = letter_token(letter)
    for position in (0, len(token) // 2, len(token) - 1):
        tampered = token[:position] + ("A" if token[position] != "A" else "B") + token[position + 1 :]
        response = client.get(reverse("letter_verify", kwargs={"token": tampered}))
        body = response.content.decode()
        assert response.status_code == 200
        assert "This link is not valid" in body
        assert "Alpha Factory" not in body and "Genuine" not in body


def test_a_letter_has_one_link_whenever_it_is_rendered(client, letter, frozen):
    first = verification_url(letter)
    frozen.shift(timedelta(days=3, seconds=7))
    assert verification_url(letter) == first
    assert "Genuine." in client.get(path_of(letter)).content.decode()


def test_a_link_printed_before_links_lost_their_signing_time_still_verifies(client, letter):
    from django.core import signing

    from scorecards.letters.tokens import SALT

    old = signing.dumps({"l": letter.pk, "e": int(letter.expires_at.timestamp())}, salt=SALT)
    assert "Genuine." in client.get(reverse("letter_verify", kwargs={"token": old})).content.decode()


def test_a_link_past_its_expiry_says_expired_and_nothing_else(client, letter, frozen):
    frozen.move_to(letter.expires_at + timedelta(seconds=1))
    body = client.get(path_of(letter)).content.decode()
    assert "This letter has expired" in body and "Alpha Factory" not in body


def test_a_revoked_letter_says_revoked_and_nothing_else(client, letter, buyer):
    services.reference_letter_revoke(letter=letter, by=buyer, reason="Audit failed in November.")
    body = client.get(path_of(letter)).content.decode()
    assert "revoked by its issuer" in body and "Alpha Factory" not in body and "Audit failed" not in body
    assert Activity.objects.filter(kind=Activity.Kind.REFERENCE_LETTER_REVOKED).exists()
    with pytest.raises(ValidationError, match="already revoked"):
        services.reference_letter_revoke(letter=letter, by=buyer, reason="Again.")


def test_a_link_to_a_deleted_letter_is_not_valid(client, letter):
    path = path_of(letter)
    ReferenceLetter.objects.filter(pk=letter.pk).delete()
    assert "This link is not valid" in client.get(path).content.decode()


def test_every_outcome_runs_the_same_one_query(django_assert_num_queries, letter):
    for token in (letter_token(letter), "junk", letter_token(letter) + "x"):
        with django_assert_num_queries(1):
            selectors.letter_verify(token=token)


def test_checks_are_rate_limited_per_address(client, letter):
    from scorecards.views.letters import VERIFY_RATE

    for _ in range(VERIFY_RATE):
        assert client.get(path_of(letter)).status_code == 200
    response = client.get(path_of(letter))
    assert response.status_code == 429 and "Too many checks" in response.content.decode()


def test_a_signed_in_factory_contact_of_another_supplier_may_verify_a_link_too(client, letter, portal_b):
    client.force_login(portal_b)
    assert "Genuine." in client.get(path_of(letter)).content.decode()


# --- Staff pages, portal, API ---------------------------------------------------------------------------------


def test_the_scorecard_page_offers_the_form_and_lists_the_letters(manager_client, letter, supplier_a):
    body = manager_client.get(reverse("scorecards:supplier", args=[supplier_a.pk])).content.decode()
    assert "Issue a reference letter" in body and "Reason to issue it below target" in body
    assert reverse("scorecards:letter_pdf", args=[letter.pk]) in body


def test_a_buyer_sees_no_below_target_field(buyer_client, supplier_a):
    body = buyer_client.get(reverse("scorecards:supplier", args=[supplier_a.pk])).content.decode()
    assert "Issue a reference letter" in body and "Reason to issue it below target" not in body


def test_the_form_issues_a_letter(buyer_client, supplier_a):
    on_target(supplier_a)
    response = buyer_client.post(
        reverse("scorecards:letter_issue", args=[supplier_a.pk]),
        {"period_start": START, "period_end": END, "valid_months": 12, "addressee": "", "text": ""},
    )
    assert response.status_code == 302
    assert ReferenceLetter.objects.filter(supplier=supplier_a).count() == 1


def test_the_form_shows_the_refusal_below_target_and_writes_nothing(buyer_client, supplier_a):
    late(supplier_a)
    response = buyer_client.post(
        reverse("scorecards:letter_issue", args=[supplier_a.pk]),
        {"period_start": START, "period_end": END, "valid_months": 12},
    )
    assert response.status_code == 400
    assert "Only a manager can issue a letter below target" in response.content.decode()
    assert not ReferenceLetter.objects.exists()


def test_the_staff_pdf_and_revoke(buyer_client, letter):
    response = buyer_client.get(reverse("scorecards:letter_pdf", args=[letter.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    buyer_client.post(reverse("scorecards:letter_revoke", args=[letter.pk]), {"reason": "Closed the line."})
    letter.refresh_from_db()
    assert letter.is_revoked and letter.revoked_reason == "Closed the line."


def test_the_factory_lists_and_downloads_its_own_letters_only(client, letter, portal_a, portal_b):
    client.force_login(portal_a)
    body = client.get(reverse("portal:reference_letters")).content.decode()
    assert reverse("portal:reference_letter_pdf", args=[letter.pk]) in body
    assert client.get(reverse("portal:reference_letter_pdf", args=[letter.pk])).status_code == 200
    client.force_login(portal_b)
    assert (
        reverse("portal:reference_letter_pdf", args=[letter.pk])
        not in client.get(reverse("portal:reference_letters")).content.decode()
    )
    assert client.get(reverse("portal:reference_letter_pdf", args=[letter.pk])).status_code == 404
    assert client.get(reverse("api:reference-letter-detail", args=[letter.pk])).status_code == 404
    assert client.get(reverse("api:reference-letter-pdf", args=[letter.pk])).status_code == 404


def test_a_revoked_letter_is_listed_as_revoked_but_its_factory_may_no_longer_download_it(
    client, letter, buyer, portal_a
):
    services.reference_letter_revoke(
        letter=letter, by=buyer, reason="Internal: audit of the dyeing line failed."
    )
    pdf = reverse("portal:reference_letter_pdf", args=[letter.pk])
    client.force_login(portal_a)
    body = client.get(reverse("portal:reference_letters")).content.decode()
    assert "Revoked" in body and pdf not in body
    assert "dyeing line" not in body  # the reason stays ours
    assert client.get(pdf).status_code == 404
    assert client.get(reverse("api:reference-letter-pdf", args=[letter.pk])).status_code == 404
    detail = client.get(reverse("api:reference-letter-detail", args=[letter.pk])).json()
    assert detail["status"] == "revoked" and "revoked_reason" not in detail
    # Staff still download it, on the page and through the API.
    client.force_login(buyer)
    assert client.get(reverse("scorecards:letter_pdf", args=[letter.pk])).status_code == 200
    response = client.get(reverse("api:reference-letter-pdf", args=[letter.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_the_portal_page_reads_in_chinese(client, letter, portal_a):
    portal_a.language = "zh-hans"
    portal_a.save(update_fields=["language"])
    client.force_login(portal_a)
    assert "您的推荐信" in client.get(reverse("portal:reference_letters")).content.decode()


def test_the_api_issues_lists_and_revokes(client, manager, supplier_a, portal_a):
    late(supplier_a)
    client.force_login(manager)
    url = reverse("api:reference-letter-list")
    refused = client.post(url, {"supplier": supplier_a.pk, "period_start": START, "period_end": END})
    assert refused.status_code == 400 and "give the reason" in refused.content.decode()
    made = client.post(
        url,
        {
            "supplier": supplier_a.pk,
            "period_start": START,
            "period_end": END,
            "below_target_reason": "Port strike.",
        },
    )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    assert made.json()["status"] == "valid" and "/verify/letter/" in made.json()["verification_url"]
    revoked = client.post(reverse("api:reference-letter-revoke", args=[pk]), {"reason": "Mistake."})
    assert revoked.json()["status"] == "revoked" and revoked.json()["revoked_reason"] == "Mistake."
    client.force_login(portal_a)
    rows = client.get(url).json()["results"]
    assert [row["id"] for row in rows] == [pk] and "revoked_reason" not in rows[0]
    assert client.post(url, {"supplier": supplier_a.pk}).status_code == 403


def test_a_buyer_token_is_refused_a_letter_below_target_through_the_api(client, buyer, supplier_a):
    late(supplier_a)
    client.force_login(buyer)
    response = client.post(
        reverse("api:reference-letter-list"),
        {"supplier": supplier_a.pk, "period_start": START, "period_end": END, "below_target_reason": "x"},
    )
    assert response.status_code == 400 and "Only a manager" in response.content.decode()
    assert not ReferenceLetter.objects.exists()


def test_the_letter_lists_take_the_same_queries_however_many_letters(client, letter, portal_a, buyer):
    from tests.scorecards.builders import queries

    client.force_login(portal_a)
    pages = [reverse("portal:reference_letters"), reverse("api:reference-letter-list")]
    before = [queries(client, url) for url in pages]
    for _ in range(4):
        issue_letter(letter.supplier, buyer)
    assert [queries(client, url) for url in pages] == before
    client.force_login(buyer)
    url = reverse("scorecards:supplier", args=[letter.supplier_id])
    staff_before = queries(client, url)
    issue_letter(letter.supplier, buyer)
    assert queries(client, url) == staff_before


def test_the_portal_copy_is_the_english_letter_whatever_the_readers_language(client, letter, portal_a):
    import io

    portal_a.language = "zh-hans"
    portal_a.save(update_fields=["language"])
    client.force_login(portal_a)
    response = client.get(reverse("portal:reference_letter_pdf", args=[letter.pk]))
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert (
        "Reference letter: Alpha Factory" in text
        and "On-time delivery" in text
        and "Yours faithfully" in text
    )
