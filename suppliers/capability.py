"""The capability statement's form and the hook through which the audits app shows claimed vs observed on the
supplier's page (this app never imports audits: audits registers its comparison from its AppConfig.ready())."""

from collections.abc import Callable

from django import forms
from django.utils.translation import gettext_lazy as _

from core.inputs import MAX_QUANTITY

from .models import CapabilityField
from .models.capability import MAX_CAPABILITY_TEXT

_comparison: Callable | None = None


def register_capability_comparison(provider: Callable) -> None:
    """Register the function (user, supplier) -> rows that compares the claims with what audits observed."""
    global _comparison
    _comparison = provider


def capability_comparison_rows(*, user, supplier) -> list:
    """Return the comparison rows of the registered provider, or none when no app registered one."""
    return _comparison(user=user, supplier=supplier) if _comparison else []


def _quantity(label, **kwargs) -> forms.IntegerField:
    return forms.IntegerField(label=label, required=False, min_value=0, max_value=MAX_QUANTITY, **kwargs)


class CapabilityStatementForm(forms.Form):
    """The factory's capability statement: monthly capacity per category it makes, lines, headcount, equipment,
    QC steps. A field left empty keeps its current value."""

    capacity_unit = forms.CharField(label=_("Capacity unit"), max_length=30, initial="pcs")
    production_lines = _quantity(CapabilityField.PRODUCTION_LINES.label)
    headcount = _quantity(CapabilityField.HEADCOUNT.label)
    equipment = forms.CharField(
        label=CapabilityField.EQUIPMENT.label,
        required=False,
        max_length=MAX_CAPABILITY_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    qc_steps = forms.CharField(
        label=CapabilityField.QC_STEPS.label,
        required=False,
        max_length=MAX_CAPABILITY_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: incoming material check, in-line inspection, final inspection, lab test."),
    )

    def __init__(self, *args, categories=(), current=None, **kwargs):
        super().__init__(*args, **kwargs)
        current = current or {}
        self.categories = list(categories)
        for category in self.categories:
            claim = current.get((CapabilityField.MONTHLY_CAPACITY, category.pk))
            self.fields[f"capacity_{category.pk}"] = _quantity(
                _("Monthly capacity: %(category)s") % {"category": category},
                initial=claim.quantity if claim else None,
            )
            if claim and claim.unit:
                self.fields["capacity_unit"].initial = claim.unit
        # Lay the capacity fields out first, as the factory thinks of them.
        order = [f"capacity_{category.pk}" for category in self.categories]
        self.order_fields([*order, "capacity_unit", "production_lines", "headcount", "equipment", "qc_steps"])
        for field in ("production_lines", "headcount"):
            if claim := current.get((field, None)):
                self.fields[field].initial = claim.quantity
        for field in ("equipment", "qc_steps"):
            if claim := current.get((field, None)):
                self.fields[field].initial = claim.text

    def service_arguments(self) -> dict:
        """Return the cleaned data as the arguments of capability_statement_save."""
        data = self.cleaned_data
        return {
            "capacities": {category: data.get(f"capacity_{category.pk}") for category in self.categories},
            "capacity_unit": data["capacity_unit"].strip() or "pcs",
            "production_lines": data["production_lines"],
            "headcount": data["headcount"],
            "equipment": data["equipment"] or None,
            "qc_steps": data["qc_steps"] or None,
        }
