"""Core services: reference data for forces, pillars and the NOM framework; demo users."""

import json
from contextlib import ExitStack
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from . import jobs
from .models import (
    AssuranceMechanism,
    Force,
    ForceAlias,
    FrameworkElement,
    Objective,
    Pillar,
    normalise_force_name,
)

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


def read_fixture(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def load_reference_data() -> dict[str, int]:
    """Load every app's reference data, in the order settings lists the loaders.

    Idempotent: rows are matched on natural keys and updated in place, so a
    second run changes nothing.
    """
    counts: dict[str, int] = {}
    with transaction.atomic():
        for path in settings.REFERENCE_DATA_LOADERS:
            counts.update(import_string(path)())
    return counts


def load_demo_data(*, seed: int = 1) -> dict[str, int]:
    """Run every app's demo-data loader, in the order settings lists them (SYNTHETIC data).

    Each loader is ``(*, forces: list[Force], seed: int) -> dict[str, int]`` and
    must be idempotent: `make run` calls this on every start. The jobs settings name in
    DEMO_DATA_HELD_JOBS are held meanwhile, for the last loader to take and do once.
    """
    forces = list(Force.objects.filter(slug__in=DEMO_FORCES))
    counts: dict[str, int] = {}
    with ExitStack() as stack:
        for name in settings.DEMO_DATA_HELD_JOBS:
            stack.enter_context(jobs.held(name))
        for path in settings.DEMO_DATA_LOADERS:
            counts.update(import_string(path)(forces=forces, seed=seed))
    return counts


def load_core_reference() -> dict[str, int]:
    for row in read_fixture("forces.json")["forces"]:
        defaults = {"full_name": row["full_name"], "slug": row["slug"], "region": row["region"]}
        if "commissioner_title" in row:  # otherwise keep the default, or an administrator's edit
            defaults["commissioner_title"] = row["commissioner_title"]
        force, _ = Force.objects.update_or_create(name=row["name"], defaults=defaults)
        for alias in {row["name"], *row["aliases"]}:
            ForceAlias.objects.update_or_create(
                alias=normalise_force_name(alias), defaults={"force": force}
            )
    framework = read_fixture("nom_framework.json")
    for row in framework["pillars"]:
        Pillar.objects.update_or_create(
            number=row["number"],
            defaults={k: row[k] for k in ("slug", "name", "description")},
        )
    for order, row in enumerate(framework["elements"]):
        element, _ = FrameworkElement.objects.update_or_create(
            slug=row["slug"],
            defaults={
                "kind": row["kind"],
                "number": row["number"],
                "title": row["title"],
                "short_title": row["short_title"],
                "description": row["description"],
                "order": order,
            },
        )
        _replace_bullets(Objective, element, row["objectives"])
        _replace_bullets(AssuranceMechanism, element, row["assurance"])
    return {
        "forces": Force.objects.count(),
        "pillars": Pillar.objects.count(),
        "framework elements": FrameworkElement.objects.count(),
        "objectives": Objective.objects.count(),
        "assurance mechanisms": AssuranceMechanism.objects.count(),
    }


def _replace_bullets(model, element: FrameworkElement, texts: list[str]) -> None:
    for order, text in enumerate(texts):
        model.objects.update_or_create(element=element, order=order, defaults={"text": text})
    model.objects.filter(element=element, order__gte=len(texts)).delete()


DEMO_FORCES = ("avon-and-somerset", "staffordshire")
DEMO_PASSWORD = "soteria-demo"  # printed by `make run`; only ever used on a development machine
NO_ROLE_YET = "No role yet (waiting for an administrator)"


def _demo_accounts(forces) -> list[tuple[str, str, str, str, "Force | None"]]:
    """(username, role label, force name, role, force) for each demo account, in print order."""
    from .models import Role

    accounts = []
    for force in sorted(forces, key=lambda f: DEMO_FORCES.index(f.slug)):
        prefix = force.slug.split("-")[0][:5]
        for role in Role:
            if role == Role.NATIONAL_VIEWER:
                continue
            # An administrator with a force administers that force only (a national one has none).
            label = "Force administrator" if role == Role.ADMINISTRATOR else role.label
            username = f"{prefix}-{role.value.replace('_', '-')}"
            accounts.append((username, label, force.name, role, force))
    accounts.append(
        ("national-viewer", Role.NATIONAL_VIEWER.label, "all forces", Role.NATIONAL_VIEWER, None)
    )
    accounts.append(
        ("national-analyst", Role.NATIONAL_ANALYST.label, "all forces", Role.NATIONAL_ANALYST, None)
    )
    accounts.append(("admin", "National administrator (superuser)", "all forces", None, None))
    # Signed up, no role yet: on the administrator's "my work" page until given one.
    accounts.append(("new-starter", NO_ROLE_YET, "none", "", None))
    return accounts


def demo_user_rows(forces) -> list[tuple[str, str, str]]:
    """The (username, role label, force) rows create_demo_users prints, without touching users."""
    return [account[:3] for account in _demo_accounts(forces)]


def create_demo_users(*, password: str = DEMO_PASSWORD) -> list[tuple[str, str, str]]:
    """One demo user per role in each of two forces, a national viewer and an administrator.

    Returns (username, role label, force) rows for printing. Idempotent.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from .models import Membership, Role

    User = get_user_model()
    # One hash for every account: they share a published development password, and hashing
    # it afresh for each (a million PBKDF2 rounds apiece) was most of a first `make run`.
    encoded = make_password(password)
    forces = [Force.objects.get(slug=slug) for slug in DEMO_FORCES]
    for username, label, _, role, force in _demo_accounts(forces):
        if role is None:
            first, last, extra = (
                "National",
                "Administrator",
                {"is_staff": True, "is_superuser": True},
            )
        elif role == "":
            first, last, extra = "New", "Starter", {}
        elif force is None:
            first, last, extra = "National", label.split()[-1].capitalize(), {}
        else:
            first, last, extra = label, force.name, {}
        account, _ = User.objects.get_or_create(
            username=username,
            defaults={
                "password": encoded,
                "first_name": first,
                "last_name": last,
                "email": f"{username}@example.org",
                **extra,
            },
        )
        if not role:
            continue
        membership, _ = Membership.objects.get_or_create(user=account, force=force, role=role)
        if role == Role.PILLAR_LEAD:
            membership.pillars.set(Pillar.objects.all())
    return demo_user_rows(forces)
