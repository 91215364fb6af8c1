"""The factory's side of quality in the portal (answering corrective actions, uploading lab reports) and the
quality API: what a factory token may write, what staff may, and which audits each sees."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from audits import services
from audits.models import Audit, BatchTest, CorrectiveAction, CorrectiveActionEvidence, QCInspection
from tests.factories import (
    PDF_BYTES,
    AuditFactory,
    CorrectiveActionFactory,
    PurchaseOrderFactory,
)
from tests.helpers import authed

pytestmark = pytest.mark.django_db

ANSWER = {
    "supplier_owner": "Li Wei, QA manager",
    "containment": "Sorted the whole lot; 14 bags held back.",
    "root_cause": "Worn needle on line 3.",
    "corrective_action": "Needles replaced.",
    "preventive_action": "Needle change on the daily checklist.",
}


def today():
    return timezone.localdate()


def pdf(name="evidence.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


@pytest.fixture
def capa(supplier_a, quality):
    return CorrectiveActionFactory(
        supplier=supplier_a, raised_by=quality, title="Loose handle seams", problem="7 major defects in 80."
    )


# --- Portal: corrective actions -------------------------------------------------------------------------------


def test_factory_answers_a_corrective_action_then_attaches_evidence(portal_client, portal_a, capa):
    url = reverse("portal:capa_detail", args=[capa.pk])
    listing = portal_client.get(reverse("portal:capa_list")).content.decode()
    assert "Loose handle seams" in listing and url in listing

    form = portal_client.get(url)
    assert form.status_code == 200
    body = form.content.decode()
    assert "7 major defects in 80." in body and "Submit for verification" in body
    for name in ANSWER:
        assert f'name="{name}"' in body

    response = portal_client.post(url, ANSWER)
    assert response.status_code == 302 and response.url == url
    capa.refresh_from_db()
    assert capa.status == CorrectiveAction.Status.SUBMITTED and capa.submitted_by == portal_a
    assert {k: getattr(capa, k) for k in ANSWER} == ANSWER

    response = portal_client.post(url, {"kind": "evidence", "file": pdf(), "note": "Needle log, week 12"})
    assert response.status_code == 302
    evidence = CorrectiveActionEvidence.objects.get()
    assert (evidence.action, evidence.supplier, evidence.uploaded_by) == (capa, capa.supplier, portal_a)

    body = portal_client.get(url).content.decode()
    assert "Submitted. Our QC team will verify it." in body and "Submit for verification" not in body
    assert "Needle log, week 12" in body and evidence.file.url in body
    download = portal_client.get(evidence.file.url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF_BYTES


def test_factory_answer_with_a_part_missing_shows_the_error(portal_client, capa):
    response = portal_client.post(reverse("portal:capa_detail", args=[capa.pk]), {**ANSWER, "root_cause": ""})
    assert response.status_code == 400
    assert response.context["form"].errors["root_cause"] == ["This field is required."]
    capa.refresh_from_db()
    assert capa.status == CorrectiveAction.Status.OPEN and capa.containment == ""


def test_factory_sees_the_rejection_note_and_resubmits(portal_client, portal_a, quality, capa):
    url = reverse("portal:capa_detail", args=[capa.pk])
    portal_client.post(url, ANSWER)
    services.capa_verify(action=capa, by=quality, accept=False, note="Show the needle change log.")

    body = portal_client.get(url).content.decode()
    assert "Rejected — resubmit" in body
    assert "Show the needle change log." in body
    assert "Submit for verification" in body  # the form is back
    assert ANSWER["root_cause"] in body  # with the previous answer filled in

    response = portal_client.post(url, {**ANSWER, "preventive_action": "Needle log on the line board."})
    assert response.status_code == 302
    capa.refresh_from_db()
    assert (capa.status, capa.preventive_action) == ("submitted", "Needle log on the line board.")


def test_html_disguised_as_pdf_is_refused_in_the_portal(portal_client, capa):
    disguised = SimpleUploadedFile(
        "scan.pdf", b"<html><script>alert(1)</script>", content_type="application/pdf"
    )
    response = portal_client.post(
        reverse("portal:capa_detail", args=[capa.pk]), {"kind": "evidence", "file": disguised}
    )
    assert response.status_code == 400
    assert "This file type is not accepted." in response.content.decode()
    assert not CorrectiveActionEvidence.objects.exists()


def test_factory_b_cannot_open_or_answer_as_corrective_action(client, portal_b, capa):
    client.force_login(portal_b)
    url = reverse("portal:capa_detail", args=[capa.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, ANSWER).status_code == 404
    assert "Loose handle seams" not in client.get(reverse("portal:capa_list")).content.decode()
    capa.refresh_from_db()
    assert capa.status == CorrectiveAction.Status.OPEN


def test_evidence_of_a_hidden_corrective_action_is_not_downloadable_by_the_factory(
    client, hidden_a, portal_a, quality
):
    evidence = services.capa_add_evidence(action=hidden_a["capa"], by=quality, file=pdf("locked-exit.pdf"))
    client.force_login(portal_a)
    assert client.get(reverse("portal:capa_detail", args=[hidden_a["capa"].pk])).status_code == 404
    assert client.get(evidence.file.url).status_code == 404


# --- Portal: lab reports --------------------------------------------------------------------------------------


def test_factory_uploads_a_lab_report(portal_client, portal_a, supplier_a, supplier_b):
    order = PurchaseOrderFactory(supplier=supplier_a, number="PO-ALPHA-1")
    PurchaseOrderFactory(supplier=supplier_b, number="PO-BETA-1")
    page = portal_client.get(reverse("portal:batch_tests")).content.decode()
    assert "PO-ALPHA-1" in page and "PO-BETA-1" not in page

    response = portal_client.post(
        reverse("portal:batch_tests"),
        {
            "order": order.pk,
            "lot_number": "LOT-2024-19",
            "standard": "EN 71-3",
            "laboratory": "Intertek Guangzhou",
            "tested_on": (today() - timedelta(days=3)).isoformat(),
            "outcome": "pass",
            "report": pdf("lab.pdf"),
        },
    )
    assert response.status_code == 302 and response.url == reverse("portal:batch_tests")
    test = BatchTest.objects.get()
    assert (test.supplier, test.order, test.uploaded_by, test.review) == (
        supplier_a,
        order,
        portal_a,
        "submitted",
    )
    page = portal_client.get(reverse("portal:batch_tests")).content.decode()
    assert "LOT-2024-19" in page and "Waiting for review" in page


def test_factory_cannot_file_a_lab_report_under_another_suppliers_order(portal_client, supplier_b):
    response = portal_client.post(
        reverse("portal:batch_tests"),
        {
            "order": PurchaseOrderFactory(supplier=supplier_b).pk,
            "lot_number": "L1",
            "standard": "REACH",
            "laboratory": "SGS",
            "tested_on": today().isoformat(),
            "outcome": "pass",
            "report": pdf("lab.pdf"),
        },
    )
    assert response.status_code == 400
    assert "order" in response.context["form"].errors
    assert not BatchTest.objects.exists()


def test_lab_report_form_does_not_offer_draft_orders(portal_client, supplier_a):
    PurchaseOrderFactory(supplier=supplier_a, number="PO-SENT-1")
    PurchaseOrderFactory(supplier=supplier_a, number="PO-DRAFT-1", status="draft")
    page = portal_client.get(reverse("portal:batch_tests")).content.decode()
    assert "PO-SENT-1" in page
    assert "PO-DRAFT-1" not in page


# --- API ------------------------------------------------------------------------------------------------------


def test_factory_token_submits_its_corrective_action(api_client, portal_a, capa):
    response = authed(api_client, portal_a).post(
        f"/api/v1/corrective-actions/{capa.pk}/submit/", ANSWER, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "submitted"
    capa.refresh_from_db()
    assert capa.status == CorrectiveAction.Status.SUBMITTED and capa.submitted_by == portal_a


def test_factory_token_answer_with_a_part_missing_is_400(api_client, portal_a, capa):
    response = authed(api_client, portal_a).post(
        f"/api/v1/corrective-actions/{capa.pk}/submit/", {**ANSWER, "containment": ""}, format="json"
    )
    assert response.status_code == 400 and "containment" in response.json()
    capa.refresh_from_db()
    assert capa.status == CorrectiveAction.Status.OPEN


def test_factory_token_cannot_verify(api_client, portal_a, capa):
    client = authed(api_client, portal_a)
    client.post(f"/api/v1/corrective-actions/{capa.pk}/submit/", ANSWER, format="json")
    response = client.post(f"/api/v1/corrective-actions/{capa.pk}/verify/", {"accept": True}, format="json")
    assert response.status_code == 403
    capa.refresh_from_db()
    assert capa.status == CorrectiveAction.Status.SUBMITTED


def test_factory_b_token_gets_404_for_as_corrective_action(api_client, portal_b, capa):
    response = authed(api_client, portal_b).post(
        f"/api/v1/corrective-actions/{capa.pk}/submit/", ANSWER, format="json"
    )
    assert response.status_code == 404
    capa.refresh_from_db()
    assert capa.status == CorrectiveAction.Status.OPEN


def test_quality_token_verifies_a_submitted_action(api_client, quality, portal_a, capa):
    services.capa_submit(action=capa, by=portal_a, **ANSWER)
    client = authed(api_client, quality)
    refused = client.post(f"/api/v1/corrective-actions/{capa.pk}/verify/", {"accept": False}, format="json")
    assert refused.status_code == 400 and "note" in refused.json()
    response = client.post(f"/api/v1/corrective-actions/{capa.pk}/verify/", {"accept": True}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "verified"


def lab_report_payload(**overrides):
    return {
        "lot_number": "L1",
        "standard": "EN 71-3",
        "laboratory": "SGS",
        "tested_on": today().isoformat(),
        "outcome": "pass",
        "report": pdf("lab.pdf"),
        **overrides,
    }


def test_factory_token_uploads_a_lab_report_for_its_own_order(api_client, portal_a, supplier_a):
    order = PurchaseOrderFactory(supplier=supplier_a)
    response = authed(api_client, portal_a).post(
        "/api/v1/lab-reports/", lab_report_payload(order=order.pk), format="multipart"
    )
    assert response.status_code == 201, response.content
    test = BatchTest.objects.get()
    assert (test.supplier, test.order, test.uploaded_by, test.review) == (
        supplier_a,
        order,
        portal_a,
        "submitted",
    )


def test_factory_token_cannot_tell_another_suppliers_order_from_a_missing_one(
    api_client, portal_a, supplier_b
):
    client = authed(api_client, portal_a)
    other = client.post(
        "/api/v1/lab-reports/",
        lab_report_payload(order=PurchaseOrderFactory(supplier=supplier_b).pk),
        format="multipart",
    )
    missing = client.post("/api/v1/lab-reports/", lab_report_payload(order=999_999), format="multipart")
    assert other.status_code == missing.status_code == 400
    assert not BatchTest.objects.exists()
    assert re.sub(r"\d+", "N", str(other.json())) == re.sub(r"\d+", "N", str(missing.json()))


def test_staff_token_uploads_a_lab_report_for_the_supplier_it_names(api_client, quality, supplier_a):
    response = authed(api_client, quality).post(
        "/api/v1/lab-reports/", lab_report_payload(supplier=supplier_a.pk), format="multipart"
    )

    assert response.status_code == 201, response.content
    assert response.json()["supplier"] == supplier_a.pk
    assert BatchTest.objects.get().supplier == supplier_a


@pytest.mark.parametrize("supplier", ["abc", "1.5", "99999999999999999999", None])
def test_staff_tokens_lab_report_for_a_malformed_or_missing_supplier_is_400(api_client, quality, supplier):
    payload = lab_report_payload() if supplier is None else lab_report_payload(supplier=supplier)

    response = authed(api_client, quality).post("/api/v1/lab-reports/", payload, format="multipart")

    assert response.status_code == 400 and "supplier" in response.json()
    assert not BatchTest.objects.exists()


def test_a_planned_audits_empty_result_is_in_the_schema(api_client, quality, supplier_a):
    planned = AuditFactory(supplier=supplier_a)
    client = authed(api_client, quality)

    row = client.get(f"/api/v1/audits/{planned.pk}/").json()
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()["components"]["schemas"]

    assert row["status"] == "planned" and row["result"] == ""
    allowed = {
        value
        for option in schema["Audit"]["properties"]["result"]["oneOf"]
        for value in schema[option["$ref"].rsplit("/", 1)[1]]["enum"]
    }
    assert allowed == {"", *Audit.Result.values}


def inspection_payload(supplier, **overrides):
    payload = {
        "supplier": supplier.pk,
        "checkpoint": "pre_shipment",
        "inspected_on": (today() - timedelta(days=1)).isoformat(),
        "lot_size": 1000,
        "level": "II",
        "aql_major": "2.5",
        "aql_minor": "4.0",
        "major_defects": 6,
        "minor_defects": 0,
        "defective_units": 6,
    }
    payload.update(overrides)
    return payload


def test_staff_post_of_an_inspection_computes_the_plan(api_client, quality, supplier_a):
    order = PurchaseOrderFactory(supplier=supplier_a)
    response = authed(api_client, quality).post(
        "/api/v1/inspections/", inspection_payload(supplier_a, order=order.pk), format="json"
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["code_letter"], data["sample_size"]) == ("J", 80)
    assert (data["major_accept"], data["major_reject"], data["minor_accept"], data["minor_reject"]) == (
        5,
        6,
        7,
        8,
    )
    assert data["computed_result"] == data["result"] == "reject"
    inspection = QCInspection.objects.get(pk=data["id"])
    assert (inspection.inspector, inspection.order, inspection.sample_size) == (quality, order, 80)


def test_staff_cannot_post_the_plan_fields_themselves(api_client, quality, supplier_a):
    response = authed(api_client, quality).post(
        "/api/v1/inspections/",
        inspection_payload(
            supplier_a, code_letter="A", sample_size=2, major_reject=99, computed_result="accept"
        ),
        format="json",
    )
    assert response.status_code == 201
    assert (response.json()["code_letter"], response.json()["sample_size"], response.json()["result"]) == (
        "J",
        80,
        "reject",
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"defective_units": 7}, "defective_units"),  # more units than the 6 defects counted
        ({"result": "accept"}, "override_reason"),  # overriding without a reason
        ({"aql_major": "3.0"}, "aql_major"),  # not a preferred AQL
        ({"lot_size": "many"}, "lot_size"),
        ({"checkpoint": "on_the_moon"}, "checkpoint"),
    ],
)
def test_bad_inspection_input_is_400_and_writes_nothing(api_client, quality, supplier_a, overrides, field):
    response = authed(api_client, quality).post(
        "/api/v1/inspections/", inspection_payload(supplier_a, **overrides), format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not QCInspection.objects.exists()


def test_inspection_of_another_suppliers_order_is_400(api_client, quality, supplier_a, supplier_b):
    response = authed(api_client, quality).post(
        "/api/v1/inspections/",
        inspection_payload(supplier_a, order=PurchaseOrderFactory(supplier=supplier_b).pk),
        format="json",
    )
    assert response.status_code == 400 and "order" in response.json()
    assert not QCInspection.objects.exists()


def test_buyer_and_factory_tokens_cannot_record_inspections(api_client, buyer, portal_a, supplier_a):
    assert (
        authed(api_client, buyer)
        .post("/api/v1/inspections/", inspection_payload(supplier_a), format="json")
        .status_code
        == 403
    )
    assert (
        authed(api_client, portal_a)
        .post("/api/v1/inspections/", inspection_payload(supplier_a), format="json")
        .status_code
        == 403
    )
    assert not QCInspection.objects.exists()


def test_audit_list_never_shows_a_planned_unannounced_audit_to_the_factory(
    api_client, portal_a, quality, supplier_a
):
    announced = AuditFactory(supplier=supplier_a, announced=True)
    surprise = AuditFactory(supplier=supplier_a, announced=False, planned_on=today() + timedelta(days=5))

    factory_ids = {row["id"] for row in authed(api_client, portal_a).get("/api/v1/audits/").json()["results"]}
    assert factory_ids == {announced.pk}
    assert api_client.get(f"/api/v1/audits/{surprise.pk}/").status_code == 404

    staff_ids = {row["id"] for row in authed(api_client, quality).get("/api/v1/audits/").json()["results"]}
    assert staff_ids == {announced.pk, surprise.pk}

    services.audit_complete(audit=surprise, by=quality, performed_on=today())
    factory_ids = {row["id"] for row in authed(api_client, portal_a).get("/api/v1/audits/").json()["results"]}
    assert factory_ids == {announced.pk, surprise.pk}
    assert Audit.objects.get(pk=surprise.pk).status == Audit.Status.PERFORMED
