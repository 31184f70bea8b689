"""Targets a force sets for its KPIs, read by the flight deck to judge RAG."""

from django.conf import settings
from django.db import models

from soteria.models import Force

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
