"""Imported crime-outcome data. References are stored only as keyed hashes."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from soteria.models import Force

from .definitions import OffenceGroup


class ImportBatch(models.Model):
    """One uploaded file, from upload to written records (or a rejection report)."""

    class Kind(models.TextChoices):
        RECORDS = "records", "Record-level extract"
        HOME_OFFICE = "home-office", "Home Office outcomes table"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        RUNNING = "running", "Importing"
        SUCCEEDED = "succeeded", "Imported"
        REJECTED = "rejected", "Rejected"
        FAILED = "failed", "Failed"
        DUPLICATE = "duplicate", "Already imported"
        AWAITING_CONFIRMATION = "confirm", "Awaiting confirmation to replace"
        CANCELLED = "cancelled", "Cancelled"

    force = models.ForeignKey(
        Force, on_delete=models.CASCADE, null=True, blank=True, related_name="import_batches"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    file_name = models.CharField(max_length=255)
    file_sha256 = models.CharField(max_length=64, db_index=True)
    stored_path = models.CharField(max_length=500, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    rows_read = models.PositiveIntegerField(default=0)
    rows_valid = models.PositiveIntegerField(default=0)
    rows_written = models.PositiveIntegerField(default=0)
    rows_replaced = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    errors = models.JSONField(
        default=list, blank=True, help_text="Rejection report: line, column, value, reason"
    )
    period_first = models.DateField(null=True, blank=True)
    period_last = models.DateField(null=True, blank=True)
    coverage = models.JSONField(
        default=dict,
        blank=True,
        help_text="What the file covers: force slug to first and last day, or HO period slugs",
    )
    overlapping = models.PositiveIntegerField(
        default=0, help_text="Existing rows this file would replace"
    )
    task_id = models.CharField(max_length=64, blank=True)
    optional_columns = models.JSONField(
        default=list,
        blank=True,
        help_text="The optional columns the extract's header carried (docs/import-format.md)",
    )
    replacement_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    replacement_confirmed_at = models.DateTimeField(null=True, blank=True)
    # The audit trail keeps what changed hands: status, rows written and replaced, and the
    # confirmation (the confirming user is the history record's user and its reason).
    history = HistoricalRecords(
        excluded_fields=[
            "errors",
            "rows_read",
            "rows_valid",
            "message",
            "task_id",
            "started_at",
            "finished_at",
            "coverage",
            "optional_columns",
            "period_first",
            "period_last",
            "stored_path",
            "replacement_confirmed_by",
        ]
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "import batches"

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"


class CrimeRecord(models.Model):
    """One recorded RASSO crime from a force extract. References are keyed hashes only."""

    class Sex(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        OTHER = "other", "Other"

    class Ethnicity(models.TextChoices):
        WHITE = "white", "White"
        MIXED = "mixed", "Mixed or multiple"
        ASIAN = "asian", "Asian or Asian British"
        BLACK = "black", "Black or Black British"
        OTHER = "other", "Other ethnic group"

    class YesNo(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"

    class Relationship(models.TextChoices):
        PARTNER = "partner", "Partner or ex-partner"
        FAMILY = "family", "Family member"
        ACQUAINTANCE = "acquaintance", "Acquaintance or friend"
        STRANGER = "stranger", "Stranger"
        ONLINE = "online", "Online contact"
        PROFESSIONAL = "professional", "Position of trust or professional"
        OTHER = "other", "Other"

    class SuspectAgeBand(models.TextChoices):
        UNDER_18 = "under-18", "Under 18"
        AGE_18_24 = "18-24", "18 to 24"
        AGE_25_39 = "25-39", "25 to 39"
        AGE_40_59 = "40-59", "40 to 59"
        AGE_60_PLUS = "60-plus", "60 and over"

    # The 2021 census's questions, as forces record them; "prefer not to say" is an answer
    # (the victim was asked), so it is recorded, not missing.
    class SexualOrientation(models.TextChoices):
        HETEROSEXUAL = "heterosexual", "Straight or heterosexual"
        GAY_OR_LESBIAN = "gay-or-lesbian", "Gay or lesbian"
        BISEXUAL = "bisexual", "Bisexual"
        OTHER = "other", "Other sexual orientation"
        PREFER_NOT_TO_SAY = "prefer-not-to-say", "Prefer not to say"

    class Religion(models.TextChoices):
        NO_RELIGION = "no-religion", "No religion"
        CHRISTIAN = "christian", "Christian"
        BUDDHIST = "buddhist", "Buddhist"
        HINDU = "hindu", "Hindu"
        JEWISH = "jewish", "Jewish"
        MUSLIM = "muslim", "Muslim"
        SIKH = "sikh", "Sikh"
        OTHER = "other", "Any other religion"
        PREFER_NOT_TO_SAY = "prefer-not-to-say", "Prefer not to say"

    class GenderIdentity(models.TextChoices):
        """Is the gender the victim identifies with the same as their sex registered at birth?"""

        SAME = "yes", "Same as sex registered at birth"
        DIFFERENT = "no", "Different from sex registered at birth"
        PREFER_NOT_TO_SAY = "prefer-not-to-say", "Prefer not to say"

    class WithdrawalStage(models.TextChoices):
        REPORT = "report", "At or soon after report"
        INVESTIGATION = "investigation", "During investigation"
        PRE_CHARGE = "pre_charge", "Awaiting charging decision"
        POST_CHARGE = "post_charge", "After charge"

    FORCE_FIELD = "force"

    # Bulk-loaded by COPY: per-row foreign-key triggers would more than double the cost of an
    # import, so these keys are kept by the importer (it writes only known forces and its own
    # batch) and by Django's on_delete rules, not by the database. The force needs no index of
    # its own: the unique (force, crime_ref_hash) and (force, recorded_date) indexes cover it.
    force = models.ForeignKey(
        Force,
        on_delete=models.CASCADE,
        related_name="crime_records",
        db_index=False,
        db_constraint=False,
    )
    # Unindexed too: rows are found by force and date or by hash, and a batch is rarely deleted.
    batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.PROTECT,
        related_name="records",
        db_constraint=False,
        db_index=False,
    )
    crime_ref_hash = models.CharField(max_length=64)
    offence_code = models.CharField(max_length=8)
    offence_group = models.CharField(
        max_length=10, choices=[c for c in OffenceGroup.choices if c[0] != "all"]
    )
    recorded_date = models.DateField()
    outcome_type = models.CharField(max_length=4, blank=True, help_text="Blank while open")
    outcome_date = models.DateField(null=True, blank=True)
    # Blank protected characteristics mean "not recorded": a data-quality KPI, never guessed.
    victim_sex = models.CharField(max_length=8, choices=Sex.choices, blank=True)
    victim_age = models.PositiveSmallIntegerField(null=True, blank=True)
    victim_ethnicity = models.CharField(max_length=8, choices=Ethnicity.choices, blank=True)
    victim_disability = models.CharField(max_length=3, choices=YesNo.choices, blank=True)
    relationship = models.CharField(max_length=14, choices=Relationship.choices, blank=True)
    suspect_ref_hash = models.CharField(max_length=64, blank=True)
    victim_supports_prosecution = models.CharField(max_length=3, choices=YesNo.choices, blank=True)
    withdrawal_stage = models.CharField(max_length=14, choices=WithdrawalStage.choices, blank=True)
    investigator_ref_hash = models.CharField(max_length=64, blank=True)
    # Optional columns of the extract (docs/import-format.md): blank when a force's extract
    # does not carry them (its batch's optional_columns says which it carried). The victim
    # reference is a keyed hash, like the other references.
    suspect_age_band = models.CharField(max_length=8, choices=SuspectAgeBand.choices, blank=True)
    suspect_sex = models.CharField(max_length=8, choices=Sex.choices, blank=True)
    suspect_ethnicity = models.CharField(max_length=8, choices=Ethnicity.choices, blank=True)
    victim_ref_hash = models.CharField(max_length=64, blank=True)
    policing_area = models.CharField(max_length=60, blank=True)
    victim_sexual_orientation = models.CharField(
        max_length=20, choices=SexualOrientation.choices, blank=True
    )
    victim_religion = models.CharField(max_length=20, choices=Religion.choices, blank=True)
    victim_gender_identity = models.CharField(
        max_length=20, choices=GenderIdentity.choices, blank=True
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["force", "crime_ref_hash"], name="crime_record_unique_per_force"
            )
        ]
        indexes = [models.Index(fields=["force", "recorded_date"])]

    def __str__(self) -> str:
        return f"{self.force} {self.crime_ref_hash[:10]}…"


class HomeOfficeOutcome(models.Model):
    """Published Home Office outcome counts for one force, quarter, RASSO offence and outcome.

    Both count bases are kept; ``None`` means the file said the data is missing
    (never zero). Counts may be negative: published corrections. Outcome type
    "0" is "not yet assigned" and is excluded from outcome denominators.
    """

    FORCE_FIELD = "force"

    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="home_office_outcomes")
    batch = models.ForeignKey(
        ImportBatch, on_delete=models.PROTECT, related_name="home_office_outcomes"
    )
    financial_year = models.CharField(max_length=7, help_text="e.g. 2023-24")
    quarter = models.PositiveSmallIntegerField(help_text="1 = April to June")
    offence_code = models.CharField(max_length=8)
    offence_group = models.CharField(
        max_length=10, choices=[c for c in OffenceGroup.choices if c[0] != "all"]
    )
    outcome_type = models.CharField(max_length=4)
    outcome_group = models.CharField(max_length=250, blank=True)
    recorded_count = models.IntegerField(
        null=True, blank=True, help_text="Outcomes for offences recorded in the quarter"
    )
    closed_count = models.IntegerField(
        null=True, blank=True, help_text="Outcomes for investigations closed in the quarter"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["force", "financial_year", "quarter", "offence_code", "outcome_type"],
                name="home_office_outcome_unique",
            )
        ]
        indexes = [models.Index(fields=["financial_year", "quarter"])]

    def __str__(self) -> str:
        return f"{self.force} {self.period_slug} {self.offence_code} outcome {self.outcome_type}"

    @property
    def period_slug(self) -> str:
        return f"{self.financial_year}-q{self.quarter}"
