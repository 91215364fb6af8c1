"""Forms of demand planning: the buyer's forecast lines (a formset) and the factory's answer to one month."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from core.clock import business_today
from core.dates import add_months
from core.inputs import MAX_QUANTITY
from suppliers.models import ProductCategory

from .models import CapacityAnswer, Confidence
from .months import month_start
from .rules import HORIZON_MONTHS, MAX_LINES


def month_choices(today: date | None = None) -> list[tuple[str, str]]:
    """Return the months a forecast may name, from the current one to HORIZON_MONTHS ahead, as (YYYY-MM, label)."""
    first = month_start(today or business_today())
    return [(f"{m:%Y-%m}", f"{m:%Y-%m}") for m in (add_months(first, n) for n in range(HORIZON_MONTHS + 1))]


def parse_month(value: str) -> date:
    """Return the 1st of the month a YYYY-MM value names."""
    year, month = value.split("-")
    return date(int(year), int(month), 1)


class ForecastLineForm(forms.Form):
    month = forms.TypedChoiceField(label=_("Month"), coerce=parse_month, choices=())
    sku = forms.CharField(label=_("SKU"), max_length=64, required=False)
    category = forms.ModelChoiceField(
        label=_("or product category"), queryset=ProductCategory.objects.order_by("name"), required=False
    )
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=MAX_QUANTITY)
    unit = forms.CharField(label=_("Unit"), max_length=20, initial="pcs")
    confidence = forms.ChoiceField(
        label=_("Confidence"), choices=Confidence.choices, initial=Confidence.LIKELY
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [("", "—"), *month_choices()]

    def clean(self):
        data = super().clean()
        if bool(data.get("sku", "").strip()) == bool(data.get("category")):
            raise forms.ValidationError(_("Name a SKU or a product category (one of the two)."))
        return data


class BaseForecastLineFormSet(forms.BaseFormSet):
    """The lines of a new version: untouched rows are ignored; at least one line."""

    @classmethod
    def get_default_prefix(cls):
        return "lines"

    def _kept(self):
        # Lines carried over from the previous version count even when untouched; blank extra rows do not.
        return [
            form
            for form in self.forms
            if getattr(form, "cleaned_data", None) and form.cleaned_data.get("month")
            if not self._should_delete_form(form)
        ]

    def clean(self):
        super().clean()
        if not self._kept():
            raise forms.ValidationError(_("Add at least one forecast line."), code="no_lines")

    def filled_lines(self) -> list[dict]:
        """Return the cleaned data of the lines filled in and not removed."""
        return [
            {name: form.cleaned_data.get(name) for name in ForecastLineForm.base_fields}
            for form in self._kept()
        ]


ForecastLineFormSet = forms.formset_factory(
    ForecastLineForm,
    formset=BaseForecastLineFormSet,
    extra=6,
    can_delete=True,
    max_num=MAX_LINES,
    absolute_max=MAX_LINES,
)


class ForecastNoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the factory"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CapacityAnswerForm(forms.Form):
    month = forms.TypedChoiceField(label=_("Month"), coerce=parse_month, choices=())
    status = forms.ChoiceField(
        label=_("Your answer"), choices=CapacityAnswer.Status.choices, widget=forms.RadioSelect
    )
    committed_quantity = forms.IntegerField(
        label=_("Capacity you commit"), min_value=0, max_value=MAX_QUANTITY
    )
    reason = forms.CharField(
        label=_("Reason (needed for a shortfall)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, months=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [(f"{m:%Y-%m}", f"{m:%Y-%m}") for m in months]
