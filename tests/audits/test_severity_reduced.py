"""Reduced inspection (ISO 2859-1:1999 9.3.3): the switching score per supplier and SKU over long lot sequences,
the switch to reduced confirmed by quality staff with a reason once the score reaches 30, Table 2-C plans while
reduced, and back to normal at the first lot not accepted. Also: applying the rules reads only the lots since the
last switch."""

from functools import partial

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audits.models import Severity, SwitchRule
from audits.services import severity as severity_service
from audits.services.severity import severity_apply, severity_score, severity_switch
from tests.audits import severity_lots
from tests.audits.severity_lots import state_of

pytestmark = pytest.mark.django_db

# Lot of 1000 at level II: code letter J. Normal: AQL 1.0 -> n 80 Ac 2 (one step tighter, 0.65: Ac 1);
# AQL 2.5 -> Ac 5 (1.5: Ac 3). Reduced (Table 2-C): AQL 1.0 -> n 32 Ac 1; AQL 2.5 -> n 32 Ac 3.
CLEAN = {}
NOT_AT_TIGHTER = {"major_defects": 2, "defective_units": 2}  # accepted at 1.0 (Ac 2), not at 0.65 (Ac 1)
REJECT = {"major_defects": 3, "defective_units": 3}
# The lots here are judged at AQL 1.0 major / 2.5 minor unless a test says so.
record = partial(severity_lots.record, aql_major="1.0", aql_minor="2.5")


def switch_to_reduced(supplier, by):
    return severity_switch(
        supplier=supplier,
        by=by,
        sku="TOTE-01",
        severity="reduced",
        reason="Steady production, approved by QA",
    )


def test_clean_lots_add_three_each_and_ten_allow_reduced_with_a_reason(supplier_a, quality, tote_order):
    for n in range(9):
        record(supplier_a, quality, tote_order, f"N{n}", **CLEAN)
    assert severity_score(state_of(supplier_a)) == 27
    with pytest.raises(ValidationError, match=r"switching score of 30.*has 27"):
        switch_to_reduced(supplier_a, quality)
    record(supplier_a, quality, tote_order, "N9", **CLEAN)
    state = state_of(supplier_a)
    assert severity_score(state) == 30 and "Switching score 30" in state.progress
    assert state.severity == Severity.NORMAL  # the score alone never switches: quality staff approve it
    switch = switch_to_reduced(supplier_a, quality)
    assert (switch.from_severity, switch.to_severity, switch.rule) == ("normal", "reduced", SwitchRule.HAND)
    assert switch.reason == "Steady production, approved by QA"
    lot = record(supplier_a, quality, tote_order, "R1", **CLEAN)
    assert (lot.severity, lot.sample_size, lot.major_accept, lot.minor_accept) == ("reduced", 32, 1, 3)


def test_a_lot_not_accepted_at_the_tighter_aql_starts_the_score_over(supplier_a, quality, tote_order):
    for n in range(8):
        record(supplier_a, quality, tote_order, f"N{n}", **CLEAN)
    record(supplier_a, quality, tote_order, "X", **NOT_AT_TIGHTER)
    assert state_of(supplier_a).severity == Severity.NORMAL and severity_score(state_of(supplier_a)) == 0
    for n in range(9):
        record(supplier_a, quality, tote_order, f"M{n}", **CLEAN)
    assert severity_score(state_of(supplier_a)) == 27


def test_a_lot_not_accepted_on_reduced_returns_to_normal_and_the_score_restarts(
    supplier_a, quality, tote_order
):
    for n in range(10):
        record(supplier_a, quality, tote_order, f"N{n}", **CLEAN)
    switch_to_reduced(supplier_a, quality)
    for n in range(20):
        record(supplier_a, quality, tote_order, f"R{n}", **CLEAN)
    assert state_of(supplier_a).severity == Severity.REDUCED
    record(
        supplier_a, quality, tote_order, "BAD", major_defects=2, defective_units=2
    )  # reduced Ac 1: rejected
    state = state_of(supplier_a)
    assert (state.severity, state.rule, state.lots) == (
        Severity.NORMAL,
        SwitchRule.REDUCED_TO_NORMAL,
        ["BAD"],
    )
    assert severity_score(state) == 0
    assert record(supplier_a, quality, tote_order, "N10", **CLEAN).sample_size == 80


def test_irregular_production_returns_to_normal_by_hand(supplier_a, quality, tote_order):
    for n in range(10):
        record(supplier_a, quality, tote_order, f"N{n}", **CLEAN)
    switch_to_reduced(supplier_a, quality)
    back = severity_switch(
        supplier=supplier_a, by=quality, sku="TOTE-01", severity="normal", reason="Production irregular"
    )
    assert (back.from_severity, back.to_severity) == ("reduced", "normal")


def test_a_reduced_skus_lot_on_a_disputed_table_2c_cell_is_inspected_on_the_normal_plan(
    supplier_a, quality, tote_order
):
    for n in range(10):  # AQL 2.5 / 4.0: Ac 5 and 7 at J, tighter 1.5 / 2.5: Ac 3 and 5 -> +3 per clean lot
        record(supplier_a, quality, tote_order, f"N{n}", aql_major="2.5", aql_minor="4.0", **CLEAN)
    assert severity_score(state_of(supplier_a)) == 30
    switch_to_reduced(supplier_a, quality)  # every AQL has agreed reduced plans: 4.0 is not refused
    # Lot 1000: code letter J, whose reduced plan at AQL 4.0 is disputed: the whole lot on the normal plan (Table
    # 2-A: n 80, Ac 5 and 7), recorded as a lot on reduced inspection, which the SKU stays on.
    lot = record(supplier_a, quality, tote_order, "R1", aql_major="2.5", aql_minor="4.0", **CLEAN)
    assert (lot.severity, lot.code_letter, lot.sample_size, lot.major_accept, lot.minor_accept) == (
        "reduced",
        "J",
        80,
        5,
        7,
    )
    assert "Reduced plan not available for this lot size at AQL 4.0" in lot.reduced_fallback_note
    assert state_of(supplier_a).severity == Severity.REDUCED
    # Lot 500: code letter H, agreed at both AQLs: the reduced plans (n 20, Ac 2 and 3).
    lot = record(
        supplier_a, quality, tote_order, "R2", aql_major="2.5", aql_minor="4.0", lot_size=500, **CLEAN
    )
    assert (lot.severity, lot.sample_size, lot.major_accept, lot.minor_accept) == ("reduced", 20, 2, 3)
    assert lot.reduced_fallback_note == ""
    # A lot not accepted on the normal plan while the SKU is on reduced still ends reduced inspection.
    record(
        supplier_a,
        quality,
        tote_order,
        "R3",
        aql_major="2.5",
        aql_minor="4.0",
        major_defects=6,
        defective_units=6,
    )
    state = state_of(supplier_a)
    assert (state.severity, state.rule, state.lots) == (Severity.NORMAL, SwitchRule.REDUCED_TO_NORMAL, ["R3"])


def test_the_score_never_reaches_reduced_while_tightened(supplier_a, quality, tote_order):
    record(supplier_a, quality, tote_order, "B1", **REJECT)
    record(supplier_a, quality, tote_order, "B2", **REJECT)
    assert state_of(supplier_a).severity == Severity.TIGHTENED
    with pytest.raises(ValidationError, match="from normal inspection only"):
        switch_to_reduced(supplier_a, quality)


def _apply_reads(supplier, monkeypatch):
    """Run severity_apply once and return (queries, inspection rows read)."""
    read = []
    original = severity_service._points
    monkeypatch.setattr(severity_service, "_points", lambda row: read.append(row["pk"]) or original(row))
    state = state_of(supplier)
    with CaptureQueriesContext(connection) as queries:
        severity_apply(state=state)
    return len(queries), read


@pytest.mark.parametrize("history", [3, 25])
def test_applying_the_rules_reads_only_the_lots_since_the_last_switch(
    history, supplier_a, quality, tote_order, monkeypatch
):
    for n in range(history):
        record(supplier_a, quality, tote_order, f"H{n}", **CLEAN)
    severity_switch(supplier=supplier_a, by=quality, sku="TOTE-01", severity="tightened", reason="Complaint")
    latest = record(supplier_a, quality, tote_order, "T1", **CLEAN)
    queries, read = _apply_reads(supplier_a, monkeypatch)
    assert read == [latest.pk]  # one row, however long the history
    assert queries <= 3  # the lots since the mark, the earlier uses of their lot numbers, the progress write


def test_a_lot_resubmitted_after_the_switch_is_still_told_from_its_first_inspection(
    supplier_a, quality, tote_order
):
    record(supplier_a, quality, tote_order, "A1", **REJECT)
    severity_switch(supplier=supplier_a, by=quality, sku="TOTE-01", severity="tightened", reason="Complaint")
    for n in range(4):
        record(supplier_a, quality, tote_order, f"T{n}", **CLEAN)
    record(
        supplier_a, quality, tote_order, "A1", **CLEAN
    )  # A1 again: resubmitted, not the fifth accepted lot
    assert state_of(supplier_a).severity == Severity.TIGHTENED
    record(supplier_a, quality, tote_order, "T4", **CLEAN)
    assert state_of(supplier_a).severity == Severity.NORMAL


def test_the_skus_page_shows_the_score_and_refuses_or_confirms_reduced_with_a_reason(
    client, supplier_a, quality, tote_order
):
    from django.urls import reverse

    from tests.helpers import body_of

    for n in range(9):
        record(supplier_a, quality, tote_order, f"N{n}", **CLEAN)
    state = state_of(supplier_a)
    client.force_login(quality)
    page = body_of(client.get(reverse("audits:severity_detail", args=[state.pk])))
    assert "Switching score: 27" in page and 'value="reduced"' in page
    url = reverse("audits:severity_switch", args=[state.pk])
    refused = client.post(url, {"severity": "reduced", "reason": "Good run"})
    assert refused.status_code == 400 and "switching score of 30" in body_of(refused)
    assert state_of(supplier_a).severity == Severity.NORMAL
    record(supplier_a, quality, tote_order, "N9", **CLEAN)
    assert client.post(url, {"severity": "reduced", "reason": "Steady production"}).status_code == 302
    state = state_of(supplier_a)
    assert state.severity == Severity.REDUCED and state.explanation == "switched by hand: Steady production"
    query = (
        f"?supplier={supplier_a.pk}&order={tote_order.pk}&lot_size=1000&level=II&aql_major=1.0&aql_minor=2.5"
    )
    preview = body_of(client.get(reverse("audits:sampling_plan") + query))
    assert "Reduced plan (Table 2-C)." in preview and "sample 32, accept ≤ 1, reject ≥ 2" in preview
    # Minor AQL 4.0 at code letter J: a disputed cell of Table 2-C, so the normal plan, and the page says why.
    other = body_of(client.get(reverse("audits:sampling_plan") + query.replace("2.5", "4.0")))
    assert "Reduced plan (Table 2-C)." not in other
    assert (
        "Reduced plan not available for this lot size at AQL 4.0 (published transcriptions of ISO 2859-1 Table 2-C "
        "disagree); the normal plan applies." in other
    )
    assert "sample 80, accept ≤ 2, reject ≥ 3" in other and "sample 80, accept ≤ 7, reject ≥ 8" in other


def test_a_lot_on_the_normal_plan_while_reduced_says_why_on_every_page(
    client, api_client, supplier_a, quality, portal_a, tote_order
):
    from django.urls import reverse

    from tests.helpers import authed, body_of

    for n in range(10):
        record(supplier_a, quality, tote_order, f"N{n}", aql_major="2.5", aql_minor="4.0", **CLEAN)
    switch_to_reduced(supplier_a, quality)
    lot = record(supplier_a, quality, tote_order, "R1", aql_major="2.5", aql_minor="4.0", **CLEAN)
    english = (
        "Reduced plan not available for this lot size at AQL 4.0 (published transcriptions of ISO 2859-1 Table 2-C "
        "disagree); the normal plan applies."
    )
    client.force_login(quality)
    assert english in body_of(client.get(lot.get_absolute_url()))
    assert authed(api_client, quality).get(f"/api/v1/inspections/{lot.pk}/").json()["plan_note"] == english
    for language, words in (
        ("zh-hans", "没有放宽检验抽样方案"),
        ("vi", "Không có kế hoạch lấy mẫu giảm bớt"),
    ):
        portal_a.language = language
        portal_a.save(update_fields=["language"])
        client.force_login(portal_a)
        page = body_of(client.get(reverse("portal:inspections")))
        assert words in page and "AQL 4.0" in page and english not in page
