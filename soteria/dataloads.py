"""Load the reference data, the demo users and the demo data only when they have changed.

`make run` runs all three on every start. Each load records a fingerprint of what it loaded
in a DataLoad row; a start whose fingerprint matches skips the load, so a restart costs a
few queries instead of a minute of imports and recomputes. The fingerprint covers:

- the loaders' own source and the project modules they name (their models, generators and
  helpers, one level deep), so editing the demo code reloads the demo data;
- the fixtures (reference data), the seed, the demo forces and the latest complete quarter
  (the demo data is generated up to it, so a new quarter brings new data);
- DEMO_DATA_VERSION, to bump when the demo data changes in a way none of the above shows.

Every loader is idempotent on its own, so a reload after a change is always safe; `--force`
on the commands reloads regardless.
"""

import hashlib
import importlib
import inspect
from collections.abc import Callable, Iterable
from pathlib import Path
from types import ModuleType

from django.conf import settings
from django.db import transaction

from . import services
from .models import DataLoad, Force
from .periods import Period

DEMO_DATA_VERSION = 1
PROJECT_PACKAGES = ("soteria", "kpis", "panels", "recommendations")


def _module(dotted: str) -> ModuleType:
    return importlib.import_module(dotted.rpartition(".")[0])


def _named_modules(module: ModuleType) -> set[ModuleType]:
    """The module and every project module whose functions, classes or self it names."""
    found = {module}
    for value in vars(module).values():
        owner = value if inspect.ismodule(value) else inspect.getmodule(value)
        if owner is not None and owner.__name__.split(".")[0] in PROJECT_PACKAGES:
            found.add(owner)
    return found


def fingerprint(*, loaders: Iterable[str], files: Iterable[Path] = (), extra: str = "") -> str:
    """SHA-256 over the loaders' modules' source (and what they name), the files, and extra."""
    modules: set[ModuleType] = set()
    for dotted in loaders:
        modules |= _named_modules(_module(dotted))
    digest = hashlib.sha256(extra.encode())
    for path in sorted({Path(m.__file__) for m in modules if m.__file__}) + sorted(files):
        digest.update(str(path.name).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def reference_data_version() -> str:
    return fingerprint(
        loaders=settings.REFERENCE_DATA_LOADERS,
        files=services.FIXTURES.glob("*.json"),
        extra=",".join(settings.REFERENCE_DATA_LOADERS),
    )


def demo_users_version() -> str:
    return fingerprint(loaders=["soteria.services.create_demo_users"])


def demo_data_version(seed: int) -> str:
    extra = "|".join(
        [
            str(DEMO_DATA_VERSION),
            str(seed),
            ",".join(services.DEMO_FORCES),
            Period.latest_complete().slug,
            ",".join(settings.DEMO_DATA_LOADERS),
        ]
    )
    return fingerprint(loaders=settings.DEMO_DATA_LOADERS, extra=extra)


def _once(name: str, version: str, load: Callable[[], object], *, force: bool):
    """Run load unless this version is already recorded; returns (loaded, its result)."""
    if not force and DataLoad.objects.filter(name=name, version=version).exists():
        return False, None
    result = load()
    DataLoad.objects.update_or_create(name=name, defaults={"version": version})
    return True, result


def ensure_reference_data(*, force: bool = False) -> dict[str, int] | None:
    """The reference data's counts if it was loaded now, None if it was already up to date."""
    with transaction.atomic():
        loaded, counts = _once(
            "reference data", reference_data_version(), services.load_reference_data, force=force
        )
    return counts if loaded else None


def ensure_demo_users(
    *, password: str = services.DEMO_PASSWORD, force: bool = False
) -> list[tuple[str, str, str]]:
    """The demo users' (username, role, force) rows, created first if they have changed."""
    with transaction.atomic():
        loaded, rows = _once(
            "demo users",
            demo_users_version(),
            lambda: services.create_demo_users(password=password),
            force=force,
        )
    if loaded:
        return rows
    return services.demo_user_rows(Force.objects.filter(slug__in=services.DEMO_FORCES))


def ensure_demo_data(*, seed: int = 1, force: bool = False) -> dict[str, int] | None:
    """The demo data's counts if it was loaded now, None if this version is already loaded.

    Not one transaction: the loaders import through the job queue, each committing its own
    work. The version is recorded only once they have all finished, so a start that was
    interrupted loads again (every loader is idempotent).
    """
    loaded, counts = _once(
        "demo data",
        demo_data_version(seed),
        lambda: services.load_demo_data(seed=seed),
        force=force,
    )
    return counts if loaded else None
