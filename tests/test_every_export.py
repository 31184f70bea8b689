"""Every CSV, XLSX and ZIP the product writes, read as an analyst reads it.

Each export is fetched through its URL and read with pandas with no options: numeric
columns must come out numeric, and each must say what its data is as at (a plain CSV in
its as_at columns, a ZIP in its about file, a workbook in its About sheet), with the
moments checked against the ones set here.
"""

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from kpis.engine.snapshots import compute_snapshots
from kpis.imports.synthetic import add_synthetic_records
from kpis.models import ImportBatch, KpiSnapshot
from recommendations.models import Recommendation
from soteria.periods import Period

from .panels.factories import make_panel

Q1 = Period.parse("2024-25-q1")
LONDON = timezone.get_fixed_timezone(60)  # BST: every moment set here is in summer
RECORDS_DONE = dt.datetime(2024, 7, 14, 9, 30, tzinfo=LONDON)
HOME_OFFICE_DONE = dt.datetime(2024, 7, 20, 16, 5, tzinfo=LONDON)
REJECTED_AT = dt.datetime(2024, 8, 2, 11, 45, tzinfo=LONDON)
REGISTER_CHANGED = dt.datetime(2025, 6, 3, 14, 10, tzinfo=LONDON)
MEETING_FINALISED = dt.datetime(2024, 8, 1, 10, 15, tzinfo=LONDON)

DECK_NUMBERS = ("value", "numerator", "denominator", "ci_low", "ci_high", "target")
DRILL_NUMBERS = ("value", "numerator", "denominator", "ci_low", "ci_high", "spc_mean")
KPI_SOURCES = {
    "records_imported": ("Latest crime-record import", RECORDS_DONE),
    "home_office_loaded": ("Latest Home Office outcomes table", HOME_OFFICE_DONE),
}
# url name: (formats, numeric columns, the as-at sources every format must state)
EXPORTS = {
    "kpis:deck-download": (("csv", "xlsx", "zip"), DECK_NUMBERS, KPI_SOURCES),
    "kpis:kpi-download": (("csv", "xlsx", "zip"), DRILL_NUMBERS, KPI_SOURCES),
    "kpis:relationship-crosstab-download": (
        ("csv", "xlsx"),  # its ZIP is export_response's, as every other
        ("charges", "outcomes", "charge_rate"),
        KPI_SOURCES,
    ),
    "kpis:import-errors": (
        ("csv",),
        ("line",),
        {
            "import_uploaded": ("This import uploaded", REJECTED_AT),
            "records_imported": ("Latest crime-record import", RECORDS_DONE),
        },
    ),
    "national:import-errors": (
        ("csv",),
        ("line",),
        {
            "import_uploaded": ("This import uploaded", REJECTED_AT),
            "home_office_loaded": ("Latest Home Office outcomes table", HOME_OFFICE_DONE),
        },
    ),
    "panels:report-download": (
        ("csv", "xlsx", "zip"),
        ("actions_raised", "actions_open"),
        {
            "meeting_finalised": ("Latest meeting finalised", MEETING_FINALISED),
            "action_changed": ("Latest change to an action", MEETING_FINALISED),
        },
    ),
    # A workbook of sections: its "value" column holds figures and, in a few rows, words.
    "kpis:problem-profile-download": (("xlsx", "zip"), (), KPI_SOURCES),
    "recommendations:export-csv": (
        ("csv",),
        ("Evidence files",),
        {"register_changed": ("Latest change to the register", REGISTER_CHANGED)},
    ),
    "recommendations:export-xlsx": (
        ("xlsx",),
        ("Evidence files",),
        {"register_changed": ("Latest change to the register", REGISTER_CHANGED)},
    ),
}


def _batch(force, kind, status, finished, **fields):
    batch = ImportBatch.objects.create(
        force=force,
        kind=kind,
        file_name=f"{kind}.csv",
        file_sha256=str(len(fields)) * 64,
        status=status,
        finished_at=finished,
        **fields,
    )
    ImportBatch.objects.filter(pk=batch.pk).update(created_at=finished)
    return batch


def _finalised_meeting(force, chair):
    """A panel meeting with one judged case and an action from it, finalised."""
    from panels import services
    from soteria.models import Pillar

    panel = make_panel(force, chair=chair)
    with time_machine.travel(MEETING_FINALISED, tick=False):
        meeting = services.create_meeting(
            panel=panel, by=chair, date=dt.date(2024, 7, 15), attendees=panel.members.all()
        )
        case = services.add_case(
            meeting=meeting,
            by=chair,
            crime_reference="AS/24/5555",
            selection="proposed",
            proposed_by=panel.members.get(organisation_type="isva"),
            judgement="concerns",
            judgement_comment="Contact lapsed",
            findings="No ISVA referral was made at report.",
        )
        services.raise_action(
            meeting=meeting,
            by=chair,
            title="Remind investigators to refer to ISVAs",
            owner=chair,
            due_date=dt.date(2024, 9, 30),
            pillar=Pillar.objects.get(number=3),
            case=case,
        )
        services.finalise_meeting(meeting=meeting, by=chair)


@pytest.fixture
def world(force_a, force_b, ruth):
    """Figures for force A, a rejected import of each kind, a finalised panel meeting and
    a register that changed."""
    from recommendations import services

    add_synthetic_records(forces=[force_a, force_b], records=2000, seed=7)
    for period in Q1.trailing(2):
        compute_snapshots(force=force_a, period=period)
    succeeded, rejected = ImportBatch.Status.SUCCEEDED, ImportBatch.Status.REJECTED
    records, home_office = ImportBatch.Kind.RECORDS, ImportBatch.Kind.HOME_OFFICE
    _batch(force_a, records, succeeded, RECORDS_DONE)
    _batch(None, home_office, succeeded, HOME_OFFICE_DONE)
    errors = [{"line": 3, "column": "offence_code", "value": "28A", "reason": "Not RASSO"}]
    rejected_records = _batch(force_a, records, rejected, REJECTED_AT, errors=errors, rows_read=9)
    rejected_table = _batch(None, home_office, rejected, REJECTED_AT, errors=errors, rows_read=1)
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    _finalised_meeting(force_a, ruth)
    # The national recommendations the reference data loads were added long before.
    Recommendation.history.update(history_date=RECORDS_DONE)
    with time_machine.travel(REGISTER_CHANGED, tick=False):
        inspection = services.create_inspection(
            by=admin,
            force=force_a,
            title="Rape investigation",
            inspectorate="HMICFRS",
            published=dt.date(2025, 1, 1),
            summary="",
            url="",
            areas_for_improvement="",
        )
        services.add_recommendation(
            inspection=inspection,
            by=admin,
            number="1",
            text="Do better.",
            deadline=dt.date(2025, 12, 31),
            addressee="forces",
            addressee_detail="",
        )
    return {
        "kpis:deck-download": lambda fmt: (
            reverse("kpis:deck-download", args=[force_a.slug, fmt]) + f"?period={Q1.slug}"
        ),
        "kpis:kpi-download": lambda fmt: (
            reverse("kpis:kpi-download", args=[force_a.slug, "charge-rate", fmt])
            + f"?period={Q1.slug}"
        ),
        "kpis:relationship-crosstab-download": lambda fmt: (
            reverse("kpis:relationship-crosstab-download", args=[force_a.slug, fmt])
            + f"?period={Q1.slug}"
        ),
        "kpis:import-errors": lambda fmt: reverse(
            "kpis:import-errors", args=[force_a.slug, rejected_records.pk]
        ),
        "national:import-errors": lambda fmt: reverse(
            "national:import-errors", args=[rejected_table.pk]
        ),
        "panels:report-download": lambda fmt: (
            reverse("panels:report-download", args=[force_a.slug, fmt]) + "?period=2024-25-q2"
        ),
        "kpis:problem-profile-download": lambda fmt: reverse(
            "kpis:problem-profile-download", args=[force_a.slug, fmt]
        ),
        "recommendations:export-csv": lambda fmt: reverse(
            "recommendations:export-csv", args=[force_a.slug]
        ),
        "recommendations:export-xlsx": lambda fmt: reverse(
            "recommendations:export-xlsx", args=[force_a.slug]
        ),
        "admin": admin,
    }


def _read(content: bytes, fmt: str) -> tuple[pd.DataFrame, dict | None]:
    """The data table and its about items (None for a plain CSV), read with no options."""
    if fmt == "csv":
        return pd.read_csv(io.BytesIO(content)), None
    if fmt == "xlsx":
        about = pd.read_excel(io.BytesIO(content), sheet_name="About")
        return pd.read_excel(io.BytesIO(content)), dict(about.values)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = archive.namelist()
        (about_name,) = [n for n in names if n.endswith("-about.csv")]
        data_name = [n for n in names if n != about_name][0]  # the first, where there are several
        about = pd.read_csv(archive.open(about_name))
        return pd.read_csv(archive.open(data_name)), dict(about.values)


def _cases():
    return [(name, fmt) for name, (formats, _, _) in EXPORTS.items() for fmt in formats]


@pytest.mark.parametrize(("name", "fmt"), _cases())
def test_every_export_reads_with_numbers_as_numbers_and_says_what_it_is_as_at(
    world, client, name, fmt
):
    _, numeric, sources = EXPORTS[name]
    client.force_login(world["admin"])
    before = timezone.now().replace(second=0, microsecond=0)
    response = client.get(world[name](fmt))
    assert response.status_code == 200, response.content[:300]
    assert response["Cache-Control"] == "private, no-store"
    data, about = _read(response.content, fmt)
    assert len(data) > 0
    for column in numeric:
        assert pd.api.types.is_numeric_dtype(data[column]), (name, fmt, column, data[column])
    if about is None:
        for column, (_, moment) in sources.items():
            assert set(data[f"as_at_{column}"]) == {f"{moment:%Y-%m-%d %H:%M}"}, column
        (generated,) = set(data["as_at_generated"])
    else:
        for label, moment in sources.values():
            assert about[label] == f"{moment.day} {moment:%b %Y %H:%M}", label
        generated = about["File generated"]
        generated = dt.datetime.strptime(generated, "%d %b %Y %H:%M").strftime("%Y-%m-%d %H:%M")
        assert not any(column.startswith("as_at_") for column in data.columns)
    made = timezone.make_aware(dt.datetime.strptime(generated, "%Y-%m-%d %H:%M"))
    assert before <= made <= timezone.now()


def test_the_kpi_exports_say_when_their_figures_were_computed(world, client):
    client.force_login(world["admin"])
    data, _ = _read(client.get(world["kpis:deck-download"]("csv")).content, "csv")
    computed = KpiSnapshot.objects.latest("computed_at").computed_at
    assert set(data["as_at_figures_computed"]) == {f"{timezone.localtime(computed):%Y-%m-%d %H:%M}"}
    assert data["as_at_evidence_approved"].isna().all()  # no return approved: "none yet"


def _routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            namespace = pattern.namespace or prefix
            yield from _routes(pattern.url_patterns, namespace)
        elif isinstance(pattern, URLPattern):
            yield f"{prefix}:{pattern.name}", str(pattern.pattern)


def test_every_download_route_is_read_above():
    """A new CSV, XLSX or ZIP route fails here until it is added to EXPORTS."""
    downloads = {
        name
        for name, route in _routes(get_resolver().url_patterns)
        if not name.startswith("admin:")
        and (re.search(r"\.(csv|xlsx|zip)$", route) or "<str:fmt>" in route)
    }
    assert downloads == set(EXPORTS)


def test_only_soteria_exports_writes_spreadsheet_content_types():
    """Every CSV, XLSX and ZIP response is made by soteria/exports.py (export_response)."""
    root = Path(__file__).resolve().parent.parent
    writers = {
        str(path.relative_to(root))
        for folder in ("soteria", "kpis", "panels", "recommendations")
        for path in (root / folder).rglob("*.py")
        if re.search(r"text/csv|spreadsheetml\.sheet|application/zip", path.read_text())
    }
    assert writers == {"soteria/exports.py"}
