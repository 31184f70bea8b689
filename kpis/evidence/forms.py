"""Evidence return forms, built from the KPI catalogue rather than written per pillar.

Each evidence KPI of the pillar becomes one or two fields according to its value
kind (a number, a numerator and denominator, a date, or yes/no) plus an optional
note. Consistency errors (a numerator above its denominator, a count above the count it is
part of, a date after the quarter, a percentage over 100) block any save; missing figures only block
submission, so a draft can be saved at any time.
"""

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.utils.formats import date_format

from soteria.files import validate_evidence_file
from soteria.periods import Period

from ..engine.models import Kpi
from .models import EvidenceValue
from .services import frequency_note, is_due

YES_NO = [("yes", "Yes"), ("no", "No")]


def _in_sentence(text: str) -> str:
    """Lower-case the first letter for use mid-sentence, keeping acronyms (RASSO, STRA)."""
    return text if text[:2].isupper() else text[:1].lower() + text[1:]


@dataclass
class KpiSection:
    kpi: Kpi
    fields: list  # bound fields for the figure
    comment: object  # bound field for the note
    due: bool
    frequency: str
    previous: str | None
    warning: str = ""


class EvidenceReturnForm(forms.Form):
    narrative = forms.CharField(
        label="Assurance narrative",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=(
            "What the figures show, how they were checked, and what is being done about them. "
            "It is shown with the figures on the flight deck."
        ),
    )

    def __init__(
        self,
        *args,
        kpis: list[Kpi],
        period: Period,
        values: dict[str, EvidenceValue],
        previous: dict[str, EvidenceValue],
        previous_period: Period,
        narrative: str = "",
        submitting: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.kpis, self.period, self.submitting = kpis, period, submitting
        self.previous, self.previous_period = previous, previous_period
        self.fields["narrative"].initial = narrative
        for kpi in kpis:
            self._add_fields(kpi, values.get(kpi.slug))

    # Building --------------------------------------------------------------------

    def _add_fields(self, kpi: Kpi, value: EvidenceValue | None) -> None:
        slug, kind = kpi.slug, kpi.value_kind
        if kind == Kpi.ValueKind.FRACTION:
            self.fields[f"{slug}__numerator"] = forms.IntegerField(
                label=kpi.numerator_label or "Numerator",
                required=False,
                min_value=0,
                initial=value.numerator if value else None,
                error_messages={
                    "min_value": "Enter 0 or more.",
                    "invalid": "Enter a whole number.",
                },
            )
            self.fields[f"{slug}__denominator"] = forms.IntegerField(
                label=kpi.denominator_label or "Denominator",
                required=False,
                min_value=0,
                initial=value.denominator if value else None,
                error_messages={
                    "min_value": "Enter 0 or more.",
                    "invalid": "Enter a whole number.",
                },
                help_text=(
                    f"{kpi.min_denominator} or more are needed for a reliable figure."
                    if kpi.min_denominator
                    else ""
                ),
            )
        elif kind == Kpi.ValueKind.DATE:
            self.fields[f"{slug}__date"] = forms.DateField(
                label=f"{kpi.name}: date",
                required=False,
                initial=value.date if value else None,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                error_messages={"invalid": "Enter a real date, for example 31/03/2025."},
                help_text="The date it was last completed.",
            )
        elif kind == Kpi.ValueKind.YESNO:
            initial = None if value is None or value.yes_no is None else YES_NO[not value.yes_no][0]
            self.fields[f"{slug}__yes_no"] = forms.ChoiceField(
                label=kpi.name,
                required=False,
                choices=YES_NO,
                initial=initial,
                widget=forms.RadioSelect,
            )
        else:
            whole = kpi.unit == Kpi.Unit.COUNT
            field_class = forms.IntegerField if whole else forms.FloatField
            number = value.number if value else None
            if whole and number is not None and float(number).is_integer():
                number = int(number)  # stored as a float: 12, not "12.0", in the box
            unit = {"days": " (days)", "percent": " (%)"}.get(kpi.unit, "")
            self.fields[f"{slug}__number"] = field_class(
                label=f"{kpi.name}{unit}",
                required=False,
                min_value=0,
                initial=number,
                widget=forms.NumberInput(attrs={"step": "1" if whole else "any"}),
                error_messages={
                    "min_value": "Enter 0 or more.",
                    "invalid": "Enter a whole number." if whole else "Enter a number.",
                },
            )
        self.fields[f"{slug}__comment"] = forms.CharField(
            label=f"Note on {_in_sentence(kpi.name)} (optional)",
            required=False,
            initial=value.comment if value else "",
            widget=forms.Textarea(attrs={"rows": 2}),
        )

    def figure_names(self, kpi: Kpi) -> list[str]:
        return {
            Kpi.ValueKind.FRACTION: [f"{kpi.slug}__numerator", f"{kpi.slug}__denominator"],
            Kpi.ValueKind.DATE: [f"{kpi.slug}__date"],
            Kpi.ValueKind.YESNO: [f"{kpi.slug}__yes_no"],
        }.get(kpi.value_kind, [f"{kpi.slug}__number"])

    @property
    def sections(self) -> list[KpiSection]:
        sections = []
        for kpi in self.kpis:
            previous = self.previous.get(kpi.slug)
            sections.append(
                KpiSection(
                    kpi=kpi,
                    fields=[self[name] for name in self.figure_names(kpi)],
                    comment=self[f"{kpi.slug}__comment"],
                    due=is_due(kpi, self.period),
                    frequency=frequency_note(kpi),
                    previous=previous.display if previous and not previous.is_empty else None,
                    warning=self._warning(kpi),
                )
            )
        return sections

    def _warning(self, kpi: Kpi) -> str:
        if not kpi.min_denominator:
            return ""
        raw = self[f"{kpi.slug}__denominator"].value()
        try:
            count = int(raw)
        except (TypeError, ValueError):
            return ""
        if count < kpi.min_denominator:
            return (
                f"{count} responses is fewer than {kpi.min_denominator}: the figure will be "
                "shown as too few to rely on."
            )
        return ""

    # Checking --------------------------------------------------------------------

    def clean(self):
        data = super().clean()
        for kpi in self.kpis:
            self._check(kpi, data)
        self._check_parts(data)
        if self.submitting and not (data.get("narrative") or "").strip():
            self.add_error("narrative", "Write the assurance narrative before submitting.")
        return data

    def _check(self, kpi: Kpi, data: dict) -> None:
        slug, kind = kpi.slug, kpi.value_kind
        required = self.submitting and is_due(kpi, self.period)
        if kind == Kpi.ValueKind.FRACTION:
            num_name, den_name = f"{slug}__numerator", f"{slug}__denominator"
            if num_name in self.errors or den_name in self.errors:
                return
            num, den = data.get(num_name), data.get(den_name)
            num_label = kpi.numerator_label or "The numerator"
            den_label = _in_sentence(kpi.denominator_label or "the denominator")
            if num is not None and den is not None and num > den:
                self.add_error(
                    num_name,
                    f"{num_label} ({num}) cannot be more than {den_label} ({den}).",
                )
            elif (num is None) != (den is None) and (required or self.submitting):
                missing = num_name if num is None else den_name
                self.add_error(missing, "Enter both figures, or leave both blank.")
            elif required and num is None:
                self.add_error(
                    num_name,
                    f"Enter this quarter's figures for {_in_sentence(kpi.name)}.",
                )
                self.add_error(den_name, "Enter this figure too.")
            return
        name = self.figure_names(kpi)[0]
        if name in self.errors:
            return
        value = data.get(name)
        if value in (None, ""):
            if required:
                self.add_error(name, f"Enter this quarter's figure for {_in_sentence(kpi.name)}.")
            return
        if kind == Kpi.ValueKind.DATE and value > self.period.end:
            end = date_format(self.period.end, "j F Y")
            self.add_error(
                name,
                f"This date is after the end of {self.period.label} ({end}). Enter the date it "
                "was last completed on or before then.",
            )
        elif kind == Kpi.ValueKind.NUMBER and kpi.unit == Kpi.Unit.PERCENT and value > 100:
            self.add_error(name, f"A percentage cannot be over 100 (you entered {value:g}).")

    def _check_parts(self, data: dict) -> None:
        """A count that is part of another (the catalogue's ``part_of``) is never more than it:
        20 reviews upheld of 12 requested is a typing error, not a figure."""
        by_pk = {kpi.pk: kpi for kpi in self.kpis}
        for kpi in self.kpis:
            whole = by_pk.get(kpi.part_of_id)
            if whole is None:
                continue
            part_name, whole_name = f"{kpi.slug}__number", f"{whole.slug}__number"
            if part_name in self.errors or whole_name in self.errors:
                continue
            part, total = data.get(part_name), data.get(whole_name)
            if part is not None and total is not None and part > total:
                self.add_error(
                    part_name,
                    f"This cannot be more than {whole.name} ({total:g}): you entered {part:g}.",
                )

    def values(self) -> dict[str, dict]:
        """The figures as the service takes them: {kpi slug: {column: value}}."""
        data = self.cleaned_data
        result = {}
        for kpi in self.kpis:
            slug = kpi.slug
            row = {"comment": (data.get(f"{slug}__comment") or "").strip()}
            if kpi.value_kind == Kpi.ValueKind.FRACTION:
                row["numerator"] = data.get(f"{slug}__numerator")
                row["denominator"] = data.get(f"{slug}__denominator")
            elif kpi.value_kind == Kpi.ValueKind.DATE:
                row["date"] = data.get(f"{slug}__date")
            elif kpi.value_kind == Kpi.ValueKind.YESNO:
                answer = data.get(f"{slug}__yes_no")
                row["yes_no"] = {"yes": True, "no": False}.get(answer)
            else:
                number = data.get(f"{slug}__number")
                row["number"] = float(number) if number is not None else None
            result[slug] = row
        return result


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label="Evidence file",
        validators=[validate_evidence_file],
    )
    description = forms.CharField(
        label="What the file shows (optional)", max_length=200, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = settings.EVIDENCE_MAX_UPLOAD_BYTES / 1_048_576
        self.fields[
            "file"
        ].help_text = f"PDF, Word, Excel, OpenDocument, CSV, text or an image; up to {limit:g} MB."


class ReviewForm(forms.Form):
    DECISIONS = [("approve", "Approve"), ("return", "Return for changes")]

    decision = forms.ChoiceField(choices=DECISIONS, widget=forms.HiddenInput)
    comment = forms.CharField(
        label="Comment for the pillar lead",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when returning the return: say what needs changing. Optional when "
        "approving: it is kept with the return and sent to the pillar lead.",
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not (data.get("comment") or "").strip():
            self.add_error("comment", "Say what needs changing before returning it.")
        return data


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label="Why reopen this approved return?",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say why the return is being reopened."},
        help_text="Recorded in the history. Its figures leave the flight deck until re-approved.",
    )


class DueDateForm(forms.Form):
    due_date = forms.DateField(
        label="Due date",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Enter the date the return is due.",
            "invalid": "Enter a real date, for example 31/07/2025.",
        },
        help_text="By default 20 working days after the quarter ends.",
    )
