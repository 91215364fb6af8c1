"""The partner's calendar where a date is chosen: forms of any app warn before saving a date that falls on the
supplier's public holiday or declared closure, and save it only once the user ticks "Save anyway".

Holidays and closures belong to communications, above most apps that choose dates (audits, orders); it registers
its lookup here from its ready() (ARCHITECTURE.md: an explicit hook, never an upward import)."""

from collections.abc import Callable
from datetime import date

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# (supplier, day) -> why the supplier does not work that day, or "" when it does.
_day_off_lookup: Callable[[object, date], str] | None = None


def register_day_off_lookup(lookup: Callable[[object, date], str]) -> None:
    """Install the function that says why a supplier does not work on a day (communications does, at start-up)."""
    global _day_off_lookup
    _day_off_lookup = lookup


def day_off_reason(supplier, day: date) -> str:
    """Return why `supplier` does not work on `day` (a holiday, a closure), or "" on a working day."""
    if _day_off_lookup is None or supplier is None or day is None:
        return ""
    return _day_off_lookup(supplier, day)


class PartnerCalendarFormMixin:
    """Warn, as a form error with a "Save anyway" box, when a date field falls on the supplier's day off.

    A form lists its date fields in `partner_date_fields` and says whose calendar applies in `partner_supplier()`
    (by default its own `supplier` field). The box is hidden until there is something to confirm; it never
    reaches the service (cleaned_data drops it).
    """

    partner_date_fields: tuple[str, ...] = ()
    CONFIRM_FIELD = "save_anyway"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[self.CONFIRM_FIELD] = forms.BooleanField(
            label=gettext_lazy("Save anyway, on the supplier's day off"),
            required=False,
            widget=forms.HiddenInput,
        )

    def partner_supplier(self, cleaned_data):
        return cleaned_data.get("supplier")

    def partner_warnings(self, cleaned_data) -> dict[str, str]:
        """Return the warning for each date field that falls on the supplier's day off."""
        supplier = self.partner_supplier(cleaned_data)
        warnings = {}
        for name in self.partner_date_fields:
            day = cleaned_data.get(name)
            reason = day_off_reason(supplier, day) if isinstance(day, date) else ""
            if reason:
                warnings[name] = _(
                    "%(day)s is a day off at %(supplier)s (%(reason)s). Choose another day, or tick "
                    "“Save anyway”."
                ) % {"day": date_format(day, "SHORT_DATE_FORMAT"), "supplier": supplier, "reason": reason}
        return warnings

    def clean(self):
        cleaned_data = super().clean()
        confirmed = cleaned_data.pop(self.CONFIRM_FIELD, False)
        if not confirmed and not self.errors:
            warnings = self.partner_warnings(cleaned_data)
            if warnings:
                self.fields[self.CONFIRM_FIELD].widget = forms.CheckboxInput()
                for name, message in warnings.items():
                    self.add_error(name, message)
        return cleaned_data
