"""The unanswered-issue playbook copies the factory's general manager ("escalate to senior management" on their side
too): the same notice by email, in their language, with the flag's figure and target, sent once; refused and
nothing changed when no general manager is on file."""

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from communications.models import Notification
from scorecards.models import RedFlag, RedFlagNote
from scorecards.playbooks.models import GeneralManagerCopy, PlaybookAction
from scorecards.playbooks.selectors import general_manager_for
from scorecards.playbooks.services import general_manager_copies_send, playbook_action_take
from scorecards.tasks import general_manager_copies_resend_task, general_manager_copy_email_task
from suppliers.models import Contact
from tests.factories import ContactFactory, PortalUserFactory, UserFactory

pytestmark = pytest.mark.django_db

Rule, Kind = RedFlag.Rule, PlaybookAction.Kind
GM = Contact.Role.GENERAL_MANAGER
SECRET = "Considering an exit plan"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-11-25 09:00 +00:00", tick=False):
        yield


def unanswered(supplier, period="issue-7") -> RedFlag:
    return RedFlag.objects.create(
        supplier=supplier,
        rule=Rule.UNANSWERED_ISSUE,
        period=period,
        observed="52 h",
        target="≤ 24 h",
        recommended_action="Reassign contacts.",
    )


def take(flag, by, kind=Kind.FACTORY_CONTACT, **inputs):
    if kind == Kind.FACTORY_CONTACT and "contact" not in inputs:
        inputs["contact"] = ContactFactory(supplier=flag.supplier, name="Li Na")
    if kind == Kind.OUR_CONTACT and "owner" not in inputs:
        inputs["owner"] = UserFactory(full_name="Carla Colleague")
    return playbook_action_take(flag=flag, by=by, kind=kind, **inputs)


# --- Service ----------------------------------------------------------------------------------------------------


def test_the_general_manager_is_copied_in_their_language_exactly_once(supplier_a, manager, portal_a):
    ContactFactory(
        supplier=supplier_a, role=GM, name="Zhang Wei", email="zhang@alpha.test", language="zh-hans"
    )
    flag = unanswered(supplier_a)
    action = take(
        flag, manager, note=SECRET, message="Li Na answers our issues from today.", copy_general_manager=True
    )
    copy = action.gm_copy
    assert (copy.name, copy.email, copy.language) == ("Zhang Wei", "zhang@alpha.test", "zh-hans")
    assert RedFlagNote.objects.filter(
        flag=flag, text="General manager copied: Zhang Wei, zhang@alpha.test"
    ).exists()
    assert general_manager_copy_email_task(copy.pk) is True
    assert (
        general_manager_copy_email_task(copy.pk) is False
    )  # the task run twice (a redelivery) sends nothing
    assert general_manager_copies_resend_task() == 0
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["zhang@alpha.test"]
    assert "Alpha Factory" in email.subject and "联系人变更" in email.subject
    assert "总经理" in email.body and "Li Na" in email.body and "answers our issues" in email.body
    assert "52 h" in email.body and "24 h" in email.body
    assert SECRET not in email.body and SECRET not in email.subject
    copy.refresh_from_db()
    assert copy.sent_at is not None
    # The portal users are told as before (the copy is on top, not instead).
    assert Notification.objects.filter(user=portal_a, message_key="contact_reassigned").exists()


def test_the_copy_carries_the_factorys_notice_word_for_word_in_the_general_managers_language(
    supplier_a, manager, portal_a
):
    ContactFactory(supplier=supplier_a, role=GM, name="Nguyen Van An", email="an@alpha.test", language="vi")
    portal_a.language = "vi"
    portal_a.save(update_fields=["language"])
    take(unanswered(supplier_a), manager, message="Li Na answers our issues.", copy_general_manager=True)
    assert general_manager_copies_send() == 1
    told = Notification.objects.get(user=portal_a, message_key="contact_reassigned")
    with translation.override("vi"):
        notice = told.shown_body
    assert (
        "Li Na" in notice and "Li Na answers our issues." in notice and notice != told.body
    )  # in Vietnamese
    assert f"\n\n{notice}\n\n" in mail.outbox[0].body


def test_the_language_falls_back_to_the_suppliers_country(supplier_a, manager):
    supplier_a.country = "VN"
    supplier_a.save(update_fields=["country"])
    ContactFactory(
        supplier=supplier_a, role=GM, name="Nguyen Van An", email="an@alpha.test", language="Vietnamese"
    )
    action = take(unanswered(supplier_a), manager, kind=Kind.OUR_CONTACT, copy_general_manager=True)
    assert action.gm_copy.language == "vi"
    general_manager_copies_send()
    assert "tổng giám đốc" in mail.outbox[0].body and "Carla Colleague" in mail.outbox[0].body


def test_a_general_manager_without_an_email_of_their_own_is_reached_through_their_portal_account(supplier_a):
    contact = ContactFactory(supplier=supplier_a, role=GM, name="Zhou", email="")
    assert general_manager_for(supplier=supplier_a) is None
    account = PortalUserFactory(supplier=supplier_a, email="zhou@alpha.test", language="vi")
    from suppliers.models import PortalInvitation

    PortalInvitation.objects.create(
        supplier=supplier_a,
        contact=contact,
        email="zhou@alpha.test",
        language="vi",
        nonce="n",
        token_hash="h" * 64,
        expires_at="2026-12-01T00:00Z",
        user=account,
    )
    found = general_manager_for(supplier=supplier_a)
    assert (found.name, found.email, found.language) == ("Zhou", "zhou@alpha.test", "vi")


def test_an_inactive_general_manager_or_another_suppliers_is_not_on_file(supplier_a, supplier_b):
    ContactFactory(supplier=supplier_a, role=GM, is_active=False)
    ContactFactory(supplier=supplier_b, role=GM)
    ContactFactory(supplier=supplier_a, role=Contact.Role.SALES)
    assert general_manager_for(supplier=supplier_a) is None


def test_asking_for_a_copy_with_no_general_manager_is_refused_and_changes_nothing(
    supplier_a, manager, portal_a
):
    old = ContactFactory(supplier=supplier_a, is_primary=True, name="Old Wang")
    new = ContactFactory(supplier=supplier_a, name="Li Na")
    flag = unanswered(supplier_a)
    with pytest.raises(ValidationError, match="No general manager on file"):
        take(flag, manager, contact=new, copy_general_manager=True)
    old.refresh_from_db()
    new.refresh_from_db()
    assert old.is_primary and not new.is_primary
    assert not PlaybookAction.objects.exists() and not GeneralManagerCopy.objects.exists()
    assert not Notification.objects.filter(user=portal_a).exists()
    assert general_manager_copies_send() == 0 and mail.outbox == []
    # Without the copy, the step still works.
    action = take(flag, manager, contact=new)
    assert not GeneralManagerCopy.objects.filter(action=action).exists()


def test_only_a_change_of_contact_is_copied(supplier_a, manager):
    ContactFactory(supplier=supplier_a, role=GM, email="gm@alpha.test")
    flag = RedFlag.objects.create(
        supplier=supplier_a,
        rule=Rule.CONSISTENT_MISS,
        period="2026-W48:defect_rate",
        observed="x",
        target="y",
    )
    with pytest.raises(ValidationError, match="Only a change of contact"):
        playbook_action_take(flag=flag, by=manager, kind=Kind.CONTRACT_REVIEW, copy_general_manager=True)
    assert not PlaybookAction.objects.exists()


def test_a_failed_send_is_kept_and_retried_once_later(supplier_a, manager, monkeypatch):
    ContactFactory(supplier=supplier_a, role=GM, email="gm@alpha.test")
    copy = take(unanswered(supplier_a), manager, copy_general_manager=True).gm_copy

    def broken(*_args, **_kwargs):
        raise OSError("SMTP down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", broken)
    assert general_manager_copies_send() == 0
    copy.refresh_from_db()
    assert "SMTP down" in copy.last_error and copy.sent_at is None
    monkeypatch.undo()
    with time_machine.travel("2026-11-25 10:00 +00:00", tick=False):
        assert general_manager_copies_send() == 1
        assert general_manager_copies_send() == 0
    assert len(mail.outbox) == 1


# --- Flag page --------------------------------------------------------------------------------------------------


def test_the_flag_page_offers_the_copy_ticked_and_shows_whom_it_went_to(client, manager, supplier_a):
    ContactFactory(supplier=supplier_a, role=GM, name="Zhang Wei", email="zhang@alpha.test")
    new = ContactFactory(supplier=supplier_a, name="Li Na")
    flag = unanswered(supplier_a)
    client.force_login(manager)
    page = client.get(flag.get_absolute_url()).content.decode()
    assert 'name="copy_general_manager" value="on" id="pb-gm-factory_contact" checked' in page
    assert "Zhang Wei, zhang@alpha.test" in page
    response = client.post(
        reverse("scorecards:flag_playbook", args=[flag.pk]),
        {"kind": "factory_contact", "contact": new.pk, "copy_general_manager": "on", "note": SECRET},
        follow=True,
    )
    assert response.status_code == 200
    assert "General manager copied: Zhang Wei, zhang@alpha.test" in response.content.decode()
    assert GeneralManagerCopy.objects.get().action.kind == Kind.FACTORY_CONTACT


def test_with_no_general_manager_the_box_is_disabled_and_the_step_still_works(client, manager, supplier_a):
    new = ContactFactory(supplier=supplier_a, name="Li Na")
    flag = unanswered(supplier_a)
    client.force_login(manager)
    page = client.get(flag.get_absolute_url()).content.decode()
    assert 'id="pb-gm-factory_contact" disabled' in page and "No general manager on file" in page
    url = reverse("scorecards:flag_playbook", args=[flag.pk])
    refused = client.post(
        url, {"kind": "factory_contact", "contact": new.pk, "copy_general_manager": "on"}, follow=True
    )
    assert "No general manager on file" in refused.content.decode()
    assert not PlaybookAction.objects.exists()
    client.post(url, {"kind": "factory_contact", "contact": new.pk})
    assert PlaybookAction.objects.get().contact == new
    assert not GeneralManagerCopy.objects.exists()


# --- API --------------------------------------------------------------------------------------------------------


def test_api_copies_the_general_manager_on_request(api_client, manager, supplier_a):
    ContactFactory(
        supplier=supplier_a, role=GM, name="Zhang Wei", email="zhang@alpha.test", language="zh-hans"
    )
    colleague = UserFactory(full_name="Carla Colleague")
    flag = unanswered(supplier_a)
    api_client.force_authenticate(manager)
    url = reverse("api:red-flag-actions", args=[flag.pk])
    created = api_client.post(
        url,
        {"kind": "our_contact", "owner": colleague.pk, "note": SECRET, "copy_general_manager": True},
        format="json",
    )
    assert created.status_code == 201, created.content
    copied = created.json()["general_manager_copied"]
    assert (
        copied["name"] == "Zhang Wei" and copied["email"] == "zhang@alpha.test" and copied["sent_at"] is None
    )
    assert api_client.get(url).json()[0]["general_manager_copied"]["language"] == "zh-hans"


def test_api_refuses_a_copy_with_no_general_manager_and_changes_nothing(api_client, manager, supplier_a):
    new = ContactFactory(supplier=supplier_a, name="Li Na")
    flag = unanswered(supplier_a)
    api_client.force_authenticate(manager)
    url = reverse("api:red-flag-actions", args=[flag.pk])
    refused = api_client.post(
        url, {"kind": "factory_contact", "contact": new.pk, "copy_general_manager": True}, format="json"
    )
    assert refused.status_code == 400 and "copy_general_manager" in refused.json()
    assert not PlaybookAction.objects.exists()
    plain = api_client.post(url, {"kind": "factory_contact", "contact": new.pk}, format="json")
    assert plain.status_code == 201 and plain.json()["general_manager_copied"] is None


def test_a_factory_contact_cannot_take_the_step_or_read_the_copy(
    api_client, client, manager, supplier_a, portal_a
):
    ContactFactory(supplier=supplier_a, role=GM, email="gm@alpha.test")
    flag = unanswered(supplier_a)
    take(flag, manager, copy_general_manager=True)
    client.force_login(portal_a)
    assert client.get(flag.get_absolute_url()).status_code == 404
    api_client.force_authenticate(portal_a)
    url = reverse("api:red-flag-actions", args=[flag.pk])
    assert api_client.get(url).status_code == 404
    assert (
        api_client.post(url, {"kind": "our_contact", "copy_general_manager": True}, format="json").status_code
        == 404
    )
    assert GeneralManagerCopy.objects.count() == 1


def test_a_general_manager_with_a_portal_account_is_told_once_by_the_copy(supplier_a, manager, portal_a):
    """The general manager's portal account gets no portal notice on top of the copy; the other contacts do."""
    from suppliers.models import PortalInvitation

    account = PortalUserFactory(supplier=supplier_a, email="boss@alpha.test", language="zh-hans")
    contact = ContactFactory(supplier=supplier_a, role=GM, name="Boss", email="boss@alpha.test")
    PortalInvitation.objects.create(
        supplier=supplier_a,
        contact=contact,
        email="boss@alpha.test",
        language="zh-hans",
        nonce="b",
        token_hash="b" * 64,
        expires_at="2026-12-01T00:00Z",
        user=account,
    )
    take(unanswered(supplier_a), manager, copy_general_manager=True)
    assert not Notification.objects.filter(user=account, message_key="contact_reassigned").exists()
    assert Notification.objects.filter(user=portal_a, message_key="contact_reassigned").exists()
    # Without the copy, the account is told through the portal like every other contact.
    take(unanswered(supplier_a, period="issue-8"), manager, kind=Kind.OUR_CONTACT)
    assert Notification.objects.filter(user=account, message_key="contact_reassigned").count() == 1


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("vi", "vi"),
        ("zh-Hans", "zh-hans"),
        ("zh_CN", "zh-hans"),
        ("en-GB", "en"),
        ("English", "en"),
        (" Vietnamese ", "vi"),
        ("Tiếng Việt", "vi"),
        ("中文", "zh-hans"),
        ("简体中文", "zh-hans"),
        ("Thai", ""),
        ("", ""),
    ],
)
def test_a_contacts_free_text_language_names_a_site_language(written, code):
    from suppliers.invitations import contact_language

    assert contact_language(written) == code


def test_a_general_manager_who_asked_for_english_is_copied_in_english(supplier_a, manager):
    supplier_a.country = "CN"
    supplier_a.save(update_fields=["country"])
    ContactFactory(supplier=supplier_a, role=GM, name="Wang", email="wang@alpha.test", language="English")
    action = take(unanswered(supplier_a), manager, copy_general_manager=True)
    assert action.gm_copy.language == "en"
