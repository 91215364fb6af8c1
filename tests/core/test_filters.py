"""List filters from the query string: a value reaches the query only when its model field can hold it."""

from core.filters import MAX_SEARCH_LENGTH, exact_filters, search_text
from suppliers.models import Certification, Supplier

FIELDS = ("supplier", "status", "valid_until", "number", "missing_field")


def test_well_formed_filters_are_kept():
    filters = {"supplier": "12", "status": "verified", "valid_until": "2026-05-31", "number": "ISO-1"}
    assert exact_filters(Certification, filters, FIELDS) == filters


def test_junk_filters_are_left_out_as_if_not_asked_for():
    for junk in (
        "x",
        "-1",
        "1.5",
        "99999999999999999999",
        "2026-13-45",
        "'; drop table",
        "nul\x00byte",
        "x" * 300,
    ):
        kept = exact_filters(Certification, dict.fromkeys(FIELDS, junk), FIELDS)
        assert set(kept) <= {"number"}, (junk, kept)  # free text within its length is a harmless exact match
        assert "\x00" not in kept.get("number", "")


def test_blank_filters_and_unknown_fields_are_ignored():
    assert exact_filters(Certification, {"supplier": "", "status": None, "missing_field": "1"}, FIELDS) == {}
    assert exact_filters(Certification, None, FIELDS) == {}


def test_dates_outside_the_calendar_the_app_works_in_are_left_out():
    assert exact_filters(Certification, {"valid_until": "1899-01-01"}, FIELDS) == {}


def test_a_many_to_many_filter_takes_an_id():
    assert exact_filters(Supplier, {"categories": "3"}, ("categories",)) == {"categories": "3"}
    assert exact_filters(Supplier, {"categories": "x"}, ("categories",)) == {}


def test_search_text_drops_nul_characters_and_is_bounded():
    assert search_text(" PO\x00-1 ") == "PO-1"
    assert len(search_text("x" * 5000)) == MAX_SEARCH_LENGTH
    assert search_text(None) == ""
