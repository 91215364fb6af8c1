"""Contests on the pages and the API: the portal's Contest button, form and decision; the staff list (open first),
decide page and the marks on the rows behind a number; the manager's home page; the API for both sides."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from scorecards.contests import services as contest_services
from scorecards.contests.models import RowContest
from tests.factories import PDF_BYTES, PortalUserFactory
from tests.scorecards.contest_builders import contest, defective_inspection, late_delivery, slow_issue

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 18, 9, 0, tzinfo=ZoneInfo("UTC"))
API = "/api/v1/scorecard-contests/"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def behind(kpi):
    return reverse("portal:scorecard_behind", args=[kpi])


# --- The portal -------------------------------------------------------------------------------------------------


def test_the_factory_contests_a_late_delivery_from_the_rows_behind_its_number(client, portal_a, supplier_a):
    late = late_delivery(supplier_a)
    client.force_login(portal_a)
    page = client.get(behind("on_time_delivery")).content.decode()
    create = reverse("portal:contest_create", args=["delivery", late.pk])
    assert create in page
    assert client.get(create).status_code == 200
    response = client.post(
        create,
        {"reason": "The port was closed.", "evidence": SimpleUploadedFile("notice.pdf", PDF_BYTES)},
    )
    opened = RowContest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "portal:contest_detail", args=[opened.pk]
    )
    assert opened.evidence and opened.opened_by == portal_a
    page = client.get(behind("on_time_delivery")).content.decode()
    assert "contest-mark" in page and create not in page  # marked, no second button
    detail = client.get(response["Location"]).content.decode()
    assert "The port was closed." in detail and "Waiting for a manager" in detail


def test_a_contest_without_a_reason_shows_the_error_and_saves_nothing(client, portal_a, supplier_a):
    late = late_delivery(supplier_a)
    client.force_login(portal_a)
    response = client.post(reverse("portal:contest_create", args=["delivery", late.pk]), {"reason": " "})
    assert response.status_code == 400
    assert not RowContest.objects.exists()


def test_a_contest_form_for_another_suppliers_row_is_a_404_and_saves_nothing(client, portal_b, supplier_a):
    late = late_delivery(supplier_a)
    client.force_login(portal_b)
    url = reverse("portal:contest_create", args=["delivery", late.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "Mine now"}).status_code == 404
    assert client.get(reverse("portal:contest_create", args=["invoice", late.pk])).status_code == 404
    assert not RowContest.objects.exists()


def test_the_factory_sees_the_decision_and_the_excused_row_apart(client, portal_a, supplier_a, manager):
    slow = slow_issue(supplier_a)
    opened = contest(portal_a, slow, "issue")
    contest_services.row_contest_accept(contest=opened, by=manager, note="You answered by phone.")
    client.force_login(portal_a)
    detail = client.get(reverse("portal:contest_detail", args=[opened.pk])).content.decode()
    assert "You answered by phone." in detail and "no longer counts against you" in detail
    page = client.get(behind("response_time"))
    assert page.context["rows"] == [] and page.context["excused_rows"] == [slow]
    assert "You answered by phone." in page.content.decode()
    listed = client.get(reverse("portal:contests")).content.decode()
    assert slow.subject in listed


def test_the_portal_contest_pages_read_in_chinese(client, supplier_a):
    factory = PortalUserFactory(supplier=supplier_a, language="zh-hans")
    opened = contest(factory, defective_inspection(supplier_a), "inspection")
    client.force_login(factory)
    assert "等待经理决定" in client.get(reverse("portal:contest_detail", args=[opened.pk])).content.decode()
    assert "有异议" in client.get(behind("defect_rate")).content.decode()  # marked as contested
    defective_inspection(supplier_a, days_ago=9)
    assert "提出异议" in client.get(behind("defect_rate")).content.decode()  # the other row's button


def test_the_portal_contest_list_shows_only_the_factorys_own(
    client, portal_a, portal_b, supplier_a, supplier_b
):
    contest(portal_a, late_delivery(supplier_a, number=None), "delivery")
    client.force_login(portal_b)
    assert list(client.get(reverse("portal:contests")).context["page"].object_list) == []


# --- Staff ------------------------------------------------------------------------------------------------------


def test_the_staff_rows_behind_mark_a_contested_row_until_it_is_decided(
    client, buyer, portal_a, supplier_a, manager
):
    contested = defective_inspection(supplier_a)
    opened = contest(portal_a, contested, "inspection")
    client.force_login(buyer)
    url = reverse("scorecards:behind", args=[supplier_a.pk, "defect_rate"])
    page = client.get(url).content.decode()
    assert opened.get_absolute_url() in page and "contested" in page
    contest_services.row_contest_accept(
        contest=opened, by=manager, note="Recount.", outcome="corrected", corrected_defective_units=1
    )
    page = client.get(url).content.decode()
    assert "contest accepted" in page and "1/100" in page


def test_a_manager_sees_contests_to_decide_on_the_home_page_and_accepts_one(
    client, manager, portal_a, supplier_a
):
    late = late_delivery(supplier_a)
    opened = contest(portal_a, late, "delivery")
    client.force_login(manager)
    home = client.get(reverse("home")).content.decode()
    assert "Contests to decide" in home
    listed = client.get(reverse("scorecards:contest_list"), {"todo": "contests_to_decide"})
    assert list(listed.context["page"].object_list) == [opened]
    response = client.post(
        opened.get_absolute_url(), {"decision": "accept", "note": "The port notice is clear."}
    )
    assert response.status_code == 302
    opened.refresh_from_db()
    late.refresh_from_db()
    assert opened.status == "accepted" and late.excused_at is not None
    assert "Contests to decide" not in client.get(reverse("home")).content.decode()
    page = client.get(reverse("scorecards:deliveries", args=[supplier_a.pk])).content.decode()
    assert "The port notice is clear." in page  # listed apart, excused


def test_a_buyer_sees_a_contest_but_cannot_decide_it(client, buyer, portal_a, supplier_a):
    opened = contest(portal_a, late_delivery(supplier_a), "delivery")
    client.force_login(buyer)
    assert client.get(opened.get_absolute_url()).status_code == 200
    assert client.post(opened.get_absolute_url(), {"decision": "reject", "note": "No."}).status_code == 403
    opened.refresh_from_db()
    assert opened.is_open


@pytest.mark.parametrize(
    "data",
    [
        {"decision": "reject", "note": ""},
        {"decision": "maybe", "note": "Hm."},
        {
            "decision": "accept",
            "note": "Fewer.",
            "outcome": "corrected",
            "corrected_defective_units": "99999999999",
        },
        {"decision": "accept", "note": "Fewer.", "outcome": "corrected", "corrected_defective_units": "-1"},
        {"decision": "accept", "note": "Fewer.", "outcome": "corrected", "corrected_defective_units": "50"},
    ],
)
def test_a_bad_decision_shows_the_error_and_changes_nothing(client, manager, portal_a, supplier_a, data):
    contested = defective_inspection(supplier_a, defective=4)
    opened = contest(portal_a, contested, "inspection")
    client.force_login(manager)
    assert client.post(opened.get_absolute_url(), data).status_code == 400
    opened.refresh_from_db()
    contested.refresh_from_db()
    assert opened.is_open and contested.corrected_defective_units is None and contested.excused_at is None


def test_the_contest_list_puts_open_contests_first(client, manager, portal_a, supplier_a):
    first = contest(portal_a, late_delivery(supplier_a, days_ago=30), "delivery")
    decided = contest(portal_a, late_delivery(supplier_a, days_ago=20), "delivery")
    contest_services.row_contest_reject(contest=decided, by=manager, note="No.")
    last = contest(portal_a, defective_inspection(supplier_a), "inspection")
    client.force_login(manager)
    listed = list(client.get(reverse("scorecards:contest_list")).context["page"].object_list)
    assert listed == [first, last, decided]


def test_the_contest_list_and_rows_behind_stay_at_constant_queries(
    client, manager, portal_a, supplier_a, django_assert_max_num_queries
):
    def add(n):
        for i in range(n):
            contest(portal_a, late_delivery(supplier_a, days_ago=10 + i), "delivery")

    add(2)
    client.force_login(manager)
    urls = [reverse("scorecards:contest_list"), reverse("scorecards:deliveries", args=[supplier_a.pk])]
    counts = {}
    for url in urls:
        client.get(url)
        with django_assert_max_num_queries(40) as captured:
            assert client.get(url).status_code == 200
        counts[url] = len(captured)
    add(12)
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            assert client.get(url).status_code == 200
    client.force_login(portal_a)
    portal_urls = [behind("on_time_delivery"), reverse("portal:contests")]
    for url in portal_urls:
        client.get(url)
        with django_assert_max_num_queries(40) as captured:
            client.get(url)
        counts[url] = len(captured)
    add(6)
    for url in portal_urls:
        with django_assert_max_num_queries(counts[url]):
            assert client.get(url).status_code == 200


# --- The API ----------------------------------------------------------------------------------------------------


def test_the_factory_contests_through_the_api_and_reads_only_its_own(
    api_client, portal_a, portal_b, supplier_a
):
    late = late_delivery(supplier_a)
    api_client.force_authenticate(portal_a)
    created = api_client.post(
        API, {"kind": "delivery", "row": late.pk, "reason": "Port closed."}, format="json"
    )
    assert created.status_code == 201, created.json()
    assert created.json()["status"] == "open" and created.json()["delivery"] == late.pk
    again = api_client.post(API, {"kind": "delivery", "row": late.pk, "reason": "Again."}, format="json")
    assert again.status_code == 400
    assert (
        api_client.post(API, {"kind": "delivery", "row": late.pk, "reason": ""}, format="json").status_code
        == 400
    )
    api_client.force_authenticate(portal_b)
    assert api_client.get(API).json()["count"] == 0
    assert api_client.get(f"{API}{created.json()['id']}/").status_code == 404
    refused = api_client.post(API, {"kind": "delivery", "row": late.pk, "reason": "Mine."}, format="json")
    assert refused.status_code == 400 and "row" in refused.json()  # as a missing row: nothing said of A's
    assert RowContest.objects.count() == 1


def test_the_factory_cannot_decide_and_a_manager_decides_through_the_api(
    api_client, portal_a, supplier_a, manager
):
    opened = contest(portal_a, defective_inspection(supplier_a, defective=4), "inspection")
    api_client.force_authenticate(portal_a)
    assert api_client.post(f"{API}{opened.pk}/accept/", {"note": "Me."}, format="json").status_code == 403
    api_client.force_authenticate(manager)
    answer = api_client.post(
        f"{API}{opened.pk}/accept/",
        {"note": "Recount.", "outcome": "corrected", "corrected_defective_units": 2},
        format="json",
    )
    assert answer.status_code == 200, answer.json()
    assert answer.json()["status"] == "accepted" and answer.json()["corrected_defective_units"] == 2
    assert api_client.post(f"{API}{opened.pk}/reject/", {"note": "No."}, format="json").status_code == 400


def test_staff_cannot_open_a_contest_through_the_api(api_client, manager, supplier_a):
    late = late_delivery(supplier_a)
    api_client.force_authenticate(manager)
    assert (
        api_client.post(API, {"kind": "delivery", "row": late.pk, "reason": "x"}, format="json").status_code
        == 403
    )
