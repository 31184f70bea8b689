"""Most-similar peer groups: the forces a force's figures are compared with beside England
and Wales and its region."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from soteria.models import Force


class PeerGroup(models.Model):
    """A force's most similar forces.

    The default is computed from the Home Office table (kpis.engine.peers, documented in
    docs/peer-groups.md); a national administrator may set the members instead, with a
    reason. ``members_named`` repeats the members in words so that the history shows who
    was in the group after each change. A recompute never overwrites a group a person set.
    """

    class Source(models.TextChoices):
        COMPUTED = "computed", "Computed from the national data"
        EDITED = "edited", "Set by a national administrator"

    force = models.OneToOneField(Force, on_delete=models.CASCADE, related_name="peer_group")
    members = models.ManyToManyField(Force, related_name="+", blank=True)
    members_named = models.TextField("members", blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.COMPUTED)
    computed = models.JSONField(
        "computed default",
        default=dict,
        blank=True,
        help_text="The latest computed default: its window, members and their distances",
    )
    reason = models.CharField("reason for the change", max_length=300, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["force__name"]

    def __str__(self) -> str:
        return f"Most similar forces to {self.force}"

    @property
    def label(self) -> str:
        """How every comparison names the group."""
        how = "set nationally" if self.source == self.Source.EDITED else "computed"
        return f"Most similar forces ({how}, {len(self.names)})"

    @property
    def names(self) -> list[str]:
        return [n for n in self.members_named.split("; ") if n]
