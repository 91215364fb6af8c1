"""Staff and portal forms for invoices, payments, discrepancies and payment-term changes."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.inputs import DATE_BOUNDS, MAX_QUANTITY
from core.money import MAX_CHARGE
from orders.models import ChargeKind, OrderLine
from suppliers.forms import DATE
from suppliers.models import Supplier

from .models import MAX_TERMS_DAYS, Invoice, PaymentTermChange


class InvoiceForm(forms.ModelForm):
    """The invoice's header as staff enter it from a mailed invoice."""

    class Meta:
        model = Invoice
        fields = ["number", "invoice_date", "received_on", "document", "notes"]
        widgets = {"invoice_date": DATE, "received_on": DATE, "notes": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"document": _("PDF only.")}


class PortalInvoiceForm(InvoiceForm):
    """The factory's invoice: it arrives the day it is submitted, and the PDF is required."""

    class Meta(InvoiceForm.Meta):
        fields = ["number", "invoice_date", "document", "notes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].required = True


def _short(price: Decimal) -> Decimal:
    """Return a price without trailing zeros past the cents: 3.4000 → 3.40, 3.4050 → 3.405."""
    cents = price.quantize(Decimal("0.01"))
    return cents if cents == price else price.normalize()


class InvoiceLineForm(forms.Form):
    """What is billed for one order line; both fields empty leaves the line off the invoice."""

    quantity = forms.IntegerField(
        label=_("Quantity invoiced"), min_value=1, max_value=MAX_QUANTITY, required=False
    )
    unit_price = forms.DecimalField(
        label=_("Unit price invoiced"), min_value=0, max_digits=12, decimal_places=4, required=False
    )

    def __init__(self, *args, order_line: OrderLine, **kwargs):
        self.order_line = order_line
        super().__init__(*args, **kwargs)
        # Shown in a table row under column headings: the label goes to screen readers only.
        for field in self.fields.values():
            field.widget.attrs.update(
                {
                    "class": "form-control",
                    "aria-label": f"{field.label} — {order_line.sku} {order_line.description}",
                }
            )

    def clean(self):
        data = super().clean()
        if (
            data.get("quantity") is not None
            and data.get("unit_price") is None
            and "unit_price" not in self.errors
        ):
            self.add_error("unit_price", _("Enter the unit price invoiced."))
        return data


class BaseInvoiceLineFormSet(forms.BaseFormSet):
    """One form per line of the order, in the order's own order: a posted form can only bill that line."""

    def __init__(self, *args, order_lines, **kwargs):
        self.order_lines = list(order_lines)
        kwargs.setdefault("initial", [{"unit_price": _short(line.unit_price)} for line in self.order_lines])
        super().__init__(*args, **kwargs)

    def total_form_count(self):
        return len(self.order_lines)

    def get_form_kwargs(self, index):
        return {"order_line": self.order_lines[index]}

    def clean(self):
        if any(self.errors):
            return
        if not self.lines():
            raise ValidationError(_("Enter the quantity and unit price of at least one line."))

    def lines(self) -> list[dict]:
        """Return the billed lines as invoice_record takes them."""
        return [
            {
                "order_line": form.order_line,
                "quantity": form.cleaned_data["quantity"],
                "unit_price": form.cleaned_data["unit_price"],
            }
            for form in self.forms
            if form.cleaned_data.get("quantity") is not None
        ]


InvoiceLineFormSet = forms.formset_factory(InvoiceLineForm, formset=BaseInvoiceLineFormSet, extra=0)


class InvoiceChargeForm(forms.Form):
    """One extra charge beside the goods (tooling, freight ...); a row left empty is no charge."""

    kind = forms.ChoiceField(
        label=_("Kind of charge"), choices=[("", "—"), *ChargeKind.choices], required=False
    )
    amount = forms.DecimalField(
        label=_("Amount"),
        min_value=Decimal("0.01"),
        max_value=MAX_CHARGE,
        max_digits=14,
        decimal_places=2,
        required=False,
    )
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Shown in a table row under column headings: the label goes to screen readers only.
        for field in self.fields.values():
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs.update({"class": css, "aria-label": str(field.label)})

    def clean(self):
        data = super().clean()
        if data.get("amount") is not None and not data.get("kind"):
            self.add_error("kind", _("Choose the kind of charge."))
        if (
            (data.get("kind") or data.get("reason"))
            and data.get("amount") is None
            and "amount" not in self.errors
        ):
            self.add_error("amount", _("Enter the amount of the charge."))
        return data

    def charge(self) -> dict | None:
        """Return the charge as invoice_record takes it, or None for an empty row."""
        if not self.is_bound or self.cleaned_data.get("amount") is None:
            return None
        return {key: self.cleaned_data[key] for key in ("kind", "amount", "reason")}


class BaseInvoiceChargeFormSet(forms.BaseFormSet):
    """A few rows of extra charges; the service refuses one without a reason, with its own message."""

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        # A post without the charges' rows at all (a script, a page cached before charges existed) has none.
        if data is not None and self.add_prefix("TOTAL_FORMS") not in data:
            self.data = {
                **data.dict(),
                self.add_prefix("TOTAL_FORMS"): "0",
                self.add_prefix("INITIAL_FORMS"): "0",
            }

    def charges(self) -> list[dict]:
        """Return the filled rows as invoice_record takes them."""
        return [charge for form in self.forms if (charge := form.charge())]


# Three rows are enough for an invoice's extra charges (tooling, freight and one more); the rest is refused.
InvoiceChargeFormSet = forms.formset_factory(
    InvoiceChargeForm, formset=BaseInvoiceChargeFormSet, extra=3, max_num=3, absolute_max=3, validate_max=True
)


class PaymentForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE, validators=DATE_BOUNDS)
    amount = forms.DecimalField(label=_("Amount"), min_value=Decimal("0.01"), max_digits=14, decimal_places=2)
    reference = forms.CharField(
        label=_("Payment reference"), max_length=100, help_text=_("The bank transfer's reference.")
    )


class ResolveForm(forms.Form):
    note = forms.CharField(
        label=_("How was it settled?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: price increase accepted by email of 3 May; credit note CN-12 promised."),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the invoice rejected? (the supplier sees it)"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class TermChangeForm(forms.ModelForm):
    class Meta:
        model = PaymentTermChange
        fields = ["supplier", "new_terms_days", "effective_on", "reason"]
        widgets = {"effective_on": DATE, "reason": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "new_terms_days": _("Days from the invoice date to the due date (at most %(max)s).")
            % {"max": MAX_TERMS_DAYS},
            "reason": _("The supplier reads this before accepting or disputing."),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = Supplier.objects.visible_to(user).order_by("name")


class AgreementForm(forms.Form):
    note = forms.CharField(
        label=_("How and with whom was it agreed?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: agreed with Mr Li on the call of 3 May; confirmation letter on file."),
    )


class TermAnswerForm(forms.Form):
    """The factory's answer to proposed payment terms."""

    decision = forms.ChoiceField(
        label=_("Your answer"),
        choices=[("accept", _("Accept the new terms")), ("dispute", _("Dispute them"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you dispute: tell us what you disagree with."),
    )
