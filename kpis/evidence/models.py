"""Quarterly evidence returns: the figures pillar leads report that crime records cannot give.

Which KPIs a return holds, their units, value kinds and frequencies come from
the catalogue (``Kpi`` with source "evidence"), so a return is a row per force,
quarter and pillar with one ``EvidenceValue`` per KPI.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from soteria.files import private_storage
from soteria.models import Force, Pillar

from ..engine.formatting import format_count, format_percent
from ..engine.models import Kpi


class EvidenceReturn(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        RETURNED = "returned", "Returned for changes"
        RESUBMITTED = "resubmitted", "Resubmitted"
        APPROVED = "approved", "Approved"

    EDITABLE = (Status.DRAFT, Status.RETURNED)
    AWAITING_REVIEW = (Status.SUBMITTED, Status.RESUBMITTED)

    FORCE_FIELD = "force"

    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="evidence_returns")
    pillar = models.ForeignKey(Pillar, on_delete=models.PROTECT, related_name="evidence_returns")
    period = models.CharField(max_length=10, help_text="Financial quarter, e.g. 2024-25-q1")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    due_date = models.DateField()
    narrative = models.TextField(
        "assurance narrative",
        blank=True,
        help_text="What the figures show, how they were assured, and what is being done about them",
    )
    reviewer_comment = models.TextField(blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    first_submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-period", "pillar__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["force", "pillar", "period"], name="evidence_return_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    status__in=["draft", "submitted", "returned", "resubmitted", "approved"]
                ),
                name="evidence_return_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="approved") | models.Q(approved_at__isnull=False),
                name="evidence_return_approved_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.force} {self.period} pillar {self.pillar.number}"

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def is_awaiting_review(self) -> bool:
        return self.status in self.AWAITING_REVIEW

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED


class EvidenceValue(models.Model):
    """One KPI's figure in a return; which columns are used follows ``kpi.value_kind``."""

    FORCE_FIELD = "evidence_return__force"

    evidence_return = models.ForeignKey(
        EvidenceReturn, on_delete=models.CASCADE, related_name="values"
    )
    kpi = models.ForeignKey(Kpi, on_delete=models.PROTECT, related_name="evidence_values")
    number = models.FloatField(null=True, blank=True)
    numerator = models.PositiveIntegerField(null=True, blank=True)
    denominator = models.PositiveIntegerField(null=True, blank=True)
    date = models.DateField(null=True, blank=True)
    yes_no = models.BooleanField(null=True, blank=True)
    comment = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["evidence_return", "kpi"], name="evidence_value_unique_kpi"
            ),
            models.CheckConstraint(
                condition=models.Q(numerator__isnull=True)
                | models.Q(denominator__isnull=True)
                | models.Q(numerator__lte=models.F("denominator")),
                name="evidence_value_numerator_within_denominator",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kpi.slug}: {self.display}"

    @property
    def is_empty(self) -> bool:
        kind = self.kpi.value_kind
        if kind == Kpi.ValueKind.FRACTION:
            return self.numerator is None or self.denominator is None
        if kind == Kpi.ValueKind.DATE:
            return self.date is None
        if kind == Kpi.ValueKind.YESNO:
            return self.yes_no is None
        return self.number is None

    @property
    def display(self) -> str:
        """The value as a person reads it: "12 of 40 (30.0%)", "3 Mar 2025", "Yes"."""
        if self.is_empty:
            return "—"
        kind = self.kpi.value_kind
        if kind == Kpi.ValueKind.FRACTION:
            share = (
                f" ({format_percent(self.numerator / self.denominator)})"
                if self.denominator
                else ""
            )
            return f"{self.numerator} of {self.denominator}{share}"
        if kind == Kpi.ValueKind.DATE:
            return f"{self.date.day} {self.date:%b %Y}"
        if kind == Kpi.ValueKind.YESNO:
            return "Yes" if self.yes_no else "No"
        whole = self.kpi.unit == Kpi.Unit.COUNT
        number = format_count(self.number) if whole else f"{self.number:g}"
        unit = self.kpi.get_unit_display()
        if self.kpi.unit == Kpi.Unit.PERCENT:
            return f"{number}%"
        return f"{number} {unit}" if self.kpi.unit == Kpi.Unit.DAYS else number


def _attachment_path(instance, filename: str) -> str:
    ret = instance.evidence_return
    return f"evidence/{ret.force.slug}/{ret.period}/pillar-{ret.pillar.number}/{filename}"


class EvidenceAttachment(models.Model):
    """A supporting file for a return, stored privately and served only after an access check."""

    FORCE_FIELD = "evidence_return__force"

    evidence_return = models.ForeignKey(
        EvidenceReturn, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(storage=private_storage, upload_to=_attachment_path, max_length=300)
    original_name = models.CharField(max_length=255)
    description = models.CharField(max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class EvidenceReminder(models.Model):
    """One reminder or digest e-mail sent, so a job run twice in a day sends it once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=150, help_text="What the e-mail was about, and for when")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="evidence_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.key} → {self.user}"
