"""Staff and portal forms for orders and deliveries."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.inputs import DATE_BOUNDS, MAX_QUANTITY
from core.partner_calendar import PartnerCalendarFormMixin
from suppliers.forms import DATE
from suppliers.models import Stage, Supplier

from .models import OrderLine, PilotProgram, PurchaseOrder


class OrderForm(forms.ModelForm):
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = Supplier.objects.filter(
            stage__in=[Stage.VETTING, Stage.PILOT, Stage.APPROVED, Stage.STRATEGIC]
        ).order_by("name")
        self.fields["pilot_program"].queryset = PilotProgram.objects.filter(
            status__in=[PilotProgram.Status.RUNNING, PilotProgram.Status.EXTENDED]
        ).select_related("supplier")


class OrderLineForm(forms.ModelForm):
    class Meta:
        model = OrderLine
        fields = ["sku", "description", "quantity", "unit", "unit_price", "required_on"]
        widgets = {"required_on": DATE}


OrderLineFormSet = forms.inlineformset_factory(
    PurchaseOrder, OrderLine, form=OrderLineForm, extra=3, can_delete=False, min_num=1, validate_min=True
)


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
    received_on = forms.DateField(label=_("Received on"), widget=DATE, validators=DATE_BOUNDS)
    quantity_received = forms.IntegerField(label=_("Quantity received"), min_value=1, max_value=MAX_QUANTITY)


class ShipForm(forms.Form):
    shipped_on = forms.DateField(label=_("Shipped on"), widget=DATE, validators=DATE_BOUNDS)
    quantity_shipped = forms.IntegerField(label=_("Quantity shipped"), min_value=1, max_value=MAX_QUANTITY)
    tracking_reference = forms.CharField(label=_("Tracking reference (B/L, AWB, container)"), required=False)


class ProposeDateForm(forms.Form):
    proposed_on = forms.DateField(label=_("New date"), widget=DATE, validators=DATE_BOUNDS)
    reason = forms.CharField(
        label=_("Why does the date move?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Tell us early: material shortage, machine breakdown, holiday closure ..."),
    )


class DecideProposalForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("reject", _("Reject"))])
    note = forms.CharField(label=_("Note"), required=False)


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
