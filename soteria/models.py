"""Core models: forces, the six Soteria pillars, the NOM framework and memberships."""

import re

from django.conf import settings
from django.db import models


class Force(models.Model):
    class Region(models.TextChoices):
        NORTH_EAST = "north-east", "North East"
        NORTH_WEST = "north-west", "North West"
        YORKSHIRE = "yorkshire", "Yorkshire and the Humber"
        EAST_MIDLANDS = "east-midlands", "East Midlands"
        WEST_MIDLANDS = "west-midlands", "West Midlands"
        EAST = "east", "East of England"
        LONDON = "london", "London"
        SOUTH_EAST = "south-east", "South East"
        SOUTH_WEST = "south-west", "South West"
        WALES = "wales", "Wales"

    name = models.CharField(max_length=100, unique=True, help_text="Home Office 'Force Name'")
    full_name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=100, unique=True)
    region = models.CharField(max_length=20, choices=Region.choices)
    commissioner_title = models.CharField(
        max_length=100,
        default="Police and Crime Commissioner",
        help_text="Who holds the force to account, as its documents name them: "
        "'Police, Fire and Crime Commissioner', or a mayor",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def normalise_force_name(text: str) -> str:
    """Lower-case, '&' as 'and', notes and punctuation removed: the key for force aliases."""
    text = re.sub(r"\[.*?\]", "", str(text)).replace("\xa0", " ").replace("&", " and ")
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


class ForceAlias(models.Model):
    """Another spelling of a force name seen in published data ("Devon & Cornwall")."""

    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField(max_length=150, unique=True, help_text="Normalised spelling")

    class Meta:
        verbose_name_plural = "force aliases"

    def __str__(self) -> str:
        return f"{self.alias} → {self.force}"


class Pillar(models.Model):
    number = models.PositiveSmallIntegerField(unique=True)
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"Pillar {self.number}: {self.name}"


class FrameworkElement(models.Model):
    """An aim, a principle or an in-force organisational improvement principle of the NOM."""

    class Kind(models.TextChoices):
        AIM = "aim", "Aim"
        PRINCIPLE = "principle", "Principle"
        ORGANISATIONAL = "organisational", "In-force organisational improvement principle"

    KIND_ORDER = {Kind.AIM: 0, Kind.PRINCIPLE: 1, Kind.ORGANISATIONAL: 2}

    kind = models.CharField(max_length=20, choices=Kind.choices)
    number = models.PositiveSmallIntegerField()
    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=250)
    short_title = models.CharField(max_length=60)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "number"], name="framework_element_unique_number"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Objective(models.Model):
    element = models.ForeignKey(
        FrameworkElement, on_delete=models.CASCADE, related_name="objectives"
    )
    order = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["element__order", "order"]
        constraints = [
            models.UniqueConstraint(fields=["element", "order"], name="objective_unique_order")
        ]

    def __str__(self) -> str:
        return self.text


class AssuranceMechanism(models.Model):
    """A bullet under 'KPIs and assurance mechanism' in the NOM guidance."""

    element = models.ForeignKey(
        FrameworkElement, on_delete=models.CASCADE, related_name="assurance"
    )
    order = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["element__order", "order"]
        constraints = [
            models.UniqueConstraint(fields=["element", "order"], name="assurance_unique_order")
        ]

    def __str__(self) -> str:
        return self.text


class Role(models.TextChoices):
    CHIEF_OFFICER = "chief_officer", "Chief officer"
    SOTERIA_LEAD = "soteria_lead", "Force Soteria lead"
    PILLAR_LEAD = "pillar_lead", "Pillar lead"
    ANALYST = "analyst", "Analyst"
    PANEL_MEMBER = "panel_member", "Scrutiny panel member"
    EXTERNAL_PANEL_MEMBER = "external_panel", "External panel member"
    PCC_STAFF = "pcc_staff", "PCC office staff"
    NATIONAL_VIEWER = "national_viewer", "National viewer"
    NATIONAL_ANALYST = "national_analyst", "National analyst"
    ADMINISTRATOR = "administrator", "Administrator"


class Membership(models.Model):
    """Ties a user to a force with a role. National roles have no force and span all forces."""

    NATIONAL_ROLES = (Role.NATIONAL_VIEWER, Role.NATIONAL_ANALYST, Role.ADMINISTRATOR)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    force = models.ForeignKey(
        Force, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    pillars = models.ManyToManyField(
        Pillar, blank=True, help_text="For pillar leads: their pillars"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "force", "role"], name="membership_no_duplicates"
            ),
            models.CheckConstraint(
                condition=models.Q(force__isnull=False)
                | models.Q(role__in=["national_viewer", "national_analyst", "administrator"]),
                name="membership_force_role_needs_force",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.force or 'all forces'}"

    @property
    def is_national(self) -> bool:
        return self.force_id is None


class Notification(models.Model):
    """Something a person should know happened to work of theirs: a return approved, a
    recommendation signed off. Shown under the bell in the navigation and sent by e-mail."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    force = models.ForeignKey(
        Force, on_delete=models.CASCADE, related_name="notifications", null=True, blank=True
    )
    verb = models.CharField(max_length=60, help_text="What happened, e.g. 'return approved'")
    text = models.TextField()
    link = models.CharField(max_length=300, help_text="Where the work is, a path on this site")
    created = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return f"{self.verb} → {self.recipient}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class DataLoad(models.Model):
    """The version of a data set last loaded into this database, so a restart can skip it.

    `make run` loads the reference data, the demo users and the demo data on every start; each
    records here the fingerprint of what it loaded (its fixtures and code, see soteria/dataloads.py),
    and a start whose fingerprint matches skips the load. Not audited: it is bookkeeping about the
    loaders, not a record anyone edits.
    """

    name = models.CharField(max_length=40, unique=True)
    version = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.name} {self.version[:12]}"
