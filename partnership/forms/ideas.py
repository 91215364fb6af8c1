"""Forms of improvement ideas: proposing one (staff and portal), moving it through the review, recording the
implementation, commenting."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.inputs import DATE_BOUNDS
from orders.models import PurchaseOrder
from suppliers.models import Supplier

from ..models import IdeaKind, ImprovementIdea, Side
from ..models.ideas import MAX_SAVING

DATE = forms.DateInput(attrs={"type": "date"})
SAVING = {"max_digits": 16, "decimal_places": 3, "min_value": 0, "max_value": MAX_SAVING, "required": False}


class PortalIdeaForm(forms.Form):
    """What a factory contact fills in to propose an idea; the order list holds its own company's orders only."""

    kind = forms.ChoiceField(label=_("Kind of improvement"), choices=IdeaKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    sku = forms.CharField(label=_("SKU (optional)"), max_length=64, required=False)
    order = forms.ModelChoiceField(
        label=_("Order (optional)"), queryset=PurchaseOrder.objects.none(), required=False
    )
    estimated_annual_saving = forms.DecimalField(label=_("Estimated saving per year (optional)"), **SAVING)
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="USD")

    def __init__(self, *args, user, supplier_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["order"].queryset = (
            PurchaseOrder.objects.visible_to(user)
            .filter(supplier_id=supplier_id)
            .order_by("-ordered_on", "-pk")
        )


class StaffIdeaForm(PortalIdeaForm):
    """What staff fill in to propose an idea to a supplier, and which side it is credited to."""

    supplier = forms.ModelChoiceField(label=_("Supplier"), queryset=Supplier.objects.none())
    credited_to = forms.ChoiceField(label=_("Credited to"), choices=Side.choices, initial=Side.BUYER)
    field_order = ["supplier"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, supplier_id=0, **kwargs)
        self.fields["supplier"].queryset = Supplier.objects.visible_to(user).order_by("name")
        # Any visible order; the service refuses one of another supplier than the one chosen.
        self.fields["order"].queryset = PurchaseOrder.objects.visible_to(user).order_by("-ordered_on", "-pk")


class IdeaTransitionForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Move to"),
        choices=[
            (ImprovementIdea.Status.UNDER_REVIEW, ImprovementIdea.Status.UNDER_REVIEW.label),
            (ImprovementIdea.Status.ACCEPTED, ImprovementIdea.Status.ACCEPTED.label),
            (ImprovementIdea.Status.DECLINED, ImprovementIdea.Status.DECLINED.label),
        ],
    )
    decline_reason = forms.CharField(
        label=_("Reason for declining (the factory reads it)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class IdeaImplementationForm(forms.Form):
    implemented_on = forms.DateField(label=_("Implemented on"), widget=DATE, validators=DATE_BOUNDS)
    realised_saving = forms.DecimalField(label=_("Realised saving"), **{**SAVING, "required": True})


class IdeaNoteForm(forms.Form):
    review_note = forms.CharField(
        label=_("Internal review note (staff only)"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class IdeaCommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
