"""Targets a force sets for its KPIs (read by the flight deck to judge RAG), the step changes
it marks for SPC, commentary per quarter, and generated board packs."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from soteria.files import private_storage
from soteria.models import Force
from soteria.printing import PrintJob

from ..engine.models import Kpi, OffenceGroup


class KpiTarget(models.Model):
    """A force's target for a KPI and offence group, effective from a quarter, recording who
    set it. A target for one offence group never judges another: rape charge rates run well
    below those for other sexual offences, so an all-RASSO target would misjudge the rape view.
    """

    FORCE_FIELD = "force"

    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="kpi_targets")
    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="targets")
    offence_group = models.CharField(
        max_length=10, choices=OffenceGroup.choices, default=OffenceGroup.ALL
    )
    value = models.FloatField()
    amber_margin = models.FloatField(
        default=0, help_text="How far on the wrong side of the target still counts as amber"
    )
    effective_from = models.CharField(max_length=10, help_text="First quarter, e.g. 2024-25-q1")
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    set_at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-effective_from", "-set_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["force", "kpi", "offence_group", "effective_from"],
                name="kpi_target_unique_group_start",
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.kpi} ({self.get_offence_group_display()}) {self.force} "
            f"{self.value} from {self.effective_from}"
        )


class KpiStepChange(models.Model):
    """A change in the process behind a KPI from a quarter on (a new team, policy or system),
    marked by the force so that its SPC limits are recalculated from that quarter."""

    FORCE_FIELD = "force"

    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="kpi_step_changes")
    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="step_changes")
    offence_group = models.CharField(
        max_length=10, choices=OffenceGroup.choices, default=OffenceGroup.ALL
    )
    period = models.CharField(
        "first quarter of the new process", max_length=10, help_text="e.g. 2024-25-q1"
    )
    reason = models.TextField(help_text="What changed, in a sentence a board can read")
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    marked_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["period"]
        verbose_name = "KPI step change"
        constraints = [
            models.UniqueConstraint(
                fields=["force", "kpi", "offence_group", "period"],
                name="kpi_step_change_unique_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kpi} {self.force} {self.offence_group}: step change from {self.period}"


class KpiCommentary(models.Model):
    """What a KPI shows this quarter and what the force is doing about it, written by the
    force Soteria lead or the KPI's pillar lead; every change is kept (history)."""

    FORCE_FIELD = "force"

    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="kpi_commentaries")
    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="commentaries")
    period = models.CharField(max_length=10, help_text="Financial quarter, e.g. 2024-25-q1")
    text = models.TextField(help_text="What this shows and what we are doing")
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    written_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["force", "kpi", "period"], name="kpi_commentary_one_per_quarter"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kpi} {self.force} {self.period}"


class BoardPack(PrintJob):
    """A generated board pack PDF for a force, quarter and offence group, kept under the
    deck's data version: a recompute, a new target or new commentary makes a new one."""

    FORCE_FIELD = "force"

    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="board_packs")
    period = models.CharField(max_length=10)
    offence_group = models.CharField(max_length=10, choices=OffenceGroup.choices)
    version = models.CharField(max_length=40, help_text="Digest of the data the pack shows")
    pdf = models.FileField(storage=private_storage, upload_to="board-packs/", blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["force", "period", "offence_group", "version"],
                name="board_pack_one_per_version",
            )
        ]

    def __str__(self) -> str:
        return f"Board pack {self.force} {self.period} {self.offence_group}"
