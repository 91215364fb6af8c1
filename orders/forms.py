"""Staff and portal forms for orders and deliveries."""

from django import forms
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.inputs import DATE_BOUNDS, MAX_QUANTITY
from core.partner_calendar import PartnerCalendarFormMixin, day_off_reason
from suppliers.forms import DATE
from suppliers.models import Stage, Supplier

from .models import Disruption, DisruptionCause, OrderCharge, OrderLine, PilotProgram, PurchaseOrder


class OrderForm(PartnerCalendarFormMixin, forms.ModelForm):
    """An order's head; its lines' required dates on the supplier's day off are confirmed before saving."""

    class Meta:
        model = PurchaseOrder
        fields = [
            "supplier",
            "number",
            "ordered_on",
            "currency",
            "incoterm",
            "pilot",
            "pilot_program",
            "notes",
        ]
        widgets = {"ordered_on": DATE, "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, lines=None, **kwargs):
        self.lines = lines  # the order's line formset, whose required dates are checked against the calendar
        super().__init__(*args, **kwargs)
        # Choosing a supplier fetches its SKU suggestions and lead time (orders:supplier_hints) into the page.
        self.fields["supplier"].widget.attrs.update(
            {
                "hx-get": reverse("orders:supplier_hints"),
                "hx-target": "#supplier-hints",
                "hx-trigger": "change",
            }
        )
        self.fields["number"].required = False
        self.fields["number"].help_text = _(
            "Leave empty: the next number of the year is given (PO-2026-00042)."
        )
        self.fields["supplier"].queryset = Supplier.objects.filter(
            stage__in=[Stage.VETTING, Stage.PILOT, Stage.APPROVED, Stage.STRATEGIC]
        ).order_by("name")
        self.fields["pilot_program"].queryset = PilotProgram.objects.filter(
            status__in=[PilotProgram.Status.RUNNING, PilotProgram.Status.EXTENDED]
        ).select_related("supplier")

    def partner_warnings(self, cleaned_data) -> dict:
        supplier = cleaned_data.get("supplier")
        if self.lines is None or supplier is None or not self.lines.is_valid():
            return {}
        days = sorted({line["required_on"] for line in self.lines.filled_lines() if line.get("required_on")})
        off = [(day, day_off_reason(supplier, day)) for day in days]
        messages = [
            _("Required on %(day)s: a day off at %(supplier)s (%(reason)s).")
            % {"day": date_format(day, "SHORT_DATE_FORMAT"), "supplier": supplier, "reason": reason}
            for day, reason in off
            if reason
        ]
        if not messages:
            return {}
        # Not a field of this form: said above the form, with the "Save anyway" box.
        return {None: " ".join([*messages, str(_("Choose another day, or tick “Save anyway”."))])}


class OrderLineForm(forms.ModelForm):
    class Meta:
        model = OrderLine
        fields = [
            "sku",
            "description",
            "quantity",
            "unit",
            "unit_price",
            "required_on",
            "off_agreement_reason",
        ]
        help_texts = {
            "unit_price": _("Empty: the price agreed for the SKU on the order date."),
            "off_agreement_reason": _("Only when the price differs from the agreement."),
        }
        widgets = {
            # The SKUs this supplier was ordered before are offered as suggestions (orders/_supplier_hints.html).
            "sku": forms.TextInput(attrs={"list": "sku-suggestions", "autocomplete": "off"}),
            "required_on": DATE,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # An empty price takes the price agreement's (orders.services.order_create).
        self.fields["unit_price"].required = False


class BaseOrderLineFormSet(forms.BaseFormSet):
    """The order form's lines: any number, added and removed in the page; empty and removed lines are ignored."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "error_messages",
            {
                "too_many_forms": _("An order holds at most %(num)d lines."),
                "missing_management_form": _("The lines of the form were lost; please enter them again."),
            },
        )
        super().__init__(*args, **kwargs)

    @classmethod
    def get_default_prefix(cls):
        return "lines"

    def clean(self):
        super().clean()
        if not any(form.has_changed() and not self._should_delete_form(form) for form in self.forms):
            raise forms.ValidationError(_("Add at least one line."), code="no_lines")

    def filled_lines(self) -> list[dict]:
        """Return the cleaned data of the lines the buyer filled in and did not remove."""
        return [
            {name: form.cleaned_data[name] for name in OrderLineForm._meta.fields}
            for form in self.forms
            if form.has_changed() and not self._should_delete_form(form) and form.cleaned_data
        ]


OrderLineFormSet = forms.formset_factory(
    OrderLineForm, formset=BaseOrderLineFormSet, extra=1, can_delete=True, max_num=200, absolute_max=200
)


class RenumberForm(forms.Form):
    number = forms.CharField(label=_("PO number"), max_length=50)


class LineChangeForm(PartnerCalendarFormMixin, forms.Form):
    partner_date_fields = ("required_on",)

    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=MAX_QUANTITY)
    required_on = forms.DateField(label=_("Required on"), widget=DATE, validators=DATE_BOUNDS)
    reason = forms.CharField(
        label=_("Reason (the supplier sees it)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, supplier=None, **kwargs):
        self.supplier = supplier
        super().__init__(*args, **kwargs)

    def partner_supplier(self, cleaned_data):
        return self.supplier


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ReceiveForm(forms.Form):
    """A receipt: the date, then per order line (or, for a delivery with no lines, in all) received and rejected."""

    received_on = forms.DateField(label=_("Received on"), widget=DATE, validators=DATE_BOUNDS)

    def __init__(self, *args, lines=(), expected: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        quantity = {"min_value": 0, "max_value": MAX_QUANTITY, "widget": forms.NumberInput(attrs={"min": 0})}
        if not self.lines:
            self.fields["received"] = forms.IntegerField(
                label=_("Quantity received"), initial=expected, **quantity
            )
            self.fields["rejected"] = forms.IntegerField(label=_("Quantity rejected"), initial=0, **quantity)
        # Named by the line's place in the delivery (received_0, rejected_0, ...), the same on every page load.
        for index, line in enumerate(self.lines):
            self.fields[f"received_{index}"] = forms.IntegerField(
                label=_("%(sku)s received") % {"sku": line.sku}, initial=line.outstanding, **quantity
            )
            self.fields[f"rejected_{index}"] = forms.IntegerField(
                label=_("%(sku)s rejected") % {"sku": line.sku}, initial=0, **quantity
            )

    def rows(self):
        """Yield (line, received field, rejected field) for the template's table."""
        for index, line in enumerate(self.lines):
            yield line, self[f"received_{index}"], self[f"rejected_{index}"]

    def service_kwargs(self) -> dict:
        """Return the cleaned receipt as delivery_receive takes it."""
        data = self.cleaned_data
        if not self.lines:
            return {
                "received_on": data["received_on"],
                "quantity_received": data["received"],
                "quantity_rejected": data["rejected"],
            }
        return {
            "received_on": data["received_on"],
            "lines": [
                {
                    "line": line,
                    "quantity_received": data[f"received_{index}"],
                    "quantity_rejected": data[f"rejected_{index}"],
                }
                for index, line in enumerate(self.lines)
            ],
        }


class ShipForm(forms.Form):
    shipped_on = forms.DateField(label=_("Shipped on"), widget=DATE, validators=DATE_BOUNDS)
    quantity_shipped = forms.IntegerField(label=_("Quantity shipped"), min_value=1, max_value=MAX_QUANTITY)
    tracking_reference = forms.CharField(label=_("Tracking reference (B/L, AWB, container)"), required=False)


class ProposeDateForm(forms.Form):
    proposed_on = forms.DateField(label=_("New date"), widget=DATE, validators=DATE_BOUNDS)
    # The factory's own cause: a buyer's change is the buyer's to record (an order change), not the factory's.
    cause = forms.ChoiceField(
        label=_("What causes the delay?"),
        choices=[
            (value, label)
            for value, label in DisruptionCause.choices
            if value != DisruptionCause.BUYER_CHANGE
        ],
        initial=DisruptionCause.OTHER,
        required=False,
    )
    reason = forms.CharField(
        label=_("Why does the date move?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Tell us early: material shortage, machine breakdown, holiday closure ..."),
    )

    def clean_cause(self):
        return self.cleaned_data.get("cause") or DisruptionCause.OTHER


class DecideProposalForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("reject", _("Reject"))])
    note = forms.CharField(label=_("Note"), required=False)


class ChangeAnswerForm(forms.Form):
    """The buyer's (or a manager's) answer to one change of a sent order."""

    ACTIONS = [
        ("withdraw", _("Withdraw")),
        ("accept_counter", _("Accept the counter")),
        ("agree", _("Record as agreed another way")),
        ("accept", _("Accept")),
        ("reject", _("Reject")),
    ]
    action = forms.ChoiceField(choices=ACTIONS)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class FactoryChangesAnswerForm(forms.Form):
    """The buyer's answer to all the factory's changes of an order at once."""

    decision = forms.ChoiceField(choices=[("accept", _("Accept all")), ("reject", _("Reject all"))])
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class CounterForm(forms.Form):
    """The factory's counter to the buyer's change: its own quantity or date, and why."""

    quantity = forms.IntegerField(
        label=_("The quantity we can make"), min_value=1, max_value=MAX_QUANTITY, required=False
    )
    required_on = forms.DateField(
        label=_("The date we can deliver"), widget=DATE, validators=DATE_BOUNDS, required=False
    )
    reason = forms.CharField(label=_("Why?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args, change=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the value the change is about: a quantity for a quantity, a date for a date, none for a cancellation.
        kind = getattr(change, "kind", None)
        if kind != "quantity":
            del self.fields["quantity"]
        if kind != "required_date":
            del self.fields["required_on"]


class DeclineOrderForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you decline the order?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class ConfirmWithChangesForm(forms.Form):
    """The factory's own quantity and date per line; a line left as it is stays unchanged."""

    reason = forms.CharField(
        label=_("Why do these lines need changes?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        for line in self.lines:
            self.fields[f"quantity_{line.pk}"] = forms.IntegerField(
                label=_("Quantity"), min_value=1, max_value=MAX_QUANTITY, initial=line.quantity
            )
            self.fields[f"required_on_{line.pk}"] = forms.DateField(
                label=_("Date"), widget=DATE, validators=DATE_BOUNDS, initial=line.required_on
            )

    def rows(self):
        """Return (line, quantity field, date field) for the template."""
        return [(line, self[f"quantity_{line.pk}"], self[f"required_on_{line.pk}"]) for line in self.lines]

    def service_lines(self) -> list[dict]:
        """Return the lines as the service takes them."""
        return [
            {
                "line": line,
                "quantity": self.cleaned_data[f"quantity_{line.pk}"],
                "required_on": self.cleaned_data[f"required_on_{line.pk}"],
            }
            for line in self.lines
        ]


class PilotForm(forms.ModelForm):
    class Meta:
        model = PilotProgram
        fields = [
            "name",
            "starts_on",
            "ends_on",
            "target_on_time_rate",
            "target_defect_rate",
            "other_criteria",
        ]
        widgets = {"starts_on": DATE, "ends_on": DATE, "other_criteria": forms.Textarea(attrs={"rows": 2})}


class PilotDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (PilotProgram.Status.PASSED, _("Pass: the supplier may be approved")),
            (PilotProgram.Status.EXTENDED, _("Extend the pilot")),
            (PilotProgram.Status.REJECTED, _("Reject")),
        ],
        widget=forms.RadioSelect,
    )
    extend_to = forms.DateField(
        label=_("New end date (when extending)"), required=False, widget=DATE, validators=DATE_BOUNDS
    )
    note = forms.CharField(label=_("What the decision rests on"), widget=forms.Textarea(attrs={"rows": 3}))


class DisruptionForm(forms.ModelForm):
    """Declare a disruption: what, where, when, and the suppliers it hit (a search box picks them)."""

    class Meta:
        model = Disruption
        fields = ["title", "cause", "region", "starts_on", "ends_on", "description", "suppliers"]
        widgets = {"starts_on": DATE, "ends_on": DATE, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cause"].choices = [
            (value, label)
            for value, label in DisruptionCause.choices
            if value != DisruptionCause.BUYER_CHANGE
        ]
        self.fields["suppliers"].queryset = Supplier.objects.visible_to(user).order_by("name")
        self.fields["suppliers"].required = True


class ExcuseForm(forms.Form):
    reason = forms.CharField(label=_("Why is it excused?"), max_length=300)
    disruption = forms.ModelChoiceField(
        label=_("Disruption"),
        queryset=Disruption.objects.none(),
        required=False,
        empty_label=_("None — our own change to the order"),
    )

    def __init__(self, *args, delivery=None, **kwargs):
        super().__init__(*args, **kwargs)
        if delivery is not None:
            self.fields["disruption"].queryset = Disruption.objects.filter(suppliers=delivery.supplier_id)


class WithdrawExcuseForm(forms.Form):
    reason = forms.CharField(label=_("Why is the excuse withdrawn?"), max_length=300)


class OrderChargeForm(forms.ModelForm):
    """An extra charge the buyer agrees to on an order: its kind, the most the factory may bill, a note."""

    class Meta:
        model = OrderCharge
        fields = ["kind", "amount_cap", "note"]
