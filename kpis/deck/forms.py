"""The drill-down's form for marking a step change (the targets page keeps its form in its view)."""

from django import forms

from soteria.periods import Period

from . import control


class StepChangeForm(forms.Form):
    """The first quarter of a changed process, and what changed. The form only validates."""

    period = forms.ChoiceField(
        label="First quarter of the new process",
        help_text="The limits are recalculated from this quarter on.",
    )
    reason = forms.CharField(
        label="What changed",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example: a new specialist RASSO team from this quarter. Mark a step "
        "change only where the process changed, not to move a signal.",
    )

    def __init__(self, *args, quarters: list[Period], **kwargs):
        super().__init__(*args, **kwargs)
        # The first quarter of the series already starts the first segment.
        self.fields["period"].choices = [("", "Choose a quarter")] + [
            (p.slug, p.label) for p in reversed(quarters[1:])
        ]

    def clean_period(self) -> Period:
        return Period.parse(self.cleaned_data["period"])


def step_change_form(*, force, kpi, offence, data=None) -> tuple[StepChangeForm, str]:
    group, quarters = control.series_quarters(force=force, kpi=kpi, offence=offence)
    # Prefixed: the drill-down's quarter picker already has the id "id_period".
    return StepChangeForm(data, quarters=quarters, prefix="step"), group
