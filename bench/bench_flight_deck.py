"""Flight deck server time against a bare view that renders base.html, in the same run.

Goal: the flight deck's median is at most 2x the bare page's. Both go through the full
middleware stack in-process (django.test.Client), logged in as a chief officer, so the
difference is the flight deck's own work: the access check, one version query, and its
template (the tiles are cached under the snapshots' version). The first view after a
recompute, which builds the tiles from snapshots, is reported too.
"""

import statistics
import sys
import time
import types

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.shortcuts import render  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.urls import path, reverse  # noqa: E402

from kpis.deck.readings import available_periods  # noqa: E402
from kpis.engine.snapshots import compute_snapshots, periods_with_data  # noqa: E402
from kpis.imports.synthetic import add_synthetic_records  # noqa: E402
from kpis.models import CrimeRecord, KpiSnapshot  # noqa: E402
from soteria import urls as project_urls  # noqa: E402
from soteria.models import Force, Membership, Role  # noqa: E402
from soteria.services import load_reference_data  # noqa: E402

ROUNDS = 60


def bare(request, force_slug):
    return render(request, "base.html", {})


urlconf = types.ModuleType("bench_flight_deck_urls")
urlconf.urlpatterns = [
    *project_urls.urlpatterns,
    path("bench/<slug:force_slug>/bare/", bare, name="bench-bare"),
]
sys.modules[urlconf.__name__] = urlconf


def prepare() -> tuple[Force, str]:
    call_command("migrate", verbosity=0)
    load_reference_data()
    force = Force.objects.get(slug="avon-and-somerset")
    if not KpiSnapshot.objects.filter(force=force).exists():
        if not CrimeRecord.objects.filter(force=force).exists():
            add_synthetic_records(forces=[force], records=30_000, seed=2, tag="bench-flight-deck")
        for period in periods_with_data(force=force)[-8:]:
            compute_snapshots(force=force, period=period)
    user, _ = get_user_model().objects.get_or_create(username="bench-chief-officer")
    Membership.objects.get_or_create(user=user, force=force, role=Role.CHIEF_OFFICER)
    return force, available_periods(force=force)[0].slug


def timed(client: Client, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


def main() -> None:
    force, period = prepare()
    client = Client()
    client.force_login(get_user_model().objects.get(username="bench-chief-officer"))
    with override_settings(
        ROOT_URLCONF=urlconf.__name__, DEBUG=False, ALLOWED_HOSTS=["testserver"]
    ):
        deck = reverse("kpis:flight-deck", args=[force.slug]) + f"?period={period}&offence=rape"
        plain = reverse("bench-bare", args=[force.slug])
        for _ in range(5):
            timed(client, deck), timed(client, plain)
        deck_times, bare_times, cold_times = [], [], []
        for _ in range(ROUNDS):
            deck_times.append(timed(client, deck))
            bare_times.append(timed(client, plain))
        for _ in range(ROUNDS // 3):
            cache.clear()  # the first view after a recompute builds the deck from snapshots
            cold_times.append(timed(client, deck))
    tiles = KpiSnapshot.objects.filter(force=force, period=period).count()
    deck_ms, bare_ms = statistics.median(deck_times) * 1000, statistics.median(bare_times) * 1000
    print(f"flight deck ({period}, {tiles} snapshots in the quarter): median {deck_ms:.1f} ms")
    print(f"bare base.html view: median {bare_ms:.1f} ms")
    print(f"ratio {deck_ms / bare_ms:.2f}x (goal <= 2x), {ROUNDS} requests each, interleaved")
    print(
        f"flight deck built from snapshots (first view after a recompute): median "
        f"{statistics.median(cold_times) * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
