"""The buyer's announcement form: kind, title, text and audience."""

from django import forms
from django.utils.translation import gettext_lazy as _

from suppliers.models import ProductCategory, Supplier

from ..models import Announcement


class AnnouncementForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Announcement.Kind.choices, initial="market_insight")
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), max_length=10000, widget=forms.Textarea(attrs={"rows": 8}))
    audience = forms.ChoiceField(
        label=_("Who should read it"),
        choices=Announcement.Audience.choices,
        widget=forms.RadioSelect,
        initial="all",
    )
    suppliers = forms.ModelMultipleChoiceField(
        label=_("Which suppliers"), queryset=Supplier.objects.none(), required=False
    )
    category = forms.ModelChoiceField(
        label=_("Product category"), queryset=ProductCategory.objects.order_by("name"), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["suppliers"].queryset = Supplier.objects.visible_to(user).order_by("name")
        self.fields["suppliers"].widget.attrs["size"] = 8
