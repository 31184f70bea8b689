"""NFA scrutiny panels: panels and members, meetings, the cases they review, learning, actions.

Crime references are never stored in clear: a case reviewed keeps only the keyed
hash (soteria.pseudonym), the same one imports use, so it links to the imported
CrimeRecord. Pages name a case by its meeting sequence number and hash prefix.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from soteria.models import Force, Pillar
from soteria.periods import Period


class OrganisationType(models.TextChoices):
    POLICE = "police", "Police"
    CPS = "cps", "Crown Prosecution Service"
    ISVA = "isva", "Independent sexual violence adviser (ISVA)"
    ACADEMIC = "academic", "Academic"
    THIRD_SECTOR = "third_sector", "Third sector"
    OTHER = "other", "Other"


class Panel(models.Model):
    FORCE_FIELD = "force"
    SEAT_FIELD = "members"  # external members see the panels they sit on (soteria.access)

    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="panels")
    name = models.CharField(max_length=150)
    remit = models.TextField(blank=True, help_text="What the panel reviews and how often it meets")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["force__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["force", "name"], name="panel_unique_name_per_force")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("panels:panel", kwargs={"force_slug": self.force.slug, "panel_id": self.pk})


class PanelMember(models.Model):
    """A seat on a panel. Members from partner bodies need no account; chairs do."""

    FORCE_FIELD = "panel__force"

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(max_length=150)
    organisation_type = models.CharField(max_length=12, choices=OrganisationType.choices)
    organisation = models.CharField(max_length=150, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="panel_seats",
        help_text="The member's account, if they sign in (a chair must)",
    )
    is_chair = models.BooleanField(default=False)
    active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-is_chair", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["panel"],
                condition=models.Q(is_chair=True, active=True),
                name="panel_one_chair",
            ),
            models.CheckConstraint(
                condition=models.Q(is_chair=False) | models.Q(user__isnull=False),
                name="panel_chair_has_account",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_organisation_type_display()})"


class LearningTheme(models.Model):
    """The learning-theme taxonomy: reference data the administrator can extend in admin."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    pillar = models.ForeignKey(Pillar, on_delete=models.SET_NULL, null=True, blank=True)
    active = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=100)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Meeting(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        FINALISED = "finalised", "Finalised"

    FORCE_FIELD = "panel__force"
    SEAT_FIELD = "panel__members"

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField()
    agenda = models.TextField(
        blank=True, help_text="Other agenda items; open actions are added automatically"
    )
    attendees = models.ManyToManyField(
        PanelMember, blank=True, related_name="meetings_attended", verbose_name="attendance"
    )
    other_attendees = models.TextField(blank=True, help_text="Guests and observers, one a line")
    notes = models.TextField(blank=True, help_text="General discussion and decisions")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    finalised_at = models.DateTimeField(null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Who finalised, and when, is the history row's own user and time.
    history = HistoricalRecords(
        m2m_fields=[attendees], excluded_fields=["finalised_at", "finalised_by"]
    )

    class Meta:
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(finalised_at__isnull=False),
                name="meeting_finalised_has_time",
            )
        ]

    def __str__(self) -> str:
        return f"{self.panel} meeting on {self.date:%-d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse(
            "panels:meeting",
            kwargs={"force_slug": self.panel.force.slug, "meeting_id": self.pk},
        )

    @property
    def is_finalised(self) -> bool:
        return self.status == self.Status.FINALISED

    @property
    def period(self) -> Period:
        return Period.containing(self.date)


class CaseReview(models.Model):
    """One NFA case examined at a meeting, identified only by its keyed hash."""

    class Selection(models.TextChoices):
        DIP_SAMPLE = "dip_sample", "Random dip-sample"
        PROPOSED = "proposed", "Proposed by a member"
        MANDATORY = "mandatory", "Mandatory criterion"

    class Criterion(models.TextChoices):
        REPEAT_SUSPECT = "repeat_suspect", "Named repeat suspect"
        OUTCOME_16 = "outcome_16", "Outcome 16 (suspect identified, victim withdrew support)"
        VULNERABLE_VICTIM = "vulnerable_victim", "Victim with additional vulnerabilities"
        OTHER = "other", "Other force criterion"

    class Judgement(models.TextChoices):
        SOUND = "sound", "1 – Decision sound, investigation good"
        SOUND_WITH_LEARNING = "learning", "2 – Decision sound, learning identified"
        CONCERNS = "concerns", "3 – Concerns about the decision or investigation"
        UNSOUND = "unsound", "4 – Decision not supported: investigation fell short"

    FORCE_FIELD = "meeting__panel__force"
    SEAT_FIELD = "meeting__panel__members"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="cases")
    sequence = models.PositiveSmallIntegerField(help_text="Case number within the meeting")
    crime_ref_hash = models.CharField(max_length=64)
    crime_record = models.ForeignKey(
        "kpis.CrimeRecord",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="panel_reviews",
    )
    offence_code = models.CharField(max_length=8, blank=True)
    outcome_type = models.CharField(max_length=4, blank=True)
    recorded_date = models.DateField(null=True, blank=True)
    outcome_date = models.DateField(null=True, blank=True)
    selection = models.CharField(max_length=10, choices=Selection.choices)
    proposed_by = models.ForeignKey(
        PanelMember, on_delete=models.PROTECT, null=True, blank=True, related_name="proposals"
    )
    criterion = models.CharField(max_length=20, choices=Criterion.choices, blank=True)
    selection_note = models.TextField(blank=True, help_text="Why this case was chosen")
    judgement = models.CharField(max_length=10, choices=Judgement.choices, blank=True)
    judgement_comment = models.TextField(blank=True)
    findings = models.TextField(blank=True)
    themes = models.ManyToManyField(
        LearningTheme, blank=True, related_name="cases", verbose_name="learning themes"
    )
    referred_back = models.BooleanField(
        default=False, verbose_name="referred back for further investigation"
    )
    history = HistoricalRecords(m2m_fields=[themes])

    class Meta:
        ordering = ["meeting", "sequence"]
        verbose_name = "case reviewed"
        verbose_name_plural = "cases reviewed"
        constraints = [
            models.UniqueConstraint(fields=["meeting", "sequence"], name="case_unique_sequence"),
            models.UniqueConstraint(
                fields=["meeting", "crime_ref_hash"], name="case_once_per_meeting"
            ),
            models.CheckConstraint(
                condition=~models.Q(selection="proposed") | models.Q(proposed_by__isnull=False),
                name="case_proposal_names_member",
            ),
            models.CheckConstraint(
                condition=~models.Q(selection="mandatory") | ~models.Q(criterion=""),
                name="case_mandatory_names_criterion",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse(
            "panels:case",
            kwargs={"force_slug": self.meeting.panel.force.slug, "case_id": self.pk},
        )

    @property
    def label(self) -> str:
        """How every page names the case: never the crime reference."""
        return f"Case {self.sequence} · {self.crime_ref_hash[:8]}"

    @property
    def is_judged(self) -> bool:
        return bool(self.judgement and self.judgement_comment.strip())

    @property
    def selected_by_isva(self) -> bool:
        return (
            self.selection == self.Selection.PROPOSED
            and self.proposed_by is not None
            and self.proposed_by.organisation_type == OrganisationType.ISVA
        )


class Action(models.Model):
    """An action raised from a panel finding. It outlives its meeting until it is closed."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        CLOSED = "closed", "Closed"

    FORCE_FIELD = "meeting__panel__force"
    PILLAR_FIELD = "pillar"  # pillar leads see the actions of their pillars (soteria.access)
    SEAT_FIELD = "meeting__panel__members"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    case = models.ForeignKey(
        CaseReview, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panel_actions"
    )
    due_date = models.DateField()
    pillar = models.ForeignKey(Pillar, on_delete=models.PROTECT, related_name="panel_actions")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    progress_note = models.TextField(blank=True)
    closed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    due_notice_sent_on = models.DateField(null=True, blank=True)
    overdue_notice_sent_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["due_notice_sent_on", "overdue_notice_sent_on"])

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = "panel action"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="closed", closed_on__isnull=False)
                | (~models.Q(status="closed") & models.Q(closed_on__isnull=True)),
                name="panel_action_closed_has_date",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "panels:action",
            kwargs={"force_slug": self.meeting.panel.force.slug, "action_id": self.pk},
        )

    def clean(self) -> None:
        if self.meeting_id and self.due_date and self.due_date < self.meeting.date:
            raise ValidationError(
                {
                    "due_date": "An action cannot be due before the meeting that raised it "
                    f"({self.meeting.date:%-d %B %Y})."
                }
            )

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_date < timezone.localdate()

    def was_open_on(self, day: dt.date) -> bool:
        """Raised by then, and not yet closed on that day."""
        return self.meeting.date <= day and (self.closed_on is None or self.closed_on > day)
