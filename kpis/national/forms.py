from django import forms

from soteria.models import Force


class PeerGroupForm(forms.Form):
    members = forms.ModelMultipleChoiceField(
        label="Most similar forces",
        queryset=Force.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Every comparison with the group sums these forces' published figures.",
        error_messages={"required": "Choose at least one force."},
    )
    reason = forms.CharField(
        label="Why is the group changed?",
        max_length=300,
        help_text="Kept in the group's history, with your name and the time.",
        error_messages={"required": "Say why the group is changed: it is kept in its history."},
    )

    def __init__(self, *args, force: Force, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = Force.objects.exclude(pk=force.pk)
