"""New-product invitations: inviting with checked spec files, the factory's answer before the deadline, the private
Q&A thread per supplier, samples and their evaluation, notices both ways, isolation and pinned query counts."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from communications.models import Notification
from partnership.models import InvitationMessage, InvitationSpecFile, Invitee, ProductInvitation, Sample
from partnership.selectors import invitations as selectors
from partnership.services import invitations as services
from partnership.services import samples as sample_services
from tests.factories import PDF_BYTES, PortalUserFactory, SupplierFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to("2026-03-02 09:00+08:00", tick=False)


def pdf(name="spec.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, "application/pdf")


def invite(by, suppliers, **kwargs):
    values = {
        "title": "Bamboo lunch box",
        "specification": "Food-grade bamboo fibre, 800 ml, two compartments.",
        "respond_by": date(2026, 3, 20),
        "target_price": "2.15",
        "currency": "usd",
        "target_volume": 20000,
    }
    return services.invitation_create(by=by, suppliers=suppliers, **{**values, **kwargs})


@pytest.fixture
def invitation(buyer, supplier_a, supplier_b, portal_a, portal_b):
    return invite(buyer, [supplier_a, supplier_b], files=[pdf()])


def own(invitation, supplier):
    return Invitee.objects.get(invitation=invitation, supplier=supplier)


def test_inviting_stores_the_checked_file_and_tells_each_factory_in_its_language(
    buyer, supplier_a, supplier_b, portal_a
):
    chinese = PortalUserFactory(supplier=supplier_b, language="zh-hans")
    invitation = invite(buyer, [supplier_a, supplier_b], files=[pdf()])
    assert invitation.currency == "USD" and str(invitation.target_price) == "2.1500"
    assert invitation.files.get().file.name.endswith(".pdf")
    assert set(invitation.invitees.values_list("supplier_id", flat=True)) == {supplier_a.pk, supplier_b.pk}
    note = Notification.objects.get(user=chinese, message_key="invitation_sent")
    with translation.override("zh-hans"):
        assert note.shown_title == "新产品邀请：Bamboo lunch box"
        assert "2026-03-20" in note.shown_body
    assert Notification.objects.filter(user=portal_a, message_key="invitation_sent").exists()


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"suppliers": []}, "suppliers", "Invite at least one supplier."),
        ({"respond_by": date(2026, 3, 2)}, "respond_by", "The answer deadline must be after today."),
        ({"respond_by": date(2026, 2, 1)}, "respond_by", "The answer deadline must be after today."),
        (
            {"files": [SimpleUploadedFile("x.html", b"<html><script>alert(1)</script>", "text/html")]},
            "files",
            "This file type is not accepted.",
        ),
        ({"target_price": "-1"}, "target_price", "The target price must be from 0"),
        ({"currency": ""}, "currency", "three-letter code"),
        ({"title": ""}, "title", "Give the new product a title."),
    ],
)
def test_bad_invitations_are_refused_with_a_message_and_change_nothing(
    buyer, supplier_a, kwargs, field, message
):
    values = {"suppliers": [supplier_a], **kwargs}
    with pytest.raises(ValidationError) as refused:
        invite(buyer, **values)
    assert message in " ".join(refused.value.message_dict[field])
    assert not ProductInvitation.objects.exists() and not InvitationSpecFile.objects.exists()
    assert not Notification.objects.exists()


def test_a_file_over_the_size_cap_is_refused(buyer, supplier_a, settings):
    settings.FILE_UPLOAD_MAX_BYTES = 10
    with pytest.raises(ValidationError, match="the limit is"):
        invite(buyer, [supplier_a], files=[pdf()])
    assert not ProductInvitation.objects.exists()


def test_the_factory_answers_interested_and_the_buyer_is_told(invitation, supplier_a, portal_a, buyer):
    invitee = services.invitation_respond(
        invitee=own(invitation, supplier_a), by=portal_a, status="interested"
    )
    assert invitee.status == Invitee.Status.INTERESTED and invitee.answered_by == portal_a
    note = Notification.objects.get(user=buyer, message_key="invitation_answered")
    assert note.shown_title == "Alpha Factory answered invitation Bamboo lunch box: Interested"


def test_declining_needs_a_reason(invitation, supplier_a, portal_a):
    with pytest.raises(ValidationError, match="Say why you decline"):
        services.invitation_respond(invitee=own(invitation, supplier_a), by=portal_a, status="declined")
    assert own(invitation, supplier_a).status == Invitee.Status.PENDING


def test_an_answer_after_the_deadline_or_on_a_withdrawn_invitation_changes_nothing(
    invitation, supplier_a, portal_a, buyer, time_machine
):
    time_machine.move_to("2026-03-21 09:00+08:00", tick=False)
    with pytest.raises(ValidationError, match=r"The deadline to answer \(2026-03-20\) has passed"):
        services.invitation_respond(invitee=own(invitation, supplier_a), by=portal_a, status="interested")
    time_machine.move_to("2026-03-05 09:00+08:00", tick=False)
    services.invitation_withdraw(invitation=invitation, by=buyer)
    with pytest.raises(ValidationError, match="withdrawn"):
        services.invitation_respond(invitee=own(invitation, supplier_a), by=portal_a, status="interested")
    with pytest.raises(ValidationError, match="withdrawn"):
        services.invitation_message_post(invitee=own(invitation, supplier_a), by=portal_a, text="Still?")
    assert own(invitation, supplier_a).status == Invitee.Status.PENDING
    assert not InvitationMessage.objects.exists()


def test_a_factory_cannot_answer_for_another_supplier(invitation, supplier_b, portal_a):
    with pytest.raises(PermissionDenied):
        services.invitation_respond(invitee=own(invitation, supplier_b), by=portal_a, status="interested")


def test_questions_stay_between_the_buyer_and_one_factory(
    client, invitation, supplier_a, supplier_b, portal_a, portal_b, buyer
):
    services.invitation_message_post(invitee=own(invitation, supplier_a), by=portal_a, text="Is FSC needed?")
    services.invitation_message_post(invitee=own(invitation, supplier_a), by=buyer, text="Yes, FSC 100 %.")
    assert Notification.objects.filter(user=buyer, message_key="invitation_question").exists()
    assert Notification.objects.filter(user=portal_a, message_key="invitation_reply").exists()
    assert not Notification.objects.filter(user=portal_b, message_key__in=["invitation_reply"]).exists()
    client.force_login(portal_b)
    page = client.get(reverse("portal:invitation_detail", args=[invitation.pk])).content.decode()
    assert "Is FSC needed?" not in page and "FSC 100" not in page
    client.force_login(portal_a)
    page = client.get(reverse("portal:invitation_detail", args=[invitation.pk])).content.decode()
    assert "Is FSC needed?" in page and "FSC 100 %" in page


def test_samples_are_recorded_by_the_factory_and_evaluated_by_the_buyer(
    invitation, supplier_a, portal_a, buyer
):
    invitee = own(invitation, supplier_a)
    sample = sample_services.sample_record(
        invitee=invitee, by=portal_a, sent_on=TODAY, quantity=3, tracking="SF 1234", note="Two colours"
    )
    assert Notification.objects.filter(user=buyer, message_key="sample_sent").exists()
    with pytest.raises(ValidationError, match="Say why the samples failed"):
        sample_services.sample_evaluate(sample=sample, by=buyer, result="failed")
    sample_services.sample_evaluate(sample=sample, by=buyer, result="failed", note="Lid leaks")
    sample.refresh_from_db()
    assert sample.result == Sample.Result.FAILED and sample.evaluated_by == buyer
    note = Notification.objects.get(user=portal_a, message_key="sample_evaluated")
    with translation.override("vi"):
        assert "Lid leaks" in note.shown_body and "Đánh giá mẫu" in note.shown_title


def test_a_sample_in_the_future_or_from_staff_is_refused(invitation, supplier_a, portal_a, buyer):
    invitee = own(invitation, supplier_a)
    with pytest.raises(ValidationError, match="future"):
        sample_services.sample_record(invitee=invitee, by=portal_a, sent_on=date(2026, 3, 3), quantity=1)
    with pytest.raises(PermissionDenied):
        sample_services.sample_record(invitee=invitee, by=buyer, sent_on=TODAY, quantity=1)
    assert not Sample.objects.exists()


def test_the_lists_and_invitees_are_read_in_a_constant_number_of_queries(
    buyer, django_assert_max_num_queries
):
    suppliers = [SupplierFactory() for _ in range(5)]
    contacts = [PortalUserFactory(supplier=s) for s in suppliers]
    for n in range(4):
        invitation = invite(buyer, suppliers, title=f"Product {n}")
        for supplier, contact in zip(suppliers, contacts, strict=True):
            invitee = own(invitation, supplier)
            services.invitation_message_post(invitee=invitee, by=contact, text="Q")
            sample_services.sample_record(invitee=invitee, by=contact, sent_on=TODAY, quantity=1)
    with django_assert_max_num_queries(1):
        rows = list(selectors.invitation_list(user=buyer))
    assert [r.invitee_count for r in rows] == [5] * 4
    with django_assert_max_num_queries(1):
        invitees = list(selectors.invitation_invitees(invitation=invitation))
    assert [(i.message_count, i.sample_count) for i in invitees] == [(1, 1)] * 5
    with django_assert_max_num_queries(1):
        mine = list(selectors.invitation_list(user=contacts[0]))
    assert [r.my_status for r in mine] == ["pending"] * 4


def test_the_buyer_invites_on_the_staff_page_with_a_file_and_a_bad_file_writes_nothing(
    client, buyer, supplier_a
):
    client.force_login(buyer)
    data = {
        "title": "Steel bottle",
        "specification": "500 ml, powder coated.",
        "respond_by": "2026-03-25",
        "currency": "USD",
        "suppliers": [supplier_a.pk],
    }
    bad = client.post(
        reverse("partnership:invitation_create"),
        {**data, "spec_file": SimpleUploadedFile("spec.svg", b"<svg onload=alert(1)>", "image/svg+xml")},
    )
    assert bad.status_code == 400 and "This file type is not accepted." in bad.content.decode()
    assert not ProductInvitation.objects.exists()
    past = client.post(reverse("partnership:invitation_create"), {**data, "respond_by": "2026-03-01"})
    assert past.status_code == 400 and "The answer deadline must be after today." in past.content.decode()
    ok = client.post(reverse("partnership:invitation_create"), {**data, "spec_file": pdf()})
    invitation = ProductInvitation.objects.get()
    assert ok.status_code == 302 and invitation.files.count() == 1


def test_the_factory_answers_asks_and_records_samples_in_the_portal(client, invitation, supplier_a, portal_a):
    client.force_login(portal_a)
    detail = reverse("portal:invitation_detail", args=[invitation.pk])
    declined = client.post(detail, {"status": "declined", "reason": ""})
    assert declined.status_code == 400 and "Say why you decline" in declined.content.decode()
    assert client.post(detail, {"status": "interested"}).status_code == 302
    asked = client.post(reverse("portal:invitation_ask", args=[invitation.pk]), {"text": "MOQ?"})
    assert asked.status_code == 302
    sent = client.post(
        reverse("portal:invitation_sample", args=[invitation.pk]),
        {"sent_on": "2026-03-02", "quantity": "4", "tracking": "DHL 9", "note": ""},
    )
    assert sent.status_code == 302
    invitee = own(invitation, supplier_a)
    assert invitee.status == "interested" and invitee.messages.count() == 1 and invitee.samples.count() == 1
    file_url = invitation.files.get().file.url
    assert client.get(file_url).status_code == 200


def test_a_factory_gets_404_for_an_invitation_and_files_it_is_not_invited_to(
    client, buyer, supplier_a, portal_b, api_client
):
    invitation = invite(buyer, [supplier_a], files=[pdf()])
    client.force_login(portal_b)
    assert client.get(reverse("portal:invitation_detail", args=[invitation.pk])).status_code == 404
    assert (
        client.post(reverse("portal:invitation_ask", args=[invitation.pk]), {"text": "Hi"}).status_code == 404
    )
    assert client.get(invitation.files.get().file.url).status_code == 404
    api_client.force_authenticate(portal_b)
    assert api_client.get(reverse("api:product-invitation-list")).json()["count"] == 0
    respond = api_client.post(
        reverse("api:product-invitation-respond", args=[invitation.pk]), {"status": "interested"}
    )
    assert respond.status_code == 404


def test_the_api_invites_and_the_factory_token_sees_only_its_own_answer(
    api_client, buyer, invitation, supplier_a, portal_a
):
    api_client.force_authenticate(portal_a)
    body = api_client.get(reverse("api:product-invitation-detail", args=[invitation.pk])).json()
    assert [i["supplier"] for i in body["invitees"]] == [supplier_a.pk]
    answered = api_client.post(
        reverse("api:product-invitation-respond", args=[invitation.pk]),
        {"status": "interested"},
        format="json",
    )
    assert answered.status_code == 200 and answered.json()["status"] == "interested"
    sample = api_client.post(
        reverse("api:product-invitation-samples", args=[invitation.pk]),
        {"sent_on": "2026-03-02", "quantity": 2},
        format="json",
    )
    assert sample.status_code == 201
    api_client.force_authenticate(buyer)
    created = api_client.post(
        reverse("api:product-invitation-list"),
        {
            "title": "Cup",
            "specification": "Ceramic",
            "respond_by": "2026-03-01",
            "suppliers": [supplier_a.pk],
        },
        format="json",
    )
    assert created.status_code == 400 and "The answer deadline must be after today." in str(created.json())
    created = api_client.post(
        reverse("api:product-invitation-list"),
        {
            "title": "Cup",
            "specification": "Ceramic",
            "respond_by": "2026-04-01",
            "suppliers": [supplier_a.pk],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    assert (
        len(api_client.get(reverse("api:product-invitation-detail", args=[invitation.pk])).json()["invitees"])
        == 2
    )
