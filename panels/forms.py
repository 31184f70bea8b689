"""Forms validate input; the services in panels.services act on cleaned_data."""

from django import forms
from django.utils import timezone

from soteria.models import Pillar
from soteria.periods import Period

from .models import Action, CaseReview, LearningTheme, Meeting, Panel, PanelMember


class DateInput(forms.DateInput):
    """A browser date field: it reads and sends only ISO dates, whatever the locale."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PanelForm(forms.ModelForm):
    class Meta:
        model = Panel
        fields = ["name", "remit"]
        widgets = {"remit": forms.Textarea(attrs={"rows": 2})}


class MemberForm(forms.ModelForm):
    """A seat. Who chairs is offered only to those who may change it (services.may_change_chair):
    for anyone else the chair box, and the account on the chair's seat, are read-only."""

    def __init__(self, *args, users=None, may_change_chair: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users
        self.fields["user"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.fields["user"].label = "Account (needed to chair or own actions)"
        if not may_change_chair:
            self.fields["is_chair"].disabled = True
            self.fields["is_chair"].help_text = CHAIR_HELP
            if self.instance.is_chair:
                self.fields["user"].disabled = True

    def clean(self):
        data = super().clean()
        if data.get("is_chair") and not data.get("user"):
            self.add_error("user", "A chair needs an account, to sign in and finalise.")
        return data

    class Meta:
        model = PanelMember
        fields = ["name", "organisation_type", "organisation", "user", "is_chair"]
        labels = {"is_chair": "Chair of the panel"}


class MemberEditForm(MemberForm):
    """Changing a seat; someone who may appoint the chair but not record the panel (a force
    Soteria lead) sees only the account and the chair box."""

    def __init__(self, *args, may_record: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_record:
            for name in ("name", "organisation_type", "organisation", "active"):
                del self.fields[name]

    class Meta(MemberForm.Meta):
        fields = [*MemberForm.Meta.fields, "active"]
        labels = {**MemberForm.Meta.labels, "active": "Still a member (untick when they leave)"}


CHAIR_HELP = "Only the chair, a force Soteria lead or an administrator can change who chairs."


class MeetingForm(forms.ModelForm):
    def __init__(self, *args, panel: Panel, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = panel.members.filter(active=True)
        self.fields["attendees"].label = "Members who attended"
        if not self.instance.pk:
            self.initial.setdefault("date", timezone.localdate())

    class Meta:
        model = Meeting
        fields = ["date", "attendees", "other_attendees", "agenda", "notes"]
        widgets = {
            "date": DateInput(),
            "attendees": forms.CheckboxSelectMultiple,
            "other_attendees": forms.Textarea(attrs={"rows": 2}),
            "agenda": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


class CaseForm(forms.Form):
    """A case reviewed. The crime reference is asked for only when a case is added."""

    crime_reference = forms.CharField(
        max_length=60,
        help_text="Hashed as soon as it is entered; never stored or shown in clear.",
    )
    selection = forms.ChoiceField(
        label="Why was this case chosen?",
        choices=CaseReview.Selection.choices,
        widget=forms.RadioSelect,
    )
    proposed_by = forms.ModelChoiceField(
        queryset=PanelMember.objects.none(),
        required=False,
        label="Proposed by",
        help_text="Any member may propose a case, as an equal member.",
    )
    criterion = forms.ChoiceField(
        choices=[("", "—")] + CaseReview.Criterion.choices,
        required=False,
        label="Mandatory criterion",
    )
    selection_note = forms.CharField(
        required=False, label="Why, in a sentence", widget=forms.Textarea(attrs={"rows": 2})
    )
    judgement = forms.ChoiceField(
        choices=CaseReview.Judgement.choices,
        required=False,
        widget=forms.RadioSelect,
        label="Panel judgement",
        help_text="Every case needs a judgement and a comment before the meeting is finalised.",
    )
    judgement_comment = forms.CharField(
        required=False, label="Comment on the judgement", widget=forms.Textarea(attrs={"rows": 2})
    )
    findings = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    themes = forms.ModelMultipleChoiceField(
        queryset=LearningTheme.objects.filter(active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Learning themes",
    )
    referred_back = forms.BooleanField(
        required=False, label="Referred back for further investigation"
    )
    offence_code = forms.CharField(
        max_length=8,
        required=False,
        label="Offence code",
        help_text="Only if the crime is not in the imported records",
    )
    outcome_type = forms.CharField(max_length=4, required=False, label="Outcome type")
    add_anyway = forms.BooleanField(
        required=False,
        label="Add anyway: the panel means to review a case not closed with no further action",
        widget=forms.HiddenInput,  # offered only once the case has been found not to be NFA
    )

    def __init__(self, *args, meeting: Meeting, case: CaseReview | None = None, **kwargs):
        if case is not None:
            kwargs.setdefault(
                "initial",
                {
                    **{name: getattr(case, name) for name in _CASE_INITIAL},
                    "proposed_by": case.proposed_by_id,
                    "themes": list(case.themes.all()),
                },
            )
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["proposed_by"].queryset = meeting.panel.members.filter(active=True)
        if case is not None:
            del self.fields["crime_reference"]
            if case.selection == CaseReview.Selection.DIP_SAMPLE:
                # A dip-sampled case keeps the draw that chose it: the sample stays reproducible.
                for name in ("selection", "proposed_by", "criterion", "selection_note"):
                    del self.fields[name]
            if case.crime_record_id:
                del self.fields["offence_code"]
                del self.fields["outcome_type"]
                del self.fields["add_anyway"]

    def add_error(self, field, error):
        super().add_error(field, error)
        if "add_anyway" in self.errors:
            self.fields["add_anyway"].widget = forms.CheckboxInput()

    def clean(self):
        data = super().clean()
        if data.get("selection") == CaseReview.Selection.PROPOSED and not data.get("proposed_by"):
            self.add_error("proposed_by", "Say which member proposed this case.")
        if data.get("selection") == CaseReview.Selection.MANDATORY and not data.get("criterion"):
            self.add_error("criterion", "Say which mandatory criterion the case meets.")
        if data.get("judgement") and not data.get("judgement_comment", "").strip():
            self.add_error("judgement_comment", "Explain the judgement: a comment is required.")
        return data


_CASE_INITIAL = (
    "selection",
    "criterion",
    "selection_note",
    "judgement",
    "judgement_comment",
    "findings",
    "referred_back",
    "offence_code",
    "outcome_type",
)


def recent_periods(count: int = 8) -> list[Period]:
    return list(reversed(Period.current().trailing(count)))


class DipSampleForm(forms.Form):
    period = forms.ChoiceField(label="Quarter closed in")
    size = forms.IntegerField(label="How many cases", min_value=1, max_value=20, initial=3)
    seed = forms.IntegerField(
        label="Seed",
        min_value=0,
        max_value=2**31,
        help_text="The same seed draws the same cases; it is recorded with each case.",
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        quarters = reversed(meeting.period.trailing(8))
        self.fields["period"].choices = [(p.slug, p.label) for p in quarters]

    def cleaned_period(self) -> Period:
        return Period.parse(self.cleaned_data["period"])


class ActionForm(forms.ModelForm):
    def __init__(self, *args, meeting: Meeting, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = meeting.cases.all()
        self.fields["case"].label = "From the finding on"
        self.fields["owner"].queryset = owners
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.fields["pillar"].queryset = Pillar.objects.all()

    class Meta:
        model = Action
        fields = ["title", "case", "owner", "due_date", "pillar", "description"]
        widgets = {"due_date": DateInput(), "description": forms.Textarea(attrs={"rows": 2})}


class ActionUpdateForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = ["status", "due_date", "progress_note"]
        widgets = {"due_date": DateInput(), "progress_note": forms.Textarea(attrs={"rows": 3})}
        labels = {"progress_note": "Progress"}

    def clean(self):
        data = super().clean()
        if data.get("status") == Action.Status.CLOSED and not data.get("progress_note", "").strip():
            self.add_error("progress_note", "Say what was done before closing the action.")
        return data


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label="What needs correcting?", widget=forms.Textarea(attrs={"rows": 2})
    )


class ReportForm(forms.Form):
    period = forms.ChoiceField(
        required=False, label="Quarter", widget=forms.Select(attrs={"class": "form-select"})
    )
    year = forms.ChoiceField(
        required=False,
        label="or financial year",
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        periods = recent_periods(12)
        self.fields["period"].choices = [("", "—")] + [(p.slug, p.label) for p in periods]
        years = sorted({p.year for p in periods}, reverse=True)
        self.fields["year"].choices = [("", "—")] + [
            (str(y), Period(y, 1).financial_year) for y in years
        ]

    def periods(self) -> tuple[str, list[Period]]:
        """The report's title and quarters; the latest complete quarter when none is chosen."""
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("year"):
            year = int(data["year"])
            return f"Financial year {Period(year, 1).financial_year}", Period(year, 4).trailing(4)
        period = Period.parse(data["period"]) if data.get("period") else Period.latest_complete()
        return period.label, [period]
