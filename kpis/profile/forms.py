"""Choosing a profile: the quarter its 12 months end with, and the offences it covers."""

from django import forms

from ..engine.models import OffenceGroup


class ProfileForm(forms.Form):
    end = forms.ChoiceField(label="12 months ending")
    offence = forms.ChoiceField(
        label="Offences", choices=OffenceGroup.choices, required=False, initial=OffenceGroup.ALL
    )

    def __init__(self, data, *, quarters):
        super().__init__(data)
        self.quarters = {q.slug: q for q in quarters}
        self.fields["end"].choices = [
            (q.slug, f"{q.label} (to {q.end:%-d %b %Y})") for q in quarters
        ]
        self.fields["end"].required = False
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"

    def clean_end(self):
        slug = self.cleaned_data["end"]
        if not slug:
            return next(iter(self.quarters.values()), None)
        return self.quarters[slug]

    def clean_offence(self):
        return self.cleaned_data["offence"] or OffenceGroup.ALL
