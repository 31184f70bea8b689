"""HMICFRS inspections, their recommendations, and each force's response to them.

An inspection is national (reference data, every force sees it) or belongs to
one force (added by that force's PCC office). A force's response to a
recommendation carries the owner, pillars, status, RAG, the improvement-plan
actions and dated progress updates with evidence (for a recommendation
addressed to PCCs or national bodies, it is the PCC office's own). The
inspection response record is the PCC's published document for a force and
an inspection, in numbered versions; a published version's content is frozen
in ``snapshot``.

Long because it is one domain's models, read together: inspections, recommendations, responses,
their actions, updates and evidence, links (to records and to pages), and the response
record's versions.
"""

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from soteria.files import private_storage
from soteria.models import Force, Pillar

RESPONSE_DAYS = 56  # PCCs must publish a response within 56 days of an inspection's publication


class Inspection(models.Model):
    """A published inspection report. ``force`` is empty for national (thematic) inspections."""

    FORCE_FIELD = "force"

    slug = models.SlugField(
        max_length=100, help_text="Unique among the inspections one force can see"
    )
    title = models.CharField(max_length=300)
    inspectorate = models.CharField(max_length=100, default="HMICFRS")
    published = models.DateField("publication date")
    summary = models.TextField(blank=True)
    url = models.URLField("link", max_length=500, blank=True)
    areas_for_improvement = models.TextField(
        blank=True, help_text="One area for improvement per paragraph (blank line between)"
    )
    force = models.ForeignKey(
        Force,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="inspections",
        help_text="Empty for a national inspection that every force responds to",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-published", "title"]
        # Unique per force, not across forces: a global rule would tell one force, through a
        # taken slug, the title of another force's private inspection.
        constraints = [
            models.UniqueConstraint(
                fields=["force", "slug"], name="inspection_unique_slug_per_force"
            ),
            models.UniqueConstraint(
                fields=["slug"],
                condition=models.Q(force__isnull=True),
                name="inspection_unique_national_slug",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def response_due(self) -> dt.date:
        return self.published + dt.timedelta(days=RESPONSE_DAYS)

    @property
    def areas_list(self) -> list[str]:
        return [p.strip() for p in self.areas_for_improvement.split("\n\n") if p.strip()]


class Addressee(models.TextChoices):
    FORCES = "forces", "All forces / chief constables"
    PCCS = "pccs", "Police and crime commissioners"
    NATIONAL = "national", "A national body"


class Recommendation(models.Model):
    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="recommendations"
    )
    number = models.CharField(max_length=10)
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField()
    deadline = models.DateField(
        null=True, blank=True, help_text="Empty when the report sets no date ('immediately')"
    )
    addressee = models.CharField(max_length=10, choices=Addressee.choices)
    addressee_detail = models.CharField(
        max_length=250, blank=True, help_text="Who the report names, in its words"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["inspection", "order", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "number"], name="recommendation_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"Recommendation {self.number}"

    @property
    def for_forces(self) -> bool:
        return self.addressee == Addressee.FORCES


class Status(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    AWAITING_SIGN_OFF = "awaiting_sign_off", "Awaiting sign-off"
    COMPLETE = "complete", "Complete"
    SUPERSEDED = "superseded", "Superseded"


CLOSED_STATUSES = (Status.COMPLETE, Status.SUPERSEDED)


class Rag(models.TextChoices):
    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"


class Response(models.Model):
    """A force area's response to one recommendation: its improvement plan.

    For a recommendation addressed to forces it is the force's, written by the force's editors
    and signed off by a chief officer. For one addressed to PCCs or to a national body it is
    the PCC office's own, written and closed by PCC staff.
    """

    FORCE_FIELD = "force"

    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="rec_responses")
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="responses"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_rec_responses",
    )
    pillars = models.ManyToManyField(Pillar, blank=True, related_name="rec_responses")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    rag = models.CharField("RAG", max_length=5, choices=Rag.choices, blank=True)
    planned_closedown = models.DateField("planned closedown date", null=True, blank=True)
    chief_constable_response = models.TextField(
        "chief constable's response",
        blank=True,
        help_text="Shown against this recommendation in the inspection response record",
    )
    pcc_response = models.TextField(
        "PCC office's response",
        blank=True,
        help_text="For a recommendation addressed to PCCs or to a national body",
    )
    kpis = models.ManyToManyField("kpis.Kpi", blank=True, related_name="rec_responses")
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    sign_off_note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["recommendation__inspection", "recommendation__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["force", "recommendation"], name="response_unique_per_force"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="complete") | models.Q(signed_off_by__isnull=False),
                name="response_complete_is_signed_off",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="complete") | models.Q(rag="green"),
                name="response_complete_is_green",
                violation_error_message="A recommendation signed off as complete is rated green.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.force}: {self.recommendation} ({self.recommendation.inspection})"

    def get_absolute_url(self) -> str:
        return reverse(
            "recommendations:detail",
            kwargs={"force_slug": self.force.slug, "pk": self.recommendation_id},
        )

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_STATUSES


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETE = "complete", "Complete"
    CANCELLED = "cancelled", "Cancelled"


class Action(models.Model):
    """An improvement-plan action under a force's response."""

    FORCE_FIELD = "response__force"

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rec_actions",
    )
    due_date = models.DateField()
    status = models.CharField(
        max_length=12, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = "improvement action"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="complete") | models.Q(completed_by__isnull=False),
                name="rec_action_complete_has_completer",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.response.get_absolute_url() + f"#action-{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS)

    def is_overdue(self, today: dt.date) -> bool:
        return self.is_open and self.due_date < today


class ProgressUpdate(models.Model):
    """A dated note of progress on a response (optionally on one of its actions)."""

    FORCE_FIELD = "response__force"

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="updates")
    action = models.ForeignKey(
        Action, on_delete=models.SET_NULL, null=True, blank=True, related_name="updates"
    )
    date = models.DateField("date of update")
    text = models.TextField("progress")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"Update of {self.date:%d %b %Y}"


def evidence_path(instance: "Evidence", filename: str) -> str:
    return f"recommendations/{instance.update.response.force.slug}/{filename}"


class Evidence(models.Model):
    """A file attached to a progress update: what closure is judged on."""

    FORCE_FIELD = "update__response__force"

    update = models.ForeignKey(ProgressUpdate, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(storage=private_storage, upload_to=evidence_path, max_length=300)
    original_name = models.CharField(max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return self.original_name


class Link(models.Model):
    """A link from a response to a record of another app (e.g. a scrutiny-panel action).

    Generic so that this app never imports the other; the models that may be
    linked are named in settings.RECOMMENDATION_LINKABLE_MODELS.
    """

    FORCE_FIELD = "response__force"

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="links")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "content_type", "object_id"], name="rec_link_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.content_type.name} #{self.object_id}"


class PageLink(models.Model):
    """A link from a response to a page of another area for a chosen quarter, such as the
    force's RASSO problem profile for the 12 months to 2024/25 Q4 (recommendation 11).

    The pages are named in settings.RECOMMENDATION_LINKABLE_PAGES by URL name, so this app
    never imports the other; the link is resolved with reverse() when it is shown, and the
    page itself scopes what it shows to the reader.
    """

    FORCE_FIELD = "response__force"

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="page_links")
    page = models.CharField(max_length=40, help_text="A key of RECOMMENDATION_LINKABLE_PAGES")
    period = models.CharField(max_length=10, help_text="Financial quarter, e.g. 2024-25-q4")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["page", "-period"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "page", "period"], name="rec_page_link_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.page} {self.period}"


class ResponseRecord(models.Model):
    """One version of the PCC and chief constable's inspection response record for a force
    (Staffordshire layout).

    A version is drafted by the PCC office; a chief officer approves the chief constable's
    response in it; the PCC office confirms and publishes it, and its content is then frozen
    in ``snapshot``. A later version starts as a copy of the last published one; every
    published version is kept.
    """

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    FORCE_FIELD = "force"

    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="response_records")
    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="response_records"
    )
    version = models.PositiveSmallIntegerField(default=1)
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    pcc_name = models.CharField("police and crime commissioner", max_length=150, blank=True)
    chief_constable_name = models.CharField("chief constable", max_length=150, blank=True)
    summary = models.TextField("summary of inspection", blank=True)
    grade = models.CharField(
        max_length=200,
        blank=True,
        help_text="The inspection's graded judgement of the force, if it made one "
        "(thematic inspections are not graded)",
    )
    areas_for_improvement = models.TextField(blank=True)
    pcc_initial_response = models.TextField("PCC's initial response", blank=True)
    chief_constable_response = models.TextField(
        "chief constable's response",
        blank=True,
        help_text="The overall response, before the per-recommendation responses",
    )
    pcc_overall_comments = models.TextField("PCC's overall comments", blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="chief constable's response approved by",
    )
    approved_at = models.DateTimeField(
        "chief constable's response approved at", null=True, blank=True
    )
    approved_content = models.JSONField(
        default=dict,
        blank=True,
        help_text="The chief constable's response as the chief officer approved it",
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    snapshot = models.JSONField(
        default=dict, blank=True, help_text="The content as published; frozen"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["force", "inspection", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["force", "inspection", "version"], name="response_record_unique_version"
            ),
            models.UniqueConstraint(
                fields=["force", "inspection"],
                condition=models.Q(state="draft"),
                name="response_record_one_draft",
                violation_error_message="There is already a draft of this response record.",
            ),
            models.CheckConstraint(
                condition=models.Q(state="draft")
                | (models.Q(published_at__isnull=False) & models.Q(published_by__isnull=False)),
                name="response_record_published_has_publisher",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.force}: response to {self.inspection}, version {self.version}"

    def get_absolute_url(self) -> str:
        return reverse(
            "recommendations:record-version",
            kwargs={
                "force_slug": self.force.slug,
                "inspection_slug": self.inspection.slug,
                "version": self.version,
            },
        )

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED
