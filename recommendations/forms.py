"""Forms validate; the services act on cleaned_data."""

import datetime as dt

from django import forms
from django.utils import timezone

from soteria.files import validate_evidence_file
from soteria.models import Pillar

from .models import (
    Action,
    ActionStatus,
    Inspection,
    Rag,
    Recommendation,
    Response,
    ResponseRecord,
    Status,
)
from .services.records import commissioner_label


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class PillarChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class InspectionForm(forms.ModelForm):
    url = forms.URLField(label="Link", required=False, assume_scheme="https", max_length=500)
    national = forms.BooleanField(
        required=False,
        label="National inspection (every force responds to it)",
        help_text="Leave unticked for an inspection of this force only.",
    )

    class Meta:
        model = Inspection
        fields = ["title", "inspectorate", "published", "summary", "url", "areas_for_improvement"]
        widgets = {
            "published": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 5}),
            "areas_for_improvement": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, allow_national: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not allow_national:
            del self.fields["national"]

    def clean_published(self):
        published = self.cleaned_data["published"]
        if published > timezone.localdate():
            raise forms.ValidationError("The publication date cannot be in the future.")
        return published


class RecommendationForm(forms.ModelForm):
    class Meta:
        model = Recommendation
        fields = ["number", "text", "deadline", "addressee", "addressee_detail"]
        widgets = {"deadline": DateInput(), "text": forms.Textarea(attrs={"rows": 5})}
        labels = {"addressee": "Addressed to", "addressee_detail": "Named in the report as"}


class ResponseForm(forms.ModelForm):
    owner = OwnerChoiceField(queryset=None, required=False, empty_label="No owner yet")
    pillars = PillarChoiceField(
        queryset=Pillar.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Response
        fields = [
            "owner",
            "pillars",
            "status",
            "rag",
            "planned_closedown",
            "chief_constable_response",
            "pcc_response",
        ]
        widgets = {
            "planned_closedown": DateInput(),
            "chief_constable_response": forms.Textarea(attrs={"rows": 5}),
            "pcc_response": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        # The force answers a recommendation to forces; the PCC office answers the others.
        del self.fields[
            "pcc_response"
            if self.instance.recommendation.for_forces
            else "chief_constable_response"
        ]
        self.fields["owner"].queryset = members
        self.fields["rag"].choices = [("", "Not rated")] + list(Rag.choices)
        if self.instance.status == Status.COMPLETE:
            self.fields["status"].disabled = True
            self.fields["rag"].disabled = True
            self.fields["rag"].help_text = "Signed off as complete, so green."
            self.fields[
                "status"
            ].help_text = "Signed off as complete. Reopen it to change the status."
        else:
            self.fields["status"].choices = [c for c in Status.choices if c[0] != Status.COMPLETE]
            self.fields["status"].help_text = "Complete is set only by a chief officer's sign-off."


class ActionForm(forms.ModelForm):
    owner = OwnerChoiceField(queryset=None, required=False, empty_label="No owner yet")

    class Meta:
        model = Action
        fields = ["title", "owner", "due_date"]
        widgets = {"due_date": DateInput()}
        labels = {"title": "Action"}

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members


class ActionEditForm(forms.Form):
    """Not a ModelForm: the service, not the form, decides how the action changes."""

    title = forms.CharField(label="Action", max_length=300)
    owner = OwnerChoiceField(queryset=None, required=False, empty_label="No owner yet")
    due_date = forms.DateField(widget=DateInput())
    status = forms.ChoiceField(choices=ActionStatus.choices)

    def __init__(self, *args, action, members, owner_only: bool = False, **kwargs):
        initial = {
            "title": action.title,
            "owner": action.owner_id,
            "due_date": action.due_date,
            "status": action.status,
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["owner"].queryset = members
        self.fields[
            "status"
        ].help_text = "Complete needs evidence attached to an update on this action."
        if owner_only:
            # The action's owner may update its status, not reassign or re-plan it.
            for name in ("title", "owner", "due_date"):
                self.fields[name].disabled = True


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class UpdateForm(forms.Form):
    date = forms.DateField(label="Date of update", widget=DateInput())
    text = forms.CharField(label="Progress", widget=forms.Textarea(attrs={"rows": 4}))
    action = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="The recommendation as a whole"
    )
    evidence = MultipleFileField(
        required=False,
        label="Evidence files",
        help_text="PDF, Word, Excel, CSV, text, image or OpenDocument files; 10 MB each at most.",
    )

    def __init__(self, *args, actions, action_required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].queryset = actions
        self.fields["action"].label = "About"
        if action_required:
            self.fields["action"].required = True
            self.fields["action"].empty_label = None
        if not self.is_bound:
            self.initial.setdefault("date", timezone.localdate())

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError("An update cannot be dated in the future.")
        if date < dt.date(2000, 1, 1):
            raise forms.ValidationError("Enter the real date of the update.")
        return date

    def clean_evidence(self):
        files = self.cleaned_data.get("evidence") or []
        errors = []
        for upload in files:
            try:
                validate_evidence_file(upload)
            except forms.ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise forms.ValidationError(errors)
        return files


class SignOffForm(forms.Form):
    note = forms.CharField(
        label="Sign-off note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Optional: what you checked before signing off.",
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(label="Why reopen it?", widget=forms.Textarea(attrs={"rows": 2}))


class KpiLinkForm(forms.Form):
    kpis = forms.ModelMultipleChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple, label="Linked KPIs"
    )

    def __init__(self, *args, kpis, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kpis"].queryset = kpis


class LinkForm(forms.Form):
    target = forms.ChoiceField(label="Record to link")

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [("", "Choose a record")] + choices
        self.fields["target"].widget.attrs["class"] = "form-select"


class PageLinkForm(forms.Form):
    page = forms.ChoiceField(label="Page to link")
    period = forms.ChoiceField(label="Quarter")

    def __init__(self, *args, pages, quarters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["page"].choices = pages
        self.fields["period"].choices = quarters
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"


class RecordForm(forms.ModelForm):
    class Meta:
        model = ResponseRecord
        fields = [
            "pcc_name",
            "chief_constable_name",
            "summary",
            "grade",
            "areas_for_improvement",
            "pcc_initial_response",
            "chief_constable_response",
            "pcc_overall_comments",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 6})
            for name in (
                "summary",
                "areas_for_improvement",
                "pcc_initial_response",
                "chief_constable_response",
                "pcc_overall_comments",
            )
        }
        help_texts = {
            "areas_for_improvement": "One area for improvement per paragraph (leave a blank line between).",
        }

    def __init__(
        self, *args, recommendations, responses: dict[int, str], commissioner_title: str, **kwargs
    ):
        super().__init__(*args, **kwargs)
        commissioner = commissioner_label(commissioner_title)
        self.fields["pcc_name"].label = commissioner
        self.fields["pcc_initial_response"].label = f"{commissioner}'s initial response"
        self.fields["pcc_overall_comments"].label = f"{commissioner}'s overall comments"
        self.recommendations = list(recommendations)
        for rec in self.recommendations:
            self.fields[f"rec_{rec.pk}"] = forms.CharField(
                label=f"Chief constable's response to recommendation {rec.number}",
                required=False,
                initial=responses.get(rec.pk, ""),
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text=rec.text,
            )

    def rec_fields(self):
        return [self[f"rec_{rec.pk}"] for rec in self.recommendations]

    def rec_responses(self) -> dict[int, str]:
        return {rec.pk: self.cleaned_data[f"rec_{rec.pk}"] for rec in self.recommendations}

    def section_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class PublishConfirmForm(forms.Form):
    """The confirmation step before a version is published; ``version`` is the one the user
    read, so that a confirmation never publishes a different draft."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        error_messages={"required": "Tick the box to confirm that this version may be published."}
    )

    def __init__(self, *args, version: int, **kwargs):
        super().__init__(*args, initial={"version": version}, **kwargs)
        self.fields[
            "confirm"
        ].label = f"I have read version {version}, and it may be published now as it stands"


class RegisterFilterForm(forms.Form):
    inspection = forms.ModelChoiceField(queryset=None, required=False, empty_label="All")
    pillar = forms.ModelChoiceField(
        queryset=Pillar.objects.all(), required=False, empty_label="All"
    )
    owner = OwnerChoiceField(queryset=None, required=False, empty_label="Anyone")
    status = forms.ChoiceField(choices=[("", "Any")] + list(Status.choices), required=False)

    def __init__(self, *args, inspections, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspection"].queryset = inspections
        self.fields["owner"].queryset = members
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "inspection": data.get("inspection"),
            "pillar": data.get("pillar"),
            "owner": data.get("owner"),
            "status": data.get("status") or "",
        }
