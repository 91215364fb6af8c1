"""Nothing the system derives gives a hidden record away to the factory.

Supplier A gets a planned unannounced audit and a cancelled one (never performed), each with a finding, an overdue
corrective action and evidence, and an inspection whose report QC did not share; every text of theirs carries a
marker. Then every periodic job of the beat schedule runs, and the per-supplier red-flag check, and A's factory
contact reads everything it can reach: every portal page (the URL patterns, then every link they show), every API
list and detail, every PDF, every email to A's people and every notification of A's users. The marker, the hidden
rows' pages, files and flag keys must appear nowhere. Staff must still see the overdue corrective action's flag,
so the test cannot pass by raising nothing.
"""

import importlib
import io
import re
from datetime import timedelta
from decimal import Decimal
from urllib.parse import urljoin, urlsplit

import pypdf
import pytest
from django.apps import apps
from django.core import mail
from django.core.files.base import ContentFile
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from rest_framework.test import APIClient

from accounts.services import calendar_feed_regenerate
from audits import services as audit_services
from audits.models import CorrectiveAction, QCInspection
from communications.models import Notification
from config.celery_app import app as celery_app
from core.clock import business_today
from orders import services as order_services
from orders.models import Delivery
from scorecards import periods
from scorecards import tasks as scorecard_tasks
from scorecards.alerts import iso_week
from scorecards.models import RedFlag
from scorecards.selectors import BEHIND, TREND_KINDS
from suppliers.models import Contact, Stage, Supplier
from suppliers.querysets import SupplierOwnedQuerySet
from tests.factories import PDF_BYTES, api_token_for
from tests.test_isolation import ROUTES, build_url

pytestmark = pytest.mark.django_db

MARK = "ZQX-SECRET"
MAX_PAGES = 600  # the link crawl's bound: far above what supplier A's portal holds


@pytest.fixture
def hidden_records(objects_a, supplier_a, quality, django_capture_on_commit_callbacks):
    """Plant, through the services staff use, what supplier A must not see; return the rows by name."""
    Supplier.objects.filter(pk=supplier_a.pk).update(stage=Stage.APPROVED)  # scanned by the red-flag rules
    supplier_a.refresh_from_db()
    today = timezone.localdate()
    planted = {}
    with django_capture_on_commit_callbacks(execute=True):
        for name in ("planned", "cancelled"):
            audit = audit_services.audit_plan(
                supplier=supplier_a,
                by=quality,
                audit_type="social",
                announced=False,
                third_party=True,
                firm=f"{MARK}-firm-{name}",
                planned_on=today + timedelta(days=10),
                summary=f"{MARK}-summary-{name}",
                report=ContentFile(PDF_BYTES, name="audit.pdf"),
            )
            finding = audit_services.finding_add(
                audit=audit,
                by=quality,
                severity="critical",
                clause=f"{MARK}-clause-{name}",
                description=f"{MARK}-finding-{name}",
                evidence=ContentFile(PDF_BYTES, name="finding.pdf"),
            )
            action = audit_services.capa_raise(
                by=quality,
                title=f"{MARK}-capa-{name}",
                problem=f"{MARK}-problem-{name}",
                due_on=today,
                finding=finding,
            )
            evidence = audit_services.capa_add_evidence(
                action=action,
                by=quality,
                file=ContentFile(PDF_BYTES, name="evidence.pdf"),
                note=f"{MARK}-evidence-{name}",
            )
            if name == "cancelled":
                audit = audit_services.audit_cancel(audit=audit, by=quality)
            planted.update(
                {
                    f"{name}_audit": audit,
                    f"{name}_finding": finding,
                    f"{name}_capa": action,
                    f"{name}_evidence": evidence,
                }
            )
        planted["inspection"] = audit_services.inspection_record(
            supplier=supplier_a,
            by=quality,
            checkpoint=QCInspection.Checkpoint.IN_LINE,
            inspected_on=today - timedelta(days=2),
            lot_size=500,
            major_defects=9,
            defective_units=9,
            lot_number="LOT-500",  # the factory's own lot: no secret; QC's notes and override are
            notes=f"{MARK}-inspection-notes",
            override_reason=f"{MARK}-override",
            result=QCInspection.Result.ACCEPT,
            report=ContentFile(PDF_BYTES, name="inspection.pdf"),
            shared_with_supplier=False,
        )
        # A draft order is the buyer's own work: the factory sees nothing of it until it is sent.
        planted["draft_order"] = order_services.order_create(
            supplier=supplier_a,
            by=supplier_a.owner,
            number=f"{MARK}-PO",
            ordered_on=today - timedelta(days=30),
            notes=f"{MARK}-order-notes",
            lines=[
                {
                    "sku": f"{MARK}-SKU",
                    "description": f"{MARK}-line",
                    "quantity": 100,
                    "unit_price": Decimal("2.50"),
                    "required_on": today + timedelta(days=5),
                }
            ],
        )
    planted["draft_delivery"] = planted["draft_order"].deliveries.get()
    # Its delivery date has passed while it stayed a draft (a service refuses a past date, so time moves on).
    Delivery.objects.filter(pk=planted["draft_delivery"].pk).update(promised_on=today - timedelta(days=10))
    # Both actions are now overdue (a service refuses a due date in the past, so time moves on instead).
    CorrectiveAction.objects.filter(pk__in=[planted["planned_capa"].pk, planted["cancelled_capa"].pk]).update(
        due_on=today - timedelta(days=5)
    )
    return planted


def run_every_periodic_job(supplier, manager) -> None:
    """Run every task of the beat schedule in-process, then the per-supplier checks and a manager's digest."""
    for entry in celery_app.conf.beat_schedule.values():
        task = import_string(entry["task"])
        task.apply(args=entry.get("args", ()), kwargs=entry.get("kwargs", {})).get()
    scorecard_tasks.red_flags_check_supplier_task.apply(args=[supplier.pk]).get()
    # The digest task waits for Monday 07:00 of each manager; send this week's now, as it would then.
    scorecard_tasks.weekly_digest_send_task.apply(args=[manager.pk, iso_week(timezone.localdate())]).get()


def traces_of(planted) -> list[re.Pattern]:
    """Return what must never reach the factory: the marker, each hidden row's pages, API paths and files."""
    patterns = [re.compile(re.escape(MARK), re.IGNORECASE)]
    links = []
    for key, row in planted.items():
        kind = key.rsplit("_", 1)[-1]
        names = {
            "audit": ["portal:audit_detail", "portal:audit_pdf", "audits:audit_detail", "api:audit-detail"],
            "capa": ["portal:capa_detail", "audits:capa_detail", "api:corrective-action-detail"],
            "inspection": ["audits:inspection_detail", "api:inspection-detail"],
            "order": ["portal:order_detail", "portal:invoice_submit", "orders:detail", "api:order-detail"],
            "delivery": ["portal:delivery_propose", "portal:delivery_ship", "api:delivery-detail"],
        }.get(kind, [])
        for name in names:
            try:
                links.append(reverse(name, args=[row.pk]))
            except NoReverseMatch:  # pragma: no cover - a pattern renamed: the isolation table says so
                raise
        if kind == "capa":
            links.append(f"capa-{row.pk}")  # a flag's key names the action it is about
        for field in ("report", "evidence", "file"):
            stored = getattr(row, field, None)
            if stored and getattr(stored, "name", ""):
                links.append(stored.name.rsplit("/", 1)[-1])
    # An id is a trace only where it ends: /audits/12/ must not match /audits/123/.
    patterns += [re.compile(re.escape(link) + r"(?![0-9])") for link in links]
    return patterns


def pdf_text(data: bytes) -> str:
    """Return the text of a PDF (and its raw bytes, for names that are not drawn as text)."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages) + data.decode("latin-1")


def readable(response) -> str:
    """Return what a response shows: its text, or a PDF's text."""
    content_type = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if content_type.startswith("application/pdf") and body.startswith(b"%PDF") and len(body) > 200:
        return pdf_text(body)
    return body.decode("utf-8", errors="replace")


def found(patterns, text: str) -> list[str]:
    return [pattern.pattern for pattern in patterns if pattern.search(text)]


SKIP_PREFIXES = ("/accounts/", "/i18n/", "/admin/", "/static/", "/api/v1/docs/", "/api/v1/schema/")


def crawl_portal(client, start_urls) -> dict[str, str]:
    """GET every start URL and every same-site link its pages show (breadth first); return url → what it shows."""
    seen: dict[str, str] = {}
    queue = list(start_urls)
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        if url in seen:
            continue
        response = client.get(url)
        assert response.status_code in (200, 302, 404, 405), (url, response.status_code)
        seen[url] = readable(response) if response.status_code == 200 else ""
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        for href in re.findall(r'href="([^"#]+)', seen[url]):
            link = urljoin(url, href.replace("&amp;", "&"))
            parts = urlsplit(link)
            if parts.netloc or not parts.path.startswith(("/portal/", "/files/")):
                continue
            if parts.path.startswith(SKIP_PREFIXES):
                continue
            queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    assert len(seen) < MAX_PAGES, "the crawl hit its bound: raise MAX_PAGES"
    return seen


def portal_start_urls(objects_a) -> list[str]:
    """Every portal page of the URLconf a factory contact opens, with A's visible objects as arguments."""
    urls = [
        build_url(name, route.kwargs, objects_a)
        for name, route in ROUTES.items()
        if route.area == "portal" and route.owner_get == 200
    ]
    # The period and trend choices are a form, not links: the current week, month and quarter, each trend.
    today = business_today()
    keys = [group[0][0] for _label, group in periods.choices(today=today)]
    urls += [f"{reverse('portal:scorecard')}?period={key}" for key in keys]
    urls += [f"{reverse('portal:scorecard')}?trend={trend}" for trend in TREND_KINDS]
    urls += [
        f"{reverse('portal:scorecard_behind', args=[kpi])}?period={key}" for kpi in BEHIND for key in keys
    ]
    urls += [reverse("portal:scorecard_behind", args=[kpi]) for kpi in BEHIND]
    urls += [reverse("portal:scorecard_behind", args=[kpi]) + "?late=1" for kpi in BEHIND]
    return urls


def crawl_api(client) -> dict[str, str]:
    """GET every API list the factory may read (every page) and the detail of every row it lists, as JSON.

    The browsable API's HTML forms are the isolation test's (every choice a user is shown comes from visible_to).
    """
    seen: dict[str, str] = {}
    lists = [
        reverse(name)
        for name, route in ROUTES.items()
        if route.area == "api" and route.owner_get == 200 and not route.kwargs and name.endswith("-list")
    ]
    assert len(lists) >= 15, lists  # every list endpoint, not a handful
    for list_url in lists:
        url = list_url
        while url:
            response = client.get(url, HTTP_ACCEPT="application/json")
            assert response.status_code == 200, url
            seen[url] = response.content.decode()
            data = response.json()
            rows = data["results"] if isinstance(data, dict) and "results" in data else data
            for row in rows if isinstance(rows, list) else []:
                if isinstance(row, dict) and "id" in row:
                    detail = f"{list_url}{row['id']}/"
                    detail_response = client.get(detail, HTTP_ACCEPT="application/json")
                    seen[detail] = readable(detail_response)
            url = data.get("next") if isinstance(data, dict) else None
    return seen


def factory_emails(supplier) -> list[str]:
    """Return, for each email to one of A's people, everything it carries (subject, bodies, attachments)."""
    addresses = {u.email.lower() for u in supplier.portal_users.all()} | {
        e.lower() for e in Contact.objects.filter(supplier=supplier).values_list("email", flat=True) if e
    }
    texts = []
    for message in mail.outbox:
        recipients = {a.lower() for a in [*message.to, *message.cc, *message.bcc]}
        if not recipients & addresses:
            continue
        parts = [message.subject, message.body]
        parts += [content for content, _mimetype in getattr(message, "alternatives", [])]
        for attachment in message.attachments:
            _name, content, mimetype = attachment
            parts.append(pdf_text(content) if mimetype == "application/pdf" else str(content))
        texts.append("\n".join(map(str, parts)))
    return texts


def test_a_hidden_audit_and_an_unshared_inspection_leave_no_trace_the_factory_can_reach(
    client,
    objects_a,
    hidden_records,
    supplier_a,
    portal_a,
    buyer,
    manager,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        run_every_periodic_job(supplier_a, manager)
    planted = hidden_records

    # Staff chase the overdue action: the flag exists, and the marker reaches what staff read.
    flag = RedFlag.objects.get(rule=RedFlag.Rule.CAPA_OVERDUE, period=f"capa-{planted['planned_capa'].pk}")
    staff_api = APIClient()
    staff_api.force_authenticate(buyer)
    staff_flags = staff_api.get(reverse("api:red-flag-list"), {"rule": "capa_overdue"}).json()["results"]
    assert flag.pk in {row["id"] for row in staff_flags}
    client.force_login(buyer)
    assert f"{MARK}-capa-planned" in client.get(reverse("scorecards:flag_list")).content.decode()
    client.logout()

    patterns = traces_of(planted)
    leaks = []

    client.force_login(portal_a)
    pages = crawl_portal(client, portal_start_urls(objects_a))
    # The crawl reached the pages that show flags and counts, so a leak there would be found.
    assert reverse("portal:scorecard") in pages and reverse("portal:capa_list") in pages
    leaks += [(url, hit) for url, text in pages.items() for hit in found(patterns, text)]
    # The list exports (the crawl followed each page's Export CSV link) and the calendar feed.
    assert any("export=csv" in url for url in pages)
    feed = calendar_feed_regenerate(user=portal_a)
    feed_text = client.get(reverse("calendar_feed", args=[feed.token])).content.decode()
    assert "BEGIN:VCALENDAR" in feed_text
    leaks += [("calendar feed", hit) for hit in found(patterns, feed_text)]

    token = api_token_for(portal_a)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    for url, text in crawl_api(api).items():
        leaks += [(url, hit) for hit in found(patterns, text)]

    emails = factory_emails(supplier_a)
    leaks += [("email", hit) for text in emails for hit in found(patterns, text)]
    for notification in Notification.objects.filter(user__supplier=supplier_a):
        leaks += [("notification", hit) for hit in found(patterns, notification_text(notification))]

    assert not leaks, leaks


def notification_text(notification) -> str:
    """Everything a notification shows or stores: its texts as the reader sees them, its values and its link."""
    return "\n".join(
        map(
            str,
            [
                notification.title,
                notification.body,
                notification.shown_title,
                notification.shown_body,
                notification.params,
                notification.url,
            ],
        )
    )


def test_a_factory_contact_who_was_there_when_the_hidden_rows_were_made_was_told_nothing_of_them(
    portal_a, hidden_records, supplier_a, manager, django_capture_on_commit_callbacks
):
    # The contact existed while QC planned the unannounced audits, raised their findings and actions and
    # recorded the unshared inspection; then every periodic job ran (flags, reminders, the daily digest).
    with django_capture_on_commit_callbacks(execute=True):
        run_every_periodic_job(supplier_a, manager)
    patterns = traces_of(hidden_records)
    notifications = list(Notification.objects.filter(user=portal_a))
    leaks = [
        hit for notification in notifications for hit in found(patterns, notification_text(notification))
    ]
    leaks += [hit for text in factory_emails(supplier_a) for hit in found(patterns, text)]
    assert not leaks, leaks
    hidden_keys = {"audit_announced", "finding_raised", "capa_raised", "capa_overdue", "inspection_shared"}
    assert not [n.message_key for n in notifications if n.message_key in hidden_keys]


def test_the_factory_counts_no_flag_it_cannot_see(
    client, objects_a, hidden_records, supplier_a, portal_a, buyer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        scorecard_tasks.red_flags_check_supplier_task.apply(args=[supplier_a.pk]).get()
    unresolved = RedFlag.objects.filter(supplier=supplier_a).exclude(state=RedFlag.State.RESOLVED)
    hidden = unresolved.filter(
        rule=RedFlag.Rule.CAPA_OVERDUE, corrective_action__finding__audit__announced=False
    )
    assert hidden.count() == 2  # the planned audit's and the cancelled one's

    def open_flags(user) -> int:
        api = APIClient()
        api.force_authenticate(user)
        (card,) = [
            c
            for c in api.get(reverse("api:scorecard-list")).json()["results"]
            if c["supplier"] == supplier_a.pk
        ]
        return card["open_flags"]

    assert open_flags(buyer) == unresolved.count()
    assert open_flags(portal_a) == unresolved.count() - 2
    client.force_login(portal_a)
    page = client.get(reverse("portal:scorecard"))
    assert page.context["card"].open_flags == unresolved.count() - 2
    assert len(page.context["partner_flags"]) == unresolved.count() - 2


def test_a_flag_shows_once_its_audit_is_performed(
    client, objects_a, hidden_records, supplier_a, portal_a, quality, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        scorecard_tasks.red_flags_check_supplier_task.apply(args=[supplier_a.pk]).get()
    flag = RedFlag.objects.get(corrective_action=hidden_records["planned_capa"])
    assert not RedFlag.objects.visible_to(portal_a).filter(pk=flag.pk).exists()

    audit_services.audit_complete(
        audit=hidden_records["planned_audit"], by=quality, performed_on=timezone.localdate()
    )

    assert RedFlag.objects.visible_to(portal_a).filter(pk=flag.pk).exists()
    # The cancelled audit was never performed: its action's flag stays the staff's.
    assert (
        not RedFlag.objects.visible_to(portal_a)
        .filter(corrective_action=hidden_records["cancelled_capa"])
        .exists()
    )


def test_what_the_portal_hides_is_exactly_the_complement_of_what_it_shows(
    objects_a, hidden_records, supplier_a, django_capture_on_commit_callbacks
):
    """portal_hidden() (which derived rows follow) and portal_only() (which pages use) split every row in two."""
    with django_capture_on_commit_callbacks(execute=True):
        scorecard_tasks.red_flags_check_supplier_task.apply(args=[supplier_a.pk]).get()
    hiding = set()
    for model in apps.get_models():
        queryset = model._default_manager.all()
        if not isinstance(queryset, SupplierOwnedQuerySet):
            continue
        every = set(queryset.values_list("pk", flat=True))
        hidden = set(queryset.portal_hidden().values_list("pk", flat=True))
        if not queryset.portal_visible:
            assert hidden == every, model  # staff-only rows: all hidden
            continue
        shown = set(queryset.portal_only().values_list("pk", flat=True))
        assert shown | hidden == every and not shown & hidden, model
        if hidden:
            hiding.add(model.__name__)
    assert {
        "Audit",
        "Finding",
        "CorrectiveAction",
        "CorrectiveActionEvidence",
        "QCInspection",
        "RedFlag",
    } <= hiding


def test_flags_raised_before_the_source_fields_are_linked_to_their_rows(
    objects_a, hidden_records, supplier_a, portal_a
):
    """The 0004 migration points existing flags at their sources, so the old ones are hidden too."""
    backfill = importlib.import_module("scorecards.migrations.0004_redflag_source_backfill")
    action = hidden_records["planned_capa"]
    old = RedFlag.objects.create(
        supplier=supplier_a,
        rule=RedFlag.Rule.CAPA_OVERDUE,
        period=f"capa-{action.pk}",
        observed="due earlier",
        recommended_action="Chase",
        detail=action.title,
    )
    issue_flag = RedFlag.objects.create(
        supplier=supplier_a,
        rule=RedFlag.Rule.UNANSWERED_ISSUE,
        period=f"issue-{objects_a['issue'].pk}",
        observed="30 h",
        recommended_action="Reassign",
    )
    gone = RedFlag.objects.create(
        supplier=supplier_a,
        rule=RedFlag.Rule.CAPA_OVERDUE,
        period="capa-987654321",
        observed="due earlier",
        recommended_action="Chase",
    )
    assert RedFlag.objects.visible_to(portal_a).filter(pk=old.pk).exists()

    backfill.link_sources(apps, None)

    old.refresh_from_db()
    issue_flag.refresh_from_db()
    gone.refresh_from_db()
    assert old.corrective_action == action and issue_flag.issue == objects_a["issue"]
    assert gone.corrective_action is None
    assert not RedFlag.objects.visible_to(portal_a).filter(pk=old.pk).exists()


def test_a_corrective_action_raised_from_an_unshared_inspection_starts_without_its_notes(
    client, objects_a, hidden_records, quality, portal_a
):
    inspection = hidden_records["inspection"]
    url = reverse("audits:capa_create") + f"?inspection={inspection.pk}"
    client.force_login(quality)
    problem = client.get(url).context["form"].initial["problem"]
    assert MARK not in problem and "in a sample of" in problem  # the facts the factory may know, no notes
    due_on = (timezone.localdate() + timedelta(days=7)).isoformat()
    client.post(url, {"title": "Stitching defects", "problem": problem, "due_on": due_on})
    action = CorrectiveAction.objects.get(inspection=inspection)

    client.force_login(portal_a)
    page = client.get(reverse("portal:capa_detail", args=[action.pk]))
    assert page.status_code == 200 and not found(traces_of(hidden_records), page.content.decode())
