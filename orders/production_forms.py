"""Forms of production records: the factory starts an order's production, then logs output per line."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.inputs import DATE_BOUNDS, MAX_QUANTITY
from suppliers.forms import DATE

from .models import PurchaseOrder
from .services.production import MAX_ISSUES_LENGTH


class ProductionStartForm(forms.Form):
    planned_finish_on = forms.DateField(
        label=_("Planned finish"),
        widget=DATE,
        validators=DATE_BOUNDS,
        help_text=_("The day you expect the last unit of this order to be produced."),
    )


class ProductionLogForm(forms.Form):
    line = forms.ModelChoiceField(label=_("Order line"), queryset=None)
    produced_on = forms.DateField(label=_("Produced on"), widget=DATE, validators=DATE_BOUNDS)
    quantity = forms.IntegerField(label=_("Quantity produced"), min_value=1, max_value=MAX_QUANTITY)
    lot_numbers = forms.CharField(
        label=_("Lot numbers"), max_length=600, help_text=_("One or more, separated by commas.")
    )
    issues = forms.CharField(
        label=_("Issues met"),
        required=False,
        max_length=MAX_ISSUES_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Machine stops, material shortages, rework: your buyer is told."),
    )

    def __init__(self, *args, order: PurchaseOrder, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the lines of this order: a line of another order (or supplier) is not a choice.
        self.fields["line"].queryset = lines = order.lines.order_by("pk")
        if not self.is_bound and "line" not in self.initial and len(only := list(lines[:2])) == 1:
            self.initial["line"] = only[0].pk  # one line: nothing to choose
        self.fields["line"].label_from_instance = lambda line: (
            f"{line.sku} — {line.description} ({line.quantity})"
        )
