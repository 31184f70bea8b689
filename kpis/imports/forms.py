from django import forms
from django.conf import settings

from ..engine.models import ImportBatch

ALLOWED_SUFFIXES = (".csv", ".xlsx")


NATIONAL_TABLE_REFUSED = (
    "The Home Office outcomes table is national data, shared by every force: only a national "
    "administrator or national analyst loads it, on the national imports page. Upload your "
    "force's record-level extract here."
)


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


class ForceUploadForm(ImportUploadForm):
    """A force's own upload: record-level extracts only; a Home Office table is refused."""

    kind = forms.CharField(widget=forms.HiddenInput, initial=ImportBatch.Kind.RECORDS)

    def clean_kind(self):
        kind = self.cleaned_data["kind"]
        if kind != ImportBatch.Kind.RECORDS:  # hidden: its errors are shown with the form's
            self.add_error(
                None,
                NATIONAL_TABLE_REFUSED
                if kind == ImportBatch.Kind.HOME_OFFICE
                else "Only record-level extracts are imported here.",
            )
        return kind


class NationalUploadForm(ImportUploadForm):
    """The national imports page: the Home Office outcomes table only."""

    kind = None
    file = forms.FileField(
        label="Home Office outcomes table",
        help_text="The published “Outcomes open data” workbook (.xlsx) or a CSV of it. It "
        "replaces, after confirmation, the figures of every force for the quarters it covers.",
    )
