"""Forms for check-ins, closures and issues."""

from datetime import timedelta

from django import forms
from django.forms import formset_factory
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import STAFF_ROLES
from core.inputs import is_id, single_line
from core.partner_calendar import PartnerCalendarFormMixin, day_off_reason
from core.uploads import validate_upload
from suppliers.forms import DATE
from suppliers.selectors import suppliers_too_many_to_list

from . import calendar
from .models import ActionItem, CheckInSchedule, Closure, SupplierIssue


class ScheduleForm(PartnerCalendarFormMixin, forms.ModelForm):
    """A regular check-in: proposed inside both sides' office hours, its time shown in both timezones, and a
    first occurrence on the supplier's day off confirmed before saving."""

    class Meta:
        model = CheckInSchedule
        fields = [
            "cadence",
            "weekday",
            "local_time",
            "channel",
            "starts_on",
            "staff_participants",
            "contact_participants",
            "is_active",
        ]
        widgets = {
            "starts_on": DATE,
            "local_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "staff_participants": forms.CheckboxSelectMultiple,
            "contact_participants": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, supplier, user=None, **kwargs):
        self.supplier, self.user_timezone = supplier, getattr(user, "timezone", "") or "UTC"
        super().__init__(*args, **kwargs)
        self.fields["staff_participants"].queryset = User.objects.filter(role__in=STAFF_ROLES, is_active=True)
        self.fields["contact_participants"].queryset = supplier.contacts.filter(is_active=True)
        on = timezone.localdate()
        if self.instance.pk is None and "local_time" not in self.initial:
            proposed = calendar.proposed_checkin_time(
                supplier_timezone=supplier.timezone, user_timezone=self.user_timezone, on=on
            )
            if proposed is not None:
                self.initial["local_time"] = proposed
        shown = self.initial.get("local_time") or self.instance.local_time
        help_text = _("In the supplier's timezone (%(tz)s).") % {"tz": supplier.timezone}
        if shown:
            help_text += " " + calendar.in_both_timezones(
                local_time=shown, supplier_timezone=supplier.timezone, user_timezone=self.user_timezone, on=on
            )
        self.fields["local_time"].help_text = help_text

    def partner_supplier(self, cleaned_data):
        return self.supplier

    def partner_warnings(self, cleaned_data) -> dict[str, str]:
        warnings = {}
        starts_on, weekday = cleaned_data.get("starts_on"), cleaned_data.get("weekday")
        if starts_on is not None and weekday is not None:
            # The first occurrence: the chosen weekday on or after the start.
            try:
                first = starts_on + timedelta(days=(int(weekday) - starts_on.weekday()) % 7)
            except OverflowError:  # a start at the calendar's end: refused by the field's bound, no warning
                return warnings
            reason = day_off_reason(self.supplier, first)
            if reason:
                warnings["starts_on"] = _(
                    "The first check-in, %(day)s, is a day off at %(supplier)s (%(reason)s): it will move to "
                    "the next working day. Choose another start, or tick “Save anyway”."
                ) % {
                    "day": date_format(first, "SHORT_DATE_FORMAT"),
                    "supplier": self.supplier,
                    "reason": reason,
                }
        return warnings


class MinutesForm(forms.Form):
    attendees = forms.CharField(label=_("Attendees"), required=False)
    notes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 5}))
    shared_with_supplier = forms.BooleanField(
        label=_("Share the minutes with the supplier"), required=False, initial=True
    )


class ActionItemForm(forms.ModelForm):
    class Meta:
        model = ActionItem
        fields = ["description", "owner_side", "owner_name", "due_on"]
        widgets = {"due_on": DATE}


ActionItemFormSet = formset_factory(ActionItemForm, extra=3)


class ClosureForm(forms.ModelForm):
    class Meta:
        model = Closure
        fields = ["starts_on", "ends_on", "reason"]
        widgets = {"starts_on": DATE, "ends_on": DATE}


class SingleLineSubjectMixin:
    """An issue's subject becomes a mail subject: a line break pasted into it would stop the email."""

    def clean_subject(self):
        return single_line(self.cleaned_data["subject"])


class IssueForm(SingleLineSubjectMixin, forms.ModelForm):
    attachment = forms.FileField(label=_("Attachment"), required=False, validators=[validate_upload])

    class Meta:
        model = SupplierIssue
        fields = [
            "supplier",
            "category",
            "severity",
            "subject",
            "description",
            "order",
            "delivery",
            "inspection",
            "owner",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].required = False
        self.fields["owner"].queryset = User.objects.filter(role__in=STAFF_ROLES, is_active=True)
        self.fields["owner"].help_text = _("Empty: the supplier's owner.")
        supplier = self.data.get("supplier") or self.initial.get("supplier")
        for name in ("order", "delivery", "inspection"):
            queryset = self.fields[name].queryset
            if name == "order":
                queryset = queryset.exclude(status="draft")
            elif name == "delivery":
                queryset = queryset.select_related("order")
            # Only the chosen supplier's orders, deliveries and inspections, and none before a supplier is
            # chosen: the page never loads every order of every supplier (choosing one reloads the form).
            self.fields[name].queryset = (
                queryset.filter(supplier_id=supplier) if is_id(supplier) else queryset.none()
            )
        # Many suppliers: the drop-down holds the chosen one only, and the search box above it fills it with the
        # names that match (the template shows the box when `supplier_searched`).
        self.supplier_searched = suppliers_too_many_to_list(self.fields["supplier"].queryset)
        if self.supplier_searched:
            field = self.fields["supplier"]
            chosen = field.queryset.filter(pk=supplier) if is_id(supplier) else field.queryset.none()
            field.widget.choices = [("", "---------"), *chosen.values_list("pk", "name")]
            field.help_text = _("Find the supplier by name above, then choose it here.")
        self.fields["supplier"].widget.attrs.update(
            {
                "hx-get": reverse("communications:issue_create"),
                "hx-trigger": "change",
                # Only the three dependent lists are replaced: whatever is typed meanwhile is never lost.
                "hx-swap": "none",
                "hx-select-oob": "#div_id_order,#div_id_delivery,#div_id_inspection",
                "hx-include": "closest form",
            }
        )


class PortalIssueForm(SingleLineSubjectMixin, forms.ModelForm):
    """A factory raises an issue to the buyer (an unclear specification, a late sample approval ...)."""

    attachment = forms.FileField(label=_("Attachment"), required=False, validators=[validate_upload])

    class Meta:
        model = SupplierIssue
        fields = ["category", "severity", "subject", "description", "order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, supplier, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["order"].queryset = supplier.orders.exclude(status="draft").order_by("-ordered_on")


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}))
    attachment = forms.FileField(label=_("Attachment"), required=False, validators=[validate_upload])


class LogReplyForm(forms.Form):
    """Staff log a reply the supplier gave by phone or email, with the time it arrived."""

    author_name = forms.CharField(label=_("Who replied"), required=False)
    sent_at = forms.DateTimeField(
        label=_("When it arrived"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    body = forms.CharField(label=_("What they said"), widget=forms.Textarea(attrs={"rows": 3}))


class ResolveForm(forms.Form):
    note = forms.CharField(label=_("How it was settled"), widget=forms.Textarea(attrs={"rows": 2}))


class NotificationPreferencesForm(forms.Form):
    """One choice per family of notifications: email at once, in the daily digest, or not at all."""

    def __init__(self, *args, preferences, **kwargs):
        from .models import Timing

        super().__init__(*args, **kwargs)
        for family, label, timing in preferences:
            self.fields[family] = forms.ChoiceField(
                label=label, choices=Timing.choices, initial=timing, widget=forms.RadioSelect
            )
