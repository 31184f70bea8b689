"""The KPI catalogue's definitions and the Home Office code lists."""

from django.db import models

from soteria.models import AssuranceMechanism, FrameworkElement, Pillar


class Kpi(models.Model):
    """One entry of the KPI catalogue: what is measured, how, and which way is good."""

    class Source(models.TextChoices):
        RECORDS = "records", "Crime records"
        EVIDENCE = "evidence", "Evidence return"
        PANELS = "panels", "Scrutiny panels"
        HOME_OFFICE = "home-office", "Home Office outcomes open data"

    class Polarity(models.TextChoices):
        UP = "up", "Higher is better"
        DOWN = "down", "Lower is better"
        NONE = "none", "No judgement"

    class Unit(models.TextChoices):
        COUNT = "count", "count"
        PERCENT = "percent", "%"
        DAYS = "days", "days"
        RATIO = "ratio", "ratio"
        RANK = "rank", "rank"
        SCORE = "score", "score"
        DATE = "date", "date"
        YESNO = "yesno", "yes/no"

    class Frequency(models.TextChoices):
        QUARTERLY = "quarterly", "Quarterly"
        SIX_MONTHLY = "six-monthly", "Six-monthly"
        YEARLY = "yearly", "Yearly"

    class Basis(models.TextChoices):
        COHORT = "cohort", "Offences recorded in the quarter"
        OUTCOMES = "outcomes", "Outcomes assigned in the quarter"
        SNAPSHOT = "snapshot", "Position at the end of the quarter"
        RETURN = "return", "Reported for the quarter"

    class ValueKind(models.TextChoices):
        NUMBER = "number", "Number"
        FRACTION = "fraction", "Numerator and denominator"
        DATE = "date", "Date"
        YESNO = "yesno", "Yes or no"

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=150)
    caption = models.CharField(
        max_length=200, blank=True, help_text="What the tile's figure is, in plain words"
    )
    definition = models.TextField()
    numerator = models.TextField(blank=True)
    denominator = models.TextField(blank=True)
    element = models.ForeignKey(FrameworkElement, on_delete=models.PROTECT, related_name="kpis")
    assurance = models.ManyToManyField(AssuranceMechanism, blank=True, related_name="kpis")
    pillar = models.ForeignKey(Pillar, on_delete=models.PROTECT, related_name="kpis")
    source = models.CharField(max_length=12, choices=Source.choices)
    polarity = models.CharField(max_length=4, choices=Polarity.choices)
    unit = models.CharField(max_length=10, choices=Unit.choices)
    frequency = models.CharField(
        max_length=12, choices=Frequency.choices, default=Frequency.QUARTERLY
    )
    basis = models.CharField(max_length=10, choices=Basis.choices)
    whole_system = models.BooleanField(
        default=False, help_text="Shown in the whole-system panel of the flight deck"
    )
    value_kind = models.CharField(
        max_length=10, choices=ValueKind.choices, default=ValueKind.NUMBER
    )
    numerator_label = models.CharField(max_length=150, blank=True)
    denominator_label = models.CharField(max_length=150, blank=True)
    min_denominator = models.PositiveIntegerField(
        null=True, blank=True, help_text="Below this a value is too unreliable to judge"
    )
    part_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="parts",
        help_text="A count reported in the same return of which this count is a part, so it "
        "can never be more than it (requests upheld of requests made)",
    )
    default_target = models.FloatField(null=True, blank=True)
    threshold = models.FloatField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, help_text="Definition version")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = "KPI"

    def __str__(self) -> str:
        return self.name

    @property
    def higher_is_better(self) -> bool | None:
        return {"up": True, "down": False}.get(self.polarity)


class OffenceGroup(models.TextChoices):
    RAPE = "rape", "Rape"
    OTHER = "other", "Other sexual offences"
    ALL = "all", "All RASSO"


class OffenceCode(models.Model):
    """A Home Office offence classification code in RASSO scope."""

    code = models.CharField(max_length=8, unique=True)
    description = models.CharField(max_length=200)
    group = models.CharField(
        max_length=10, choices=[c for c in OffenceGroup.choices if c[0] != "all"]
    )

    class Meta:
        ordering = ["group", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.description}"


class OutcomeType(models.Model):
    """A Home Office crime outcome type (0 to 22) and the part it plays in the KPIs."""

    class Role(models.TextChoices):
        OPEN = "open", "Not yet assigned"
        CHARGE = "charge", "Charge or summons"
        WITHDRAWAL = "withdrawal", "Victim does not support action"
        NFA = "nfa", "No further action"
        OUT_OF_COURT = "out_of_court", "Out-of-court or diversionary"
        OTHER = "other", "Other"

    code = models.CharField(max_length=4, unique=True)
    label = models.CharField(max_length=250)
    group = models.CharField(max_length=250, help_text="Home Office outcome group")
    role = models.CharField(max_length=12, choices=Role.choices)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.code}: {self.label}"
