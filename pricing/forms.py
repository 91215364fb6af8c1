"""Forms of the pricing app: staff agree prices and answer price changes; the factory asks and answers."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.inputs import DATE_BOUNDS
from core.uploads import validate_upload
from suppliers.forms import DATE
from suppliers.models import Supplier

from .models import MAX_PRICE, PriceAgreement, PriceChangeRequest, ReasonCategory


def _price(label, required=True, **kwargs):
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=0,
        max_value=MAX_PRICE,
        max_digits=12,
        decimal_places=4,
        **kwargs,
    )


class AgreementForm(forms.ModelForm):
    """A new price agreement for a supplier's SKU."""

    class Meta:
        model = PriceAgreement
        fields = [
            "supplier",
            "sku",
            "description",
            "unit_price",
            "currency",
            "moq",
            "lead_time_days",
            "incoterm",
            "valid_from",
            "valid_to",
            "note",
        ]
        widgets = {"valid_from": DATE, "valid_to": DATE, "note": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"valid_to": _("Empty: until a new version replaces it.")}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = Supplier.objects.visible_to(user).order_by("name")


class NewVersionForm(forms.Form):
    """A buyer's new version of an agreement from a date, with why (kept in its history)."""

    valid_from = forms.DateField(label=_("New version from"), widget=DATE, validators=DATE_BOUNDS)
    unit_price = _price(_("Unit price"))
    valid_to = forms.DateField(label=_("Valid to"), widget=DATE, validators=DATE_BOUNDS, required=False)
    note = forms.CharField(
        label=_("Why does the agreement change?"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class CounterForm(forms.Form):
    """The buyer's counter: a price per SKU, perhaps another date, and why."""

    effective_on = forms.DateField(label=_("Effective from"), widget=DATE, validators=DATE_BOUNDS)
    note = forms.CharField(
        label=_("Why these prices? (the factory reads it)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )

    def __init__(self, *args, change: PriceChangeRequest, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(change.items.all())
        self.fields["effective_on"].initial = change.effective_on
        for item in self.items:
            self.fields[f"price_{item.pk}"] = _price(
                _("%(sku)s: price (asked %(price)s)")
                % {"sku": item.sku, "price": f"{item.new_price.normalize():f}"},
                initial=item.new_price,
            )
        self.order_fields([f"price_{item.pk}" for item in self.items] + ["effective_on", "note"])

    def service_data(self) -> dict:
        """Return the counter as the service takes it."""
        data = self.cleaned_data
        return {
            "prices": {item.pk: data[f"price_{item.pk}"] for item in self.items},
            "effective_on": data["effective_on"],
            "note": data["note"],
        }


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you refuse? (the factory reads it)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class BreakdownRequestForm(forms.Form):
    """The buyer asks a supplier for a SKU's cost breakdown."""

    supplier = forms.ModelChoiceField(label=_("Supplier"), queryset=Supplier.objects.none())
    sku = forms.CharField(label=_("SKU"), max_length=64)
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="USD")
    message = forms.CharField(
        label=_("What do you ask? (the factory reads it)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = Supplier.objects.visible_to(user).order_by("name")


class BreakdownFieldsMixin(forms.Form):
    material = _price(_("Material"), required=False)
    labour = _price(_("Labour"), required=False)
    overhead = _price(_("Overhead"), required=False)
    margin = _price(_("Margin"), required=False)

    def breakdown(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in ("material", "labour", "overhead", "margin")}


class BreakdownAnswerForm(BreakdownFieldsMixin):
    """The factory's cost breakdown of one unit."""

    note = forms.CharField(
        label=_("Note (optional)"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("material", "labour", "overhead", "margin"):
            self.fields[name].required = True


class CostEstimateForm(BreakdownFieldsMixin):
    """The buyer's own should-cost estimate of a SKU, kept internal."""

    supplier = forms.ModelChoiceField(label=_("Supplier"), queryset=Supplier.objects.none())
    sku = forms.CharField(label=_("SKU"), max_length=64)
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="USD")
    note = forms.CharField(
        label=_("How it was estimated (internal)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )
    field_order = ["supplier", "sku", "currency", "material", "labour", "overhead", "margin", "note"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = Supplier.objects.visible_to(user).order_by("name")
        for name in ("material", "labour", "overhead", "margin"):
            self.fields[name].required = True

    def data_for_service(self) -> dict:
        data = {key: self.cleaned_data[key] for key in ("supplier", "sku", "currency", "note")}
        return {**data, **self.breakdown()}


class AssessmentForm(forms.Form):
    """The buyer's assessment of a factory's cost breakdown (internal)."""

    assessment = forms.CharField(
        label=_("Your assessment (internal: the factory never sees it)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several documents in one input, each checked like any upload (core.uploads)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/*,application/pdf,.xlsx,.xls,.docx"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        cleaned = [single(item, initial) for item in files]
        for item in cleaned:
            validate_upload(item)
        return cleaned


class PriceChangeRequestForm(BreakdownFieldsMixin):
    """The factory's price change: a new price for one or more of its agreed SKUs, a date, a reason and evidence."""

    effective_on = forms.DateField(label=_("New prices from"), widget=DATE, validators=DATE_BOUNDS)
    reason_category = forms.ChoiceField(label=_("Main reason"), choices=ReasonCategory.choices)
    explanation = forms.CharField(
        label=_("Explanation (the buyer reads it)"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    index_reference = forms.CharField(
        label=_("Index reference (optional)"),
        max_length=300,
        required=False,
        help_text=_("For example: LME copper cash price, March average."),
    )
    documents = MultipleFileField(label=_("Documents (optional)"), required=False)

    def __init__(self, *args, agreements=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.agreements = list(agreements)
        for agreement in self.agreements:
            self.fields[f"price_{agreement.pk}"] = _price(
                _("%(sku)s: new price (now %(price)s %(currency)s)")
                % {
                    "sku": agreement.sku,
                    "price": f"{agreement.unit_price.normalize():f}",
                    "currency": agreement.currency,
                },
                required=False,
            )
        self.order_fields(
            [f"price_{a.pk}" for a in self.agreements]
            + ["effective_on", "reason_category", "explanation", "index_reference"]
        )

    def price_fields(self):
        return [self[f"price_{a.pk}"] for a in self.agreements]

    def service_data(self) -> dict:
        """Return the request as the service takes it."""
        data = self.cleaned_data
        return {
            "items": [
                {"agreement": a, "new_price": data[f"price_{a.pk}"]}
                for a in self.agreements
                if data.get(f"price_{a.pk}") is not None
            ],
            "effective_on": data["effective_on"],
            "reason_category": data["reason_category"],
            "explanation": data["explanation"],
            "index_reference": data["index_reference"],
            "breakdown": self.breakdown(),
            "documents": data.get("documents") or [],
        }


class CounterAnswerForm(forms.Form):
    """The factory's answer to the buyer's counter."""

    note = forms.CharField(
        label=_("Note (required to decline)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )
