from django import forms
from django.conf import settings

from ..engine.models import ImportBatch

ALLOWED_SUFFIXES = (".csv", ".xlsx")


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="What is in the file?",
        choices=ImportBatch.Kind.choices,
        widget=forms.RadioSelect,
        initial=ImportBatch.Kind.RECORDS,
    )
    file = forms.FileField(
        label="File to import",
        help_text="CSV (UTF-8 or Windows-1252) or Excel .xlsx. The record-level format is "
        "described on this page.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith(ALLOWED_SUFFIXES):
            raise forms.ValidationError(
                "Choose a .csv or .xlsx file (this one is "
                f"“{upload.name}”). Save older .xls workbooks as .xlsx first."
            )
        limit = settings.IMPORT_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"The file is {upload.size / 1e6:,.0f} MB; the largest accepted is "
                f"{limit / 1e6:,.0f} MB. Split it by financial year, or ask for it to be imported "
                "with the import_outcomes command."
            )
        if upload.size == 0:
            raise forms.ValidationError("The file is empty.")
        return upload
