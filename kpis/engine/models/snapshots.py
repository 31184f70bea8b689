"""Computed KPI values: what every page, chart and export reads."""

from django.db import models

from soteria.models import Force

from .definitions import Kpi, OffenceGroup


class KpiSnapshot(models.Model):
    """A computed KPI value for a force, quarter and offence group. Pages read only these.

    Disclosure control has been applied before a snapshot is stored: suppressed
    counts are None with ``suppressed`` set, in the headline and in every
    breakdown row, so every page, chart and export inherits it.
    """

    class Status(models.TextChoices):
        OK = "ok", "Computed"
        INSUFFICIENT = "insufficient", "Insufficient data"
        NO_DATA = "no_data", "No data yet"
        # An optional column the force's extract does not carry: not recorded by the force
        # (or not exported), which is not the same as a blank in every record.
        NOT_SUPPLIED = "not_supplied", "Not supplied in the force's extract"

    FORCE_FIELD = "force"

    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="snapshots")
    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="snapshots")
    period = models.CharField(max_length=10, help_text="Financial quarter, e.g. 2024-25-q1")
    offence_group = models.CharField(
        max_length=10, choices=OffenceGroup.choices, default=OffenceGroup.ALL
    )
    definition_version = models.PositiveIntegerField(default=1)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OK)
    value = models.FloatField(null=True, blank=True)
    numerator = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    ci_low = models.FloatField(null=True, blank=True)
    ci_high = models.FloatField(null=True, blank=True)
    suppressed = models.BooleanField(default=False)
    breakdowns = models.JSONField(default=list, blank=True)
    comparison = models.JSONField(default=dict, blank=True)
    provenance = models.JSONField(default=dict, blank=True)
    # The figure over other windows ending with the quarter, by window (engine.windows):
    # {"rolling-year": {label, value, numerator, denominator, ci_low, ci_high, status,
    # detail, ...}}, small enough for the flight deck to read; their breakdowns apart.
    windows = models.JSONField(default=dict, blank=True)
    window_breakdowns = models.JSONField(default=dict, blank=True)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["force", "kpi", "period", "offence_group", "definition_version"],
                name="kpi_snapshot_unique",
            )
        ]
        indexes = [models.Index(fields=["force", "period"])]

    def __str__(self) -> str:
        return f"{self.kpi.slug} {self.force} {self.period} {self.offence_group}"
