"""The upload form of a spreadsheet import."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ImportKind


class ImportUploadForm(forms.Form):
    """What the file holds, and the file (CSV or XLSX; checked by the service)."""

    kind = forms.ChoiceField(label=_("The file holds"), choices=ImportKind.choices)
    file = forms.FileField(
        label=_("Spreadsheet (CSV or XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )


class ImportConfirmForm(forms.Form):
    """Confirm a previewed import; with bad rows, only when the user chooses to load the good ones alone."""

    only_good_rows = forms.BooleanField(
        label=_("Load only the good rows (the bad ones are left out)"), required=False
    )
