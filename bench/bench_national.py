"""The national overview's server time against the flight deck's, and its query count against
the number of forces in the Home Office table.

Goal: the national page's median is at most 2x the flight deck's. Both go through the full
middleware stack in-process (django.test.Client), logged in as a chief officer of Avon and
Somerset (the national page highlights their force), interleaved. The data: a synthetic
Home Office table for all 43 forces over eight quarters, imported through the real
importer (which computes every force's Home Office snapshots and the most-similar groups).
The national page reads the table through record_kpis.national_table, cached per process,
and keeps what it renders under the table's version (as the deck keeps its tiles); its first
view after an import (cold: the table re-read and the page built) is reported too.

Query count: the cold national page's queries with the full table, then with all but ten
forces' rows removed (in a transaction rolled back afterwards). Equal counts mean the page's
queries do not grow with the number of forces.
"""

import statistics
import tempfile
import time
from pathlib import Path

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402

from kpis.engine import record_kpis  # noqa: E402
from kpis.imports import services as imports  # noqa: E402
from kpis.imports.demo import generate_home_office_file  # noqa: E402
from kpis.models import HomeOfficeOutcome, ImportBatch, KpiSnapshot  # noqa: E402
from soteria.models import Force, Membership, Role  # noqa: E402
from soteria.periods import Period  # noqa: E402
from soteria.services import load_reference_data  # noqa: E402

ROUNDS = 40
QUARTERS = 8
FEW_FORCES = 10


def prepare() -> tuple[Force, Period]:
    call_command("migrate", verbosity=0)
    load_reference_data()
    force = Force.objects.get(slug="avon-and-somerset")
    periods = Period.latest_complete().trailing(QUARTERS)
    if not HomeOfficeOutcome.objects.exists():
        path = Path(tempfile.mkdtemp()) / "bench-home-office.csv"
        generate_home_office_file(path=path, seed=13, periods=periods)
        started = time.perf_counter()
        batch = imports.create_batch(
            kind=ImportBatch.Kind.HOME_OFFICE,
            source=path,
            file_name=path.name,
            force=None,
            uploaded_by=None,
        )
        imports.import_outcomes(batch=batch)
        batch.refresh_from_db()
        print(
            f"imported {batch.rows_written:,} Home Office rows ({QUARTERS} quarters, 43 forces) "
            f"and computed every force's snapshots in {time.perf_counter() - started:.0f} s"
        )
    user, _ = get_user_model().objects.get_or_create(username="bench-national-chief")
    Membership.objects.get_or_create(user=user, force=force, role=Role.CHIEF_OFFICER)
    return force, periods[-1]


def timed(client: Client, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


def forget_national_tables() -> None:
    """As after a national import: the per-process tables and the kept pages are gone."""
    record_kpis._national.clear()
    record_kpis._figures.clear()
    cache.clear()


def cold_queries(client: Client, url: str) -> int:
    forget_national_tables()
    with CaptureQueriesContext(connection) as queries:
        timed(client, url)
    return len(queries)


def main() -> None:
    force, period = prepare()
    client = Client()
    client.force_login(get_user_model().objects.get(username="bench-national-chief"))
    with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"]):
        national = reverse("national:overview") + f"?period={period.slug}&offence=rape"
        deck = reverse("kpis:flight-deck", args=[force.slug]) + f"?period={period.slug}"
        for _ in range(5):
            timed(client, national), timed(client, deck)
        national_times, deck_times, cold_times = [], [], []
        for _ in range(ROUNDS):
            national_times.append(timed(client, national))
            deck_times.append(timed(client, deck))
        for _ in range(ROUNDS // 4):
            forget_national_tables()
            cold_times.append(timed(client, national))
        all_forces = cold_queries(client, national)
        with transaction.atomic():
            keep = list(Force.objects.order_by("name").values_list("pk", flat=True)[:FEW_FORCES])
            HomeOfficeOutcome.objects.exclude(force_id__in=keep).delete()
            few_forces = cold_queries(client, national)
            transaction.set_rollback(True)
        forget_national_tables()
    national_ms = statistics.median(national_times) * 1000
    deck_ms = statistics.median(deck_times) * 1000
    snapshots = KpiSnapshot.objects.filter(force=force, period=period.slug).count()
    print(f"national overview ({period.label}, rolling year, rape): median {national_ms:.1f} ms")
    print(
        f"flight deck ({force.name}, {snapshots} snapshots in the quarter): median {deck_ms:.1f} ms"
    )
    print(f"ratio {national_ms / deck_ms:.2f}x (goal <= 2x), {ROUNDS} requests each, interleaved")
    print(
        "national overview, first view after an import (table re-read, page built): median "
        f"{statistics.median(cold_times) * 1000:.1f} ms"
    )
    verdict = "constant" if all_forces == few_forces else "GROWS with the forces"
    print(
        f"national overview queries (cold): {all_forces} with 43 forces in the table, "
        f"{few_forces} with {FEW_FORCES}: {verdict}"
    )


if __name__ == "__main__":
    main()
