"""Staff pages: check-ins and minutes, the partner's calendar, issues with their response clock, notifications."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import StaffRequiredMixin
from core.exports import export_response
from core.inputs import is_id
from core.views import paginate, require_staff, run_service, submit
from core.waiting import waiting_item_requested, waiting_narrow
from suppliers import selectors as supplier_selectors
from suppliers.models import Supplier

from . import selectors, services
from .exports import ISSUE_COLUMNS
from .forms import (
    ActionItemFormSet,
    IssueForm,
    LogReplyForm,
    MinutesForm,
    ReplyForm,
    ResolveForm,
    ScheduleForm,
)
from .models import ActionItem, CheckInSchedule, SupplierIssue
from .response_targets import issue_response_targets, response_target_for


class CheckInListView(StaffRequiredMixin, View):
    """Upcoming check-ins, and the missed ones."""

    def get(self, request):
        status = request.GET.get("status", "")
        # A home-page link (?todo=) shows its own rows, past ones too (minutes to record).
        todo = waiting_item_requested(request)
        filters = {
            "supplier": request.GET.get("supplier", ""),
            "status": status,
            "upcoming": not (status or todo),
        }
        page, query = paginate(
            request, waiting_narrow(request, selectors.checkin_list(user=request.user, filters=filters))
        )
        return render(
            request,
            "communications/checkin_list.html",
            {
                "page": page,
                "query": query,
                "status": status,
                "actions": selectors.action_items_open(user=request.user)[:30],
            },
        )


class ScheduleView(StaffRequiredMixin, View):
    """Set a supplier's check-in schedule; its next occurrences are generated at once."""

    capability = "checkin.edit"

    def objects(self, request, supplier_pk, pk):
        supplier = supplier_selectors.supplier_get(user=request.user, pk=supplier_pk)
        schedule = get_object_or_404(CheckInSchedule, pk=pk, supplier=supplier) if pk else None
        return supplier, schedule

    def get(self, request, supplier_pk, pk=None):
        supplier, schedule = self.objects(request, supplier_pk, pk)
        form = ScheduleForm(
            instance=schedule,
            supplier=supplier,
            user=request.user,
            initial={"starts_on": timezone.localdate()},
        )
        return self.render(form, supplier)

    def post(self, request, supplier_pk, pk=None):
        supplier, schedule = self.objects(request, supplier_pk, pk)
        form = ScheduleForm(request.POST, instance=schedule, supplier=supplier, user=request.user)
        if submit(
            request,
            form,
            lambda data: services.schedule_save(
                supplier=supplier, by=request.user, schedule=schedule, **data
            ),
            _("Schedule saved; the next check-ins are on the calendar."),
        ):
            return redirect("communications:calendar", supplier_pk=supplier.pk)
        return self.render(form, supplier, status=400)

    def render(self, form, supplier, status=200):
        return render(
            self.request,
            "communications/schedule_form.html",
            {"form": form, "supplier": supplier},
            status=status,
        )


class PartnerCalendarView(StaffRequiredMixin, View):
    """A supplier's next 90 days: holidays, closures, check-ins, and deliveries promised on days off."""

    def get(self, request, supplier_pk):
        supplier = supplier_selectors.supplier_get(user=request.user, pk=supplier_pk)
        today = timezone.localdate()
        return render(
            request,
            "communications/calendar.html",
            {
                "supplier": supplier,
                "today": today,
                **selectors.partner_calendar(supplier=supplier, start=today),
                "schedules": selectors.schedules_for(user=request.user, supplier=supplier),
                "checkins": selectors.checkin_list(
                    user=request.user, filters={"supplier": supplier.pk, "upcoming": True}
                )[:12],
            },
        )


class CheckInDetailView(StaffRequiredMixin, View):
    """A check-in: when (in both timezones), why it moved, and its minutes and action items."""

    def get(self, request, pk, form=None, formset=None, status=200):
        checkin = selectors.checkin_get(user=request.user, pk=pk)
        return render(
            request,
            "communications/checkin_detail.html",
            {
                "checkin": checkin,
                "form": form or MinutesForm(initial={"notes": checkin.notes, "attendees": checkin.attendees}),
                "formset": formset or ActionItemFormSet(prefix="items"),
                "items": checkin.action_items.all(),
            },
            status=status,
        )

    def post(self, request, pk):
        require_staff(request, "checkin.edit")
        checkin = selectors.checkin_get(user=request.user, pk=pk)
        form = MinutesForm(request.POST)
        formset = ActionItemFormSet(request.POST, prefix="items")

        def record(data):
            items = [f.cleaned_data for f in formset.forms if f.has_changed() and f.cleaned_data]
            return services.checkin_record_minutes(
                checkin=checkin, by=request.user, action_items=items, **data
            )

        if submit(request, form, record, _("Minutes saved."), also=(formset,)):
            return redirect(checkin)
        return self.get(request, pk, form=form, formset=formset, status=400)


@require_POST
def action_item_toggle(request, pk):
    require_staff(request, "checkin.edit")
    item = get_object_or_404(ActionItem.objects.visible_to(request.user), pk=pk)
    run_service(
        request,
        lambda: services.action_item_set_done(item=item, by=request.user, done=item.done_at is None),
        _("Action item updated."),
    )
    return redirect(item.checkin)


class IssueListView(StaffRequiredMixin, View):
    def get(self, request):
        filters = {
            k: request.GET.get(k, "") for k in ("supplier", "status", "category", "raised_by_side", "waiting")
        }
        issues = waiting_narrow(request, selectors.issue_list(user=request.user, filters=filters))
        if export := export_response(request, rows=issues, columns=ISSUE_COLUMNS, name="issues"):
            return export
        page, query = paginate(request, issues)
        now = timezone.now()
        targets = issue_response_targets(page)  # each supplier's own target, as escalation and flags use
        for issue in page:
            issue.hours = issue.response_hours(now)
            issue.target_hours = _hours(targets[issue.pk])
            issue.breach = issue.hours > issue.target_hours and issue.status != SupplierIssue.Status.RESOLVED
        return render(
            request,
            "communications/issue_list.html",
            {
                "page": page,
                "query": query,
                "columns": ISSUE_COLUMNS,
                "filters": filters,
                "statuses": SupplierIssue.Status.choices,
                "categories": SupplierIssue.Category.choices,
                "suppliers": Supplier.objects.only("pk", "name").order_by("name"),
            },
        )


class IssueCreateView(StaffRequiredMixin, View):
    capability = "issue.edit"

    def get(self, request):
        # What the user typed survives choosing a supplier (which reloads the form with that supplier's orders).
        initial = {name: request.GET[name] for name in IssueForm.base_fields if name in request.GET}
        if not is_id(initial.get("supplier")):
            # Raised from an order's or an inspection's page: its supplier.
            initial["supplier"] = next(
                (
                    IssueForm.base_fields[name]
                    .queryset.filter(pk=initial[name])
                    .values_list("supplier", flat=True)
                    .first()
                    for name in ("order", "delivery", "inspection")
                    if is_id(initial.get(name))
                ),
                None,
            )
        return render(request, "communications/issue_form.html", {"form": IssueForm(initial=initial)})

    def post(self, request):
        form = IssueForm(request.POST, request.FILES)
        if done := submit(
            request,
            form,
            lambda data: services.issue_raise(by=request.user, **data),
            _("Issue raised; the response clock is running."),
        ):
            return redirect(done.result)
        return render(request, "communications/issue_form.html", {"form": form}, status=400)


class IssueDetailView(StaffRequiredMixin, View):
    """An issue's thread, response clock, escalations; reply, log the supplier's reply, resolve, raise a CAPA."""

    def get(self, request, pk, reply_form=None, log_form=None, status=200):
        issue = selectors.issue_get(user=request.user, pk=pk)
        return render(
            request,
            "communications/issue_detail.html",
            {
                "issue": issue,
                "hours": issue.response_hours(),
                "target_hours": _hours(
                    response_target_for(issue.supplier, responding_side=issue.responding_side)
                ),
                "reply_form": reply_form or ReplyForm(),
                "log_form": log_form or LogReplyForm(),
                "resolve_form": ResolveForm(),
            },
            status=status,
        )

    def post(self, request, pk):
        require_staff(request, "issue.edit")
        issue = selectors.issue_get(user=request.user, pk=pk)
        on_behalf = request.POST.get("kind") == "log"
        form = (LogReplyForm if on_behalf else ReplyForm)(request.POST, request.FILES)
        reply = lambda data: services.issue_reply(  # noqa: E731
            issue=issue, by=request.user, on_behalf_of_supplier=on_behalf, **data
        )
        if submit(request, form, reply, _("Reply added.")):
            return redirect(issue)
        if on_behalf:
            return self.get(request, pk, log_form=form, status=400)
        return self.get(request, pk, reply_form=form, status=400)


def _hours(target) -> int | float:
    """Return a response target in hours, as a whole number when it is one (24, not 24.0)."""
    hours = target.total_seconds() / 3600
    return int(hours) if hours == int(hours) else hours


@require_POST
def issue_resolve(request, pk):
    require_staff(request, "issue.edit")
    issue = selectors.issue_get(user=request.user, pk=pk)
    form = ResolveForm(request.POST)
    if form.is_valid():
        run_service(
            request,
            lambda: services.issue_resolve(issue=issue, by=request.user, note=form.cleaned_data["note"]),
            _("Issue resolved."),
        )
    else:
        messages.error(request, _("Say how the issue was settled."))
    return redirect(issue)


@require_POST
def issue_capa(request, pk):
    require_staff(request, "capa.edit")
    issue = selectors.issue_get(user=request.user, pk=pk)
    result = run_service(
        request,
        lambda: services.issue_raise_corrective_action(
            issue=issue, by=request.user, due_on=timezone.localdate() + timezone.timedelta(days=14)
        ),
        _("Corrective action requested from the supplier."),
    )
    if result is not None and result.corrective_action_id:
        return redirect(result.corrective_action)
    return redirect(issue)


@require_GET
def notification_list(request):
    """The signed-in user's notifications, unread ones first in bold; reading the list changes nothing.

    Opening one (a POST) marks that one read; "Mark all read" (a POST) marks them all.
    """
    notifications = list(selectors.notifications_for(user=request.user)[:100])
    portal = request.user.is_portal_user
    return render(
        request,
        "communications/notifications.html",
        {
            "notifications": notifications,
            "base_template": "portal/base.html" if portal else "base.html",
            "url_namespace": "portal" if portal else "communications",
            "any_unread": any(n.read_at is None for n in notifications),
        },
    )


def _notifications_page(request) -> str:
    return reverse("portal:notifications" if request.user.is_portal_user else "communications:notifications")


@require_POST
def notification_open(request, pk):
    """Mark one of the user's notifications read and go to what it is about."""
    notification = get_object_or_404(selectors.notifications_for(user=request.user), pk=pk)
    services.notifications_mark_read(user=request.user, ids=[notification.pk])
    # The link was written by the server; still, only a path on this site is followed.
    if notification.url and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts=None, require_https=request.is_secure()
    ):
        return redirect(notification.url)
    return redirect(_notifications_page(request))


@require_POST
def notifications_read_all(request):
    """Mark all the user's notifications read."""
    services.notifications_mark_read(user=request.user)
    return redirect(_notifications_page(request))


def notification_preferences(request):
    """Show and save, per family of notifications, when the user's emails come: at once, daily, or never."""
    from .forms import NotificationPreferencesForm
    from .services.preferences import preferences_for, preferences_save

    preferences = preferences_for(user=request.user)
    form = NotificationPreferencesForm(request.POST or None, preferences=preferences)
    portal = request.user.is_portal_user
    if request.method == "POST" and form.is_valid():
        preferences_save(user=request.user, timings=form.cleaned_data)
        messages.success(request, _("Your notification settings were saved."))
        return redirect(
            "portal:notification_preferences" if portal else "communications:notification_preferences"
        )
    return render(
        request,
        "communications/notification_preferences.html",
        {
            "form": form,
            "base_template": "portal/base.html" if portal else "base.html",
            "url_namespace": "portal" if portal else "communications",
        },
        status=400 if form.is_bound else 200,
    )
