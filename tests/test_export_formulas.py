"""Formula neutralising, in one place (soteria/exports.py), for every CSV and XLSX written.

Every free-text field that reaches an export is fed a formula; each export is opened as
an analyst would (pandas, openpyxl) and no cell may be one a spreadsheet would run.
"""

import csv
import datetime as dt
import io
import zipfile

import pandas as pd
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kpis.engine.snapshots import compute_snapshots
from kpis.imports.synthetic import add_synthetic_records
from kpis.models import ImportBatch, KpiSnapshot
from soteria.exports import Table, csv_text, neutralise, xlsx_bytes
from soteria.models import Role
from soteria.periods import Period

Q1 = Period.parse("2024-25-q1")
FORMULAS = [
    '=HYPERLINK("http://evil.example","click")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    " =1+1",
    "＝1+1",
]
RUNNABLE = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def assert_inert_text(value):
    if isinstance(value, str) and value:
        assert not value.lstrip(" ").startswith(RUNNABLE), repr(value)


def assert_inert_csv(content: bytes):
    for row in csv.reader(io.StringIO(content.decode(), newline="")):
        for cell in row:
            try:
                float(cell)
            except ValueError:
                assert_inert_text(cell)


def assert_inert_xlsx(content: bytes):
    book = load_workbook(io.BytesIO(content))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                assert_inert_text(cell.value)


@pytest.mark.parametrize("formula", FORMULAS)
def test_neutralise_quotes_every_formula_start(formula):
    assert neutralise(formula).startswith("'")
    assert neutralise(1.5) == 1.5 and neutralise(-3) == -3 and neutralise(None) is None


def test_openpyxl_is_never_handed_a_formula():
    table = Table("Data", ["text", "number"], [[f, -1.5] for f in FORMULAS], {"number": "percent"})
    content = xlsx_bytes([table])
    assert_inert_xlsx(content)
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet["B2"].value == -1.5 and sheet["B2"].number_format == "0.0%"
    assert_inert_csv(csv_text(table).encode())


@pytest.fixture
def poisoned(force_a, force_b):
    """Snapshots whose free text (an evidence return's narrative and summary, a breakdown
    group's label) is a formula."""
    add_synthetic_records(forces=[force_a, force_b], records=2000, seed=7)
    for period in Q1.trailing(2):
        compute_snapshots(force=force_a, period=period)
    snapshot = KpiSnapshot.objects.filter(
        force=force_a, kpi__slug="charge-rate", period=Q1.slug, offence_group="all"
    ).get()
    snapshot.provenance = {
        **snapshot.provenance,
        "narrative": FORMULAS[0],
        "summary": FORMULAS[4],
        "display": FORMULAS[5],
    }
    # The quarter's breakdowns and each window's (the drill-down reads the rolling year).
    window_breakdowns = [b for kind in snapshot.window_breakdowns.values() for b in kind]
    for breakdown in [*snapshot.breakdowns, *window_breakdowns]:
        breakdown["rows"][0]["label"] = FORMULAS[3]
    snapshot.save()


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "zip"])
def test_the_drill_down_downloads_run_no_formula(poisoned, alice_client, force_a, fmt):
    url = reverse("kpis:kpi-download", args=[force_a.slug, "charge-rate", fmt])
    response = alice_client.get(url, {"period": Q1.slug, "offence": "all"})
    assert response.status_code == 200
    if fmt == "csv":
        assert_inert_csv(response.content)
        assert "'@SUM(A1:A2)" in pd.read_csv(io.BytesIO(response.content))["group"].values
    elif fmt == "xlsx":
        assert_inert_xlsx(response.content)
        about = dict(pd.read_excel(io.BytesIO(response.content), sheet_name="About").values)
        assert about["Assurance narrative"] == "'" + FORMULAS[0]
    else:
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            names = archive.namelist()
            assert len(names) == 2
            for name in names:
                assert_inert_csv(archive.read(name))


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "zip"])
def test_the_whole_deck_downloads_run_no_formula(poisoned, alice_client, force_a, fmt):
    url = reverse("kpis:deck-download", args=[force_a.slug, fmt])
    response = alice_client.get(url, {"period": Q1.slug})
    assert response.status_code == 200
    if fmt == "xlsx":
        assert_inert_xlsx(response.content)
    elif fmt == "csv":
        assert_inert_csv(response.content)
    else:
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            for name in archive.namelist():
                assert_inert_csv(archive.read(name))


@pytest.mark.parametrize("formula", FORMULAS)
@pytest.mark.parametrize("national", [False, True], ids=["force", "national"])
def test_the_rejection_report_runs_no_formula(client, make_user, force_a, formula, national):
    role, force = (Role.NATIONAL_ANALYST, None) if national else (Role.ANALYST, force_a)
    client.force_login(make_user("ann", role, force))
    batch = ImportBatch.objects.create(
        force=force,
        kind=ImportBatch.Kind.HOME_OFFICE if national else ImportBatch.Kind.RECORDS,
        file_name=formula,
        file_sha256="0" * 64,
        status=ImportBatch.Status.REJECTED,
        errors=[{"line": 2, "column": formula, "value": formula, "reason": formula}],
    )
    url = (
        reverse("national:import-errors", args=[batch.pk])
        if national
        else reverse("kpis:import-errors", args=[force_a.slug, batch.pk])
    )
    response = client.get(url)
    assert response.status_code == 200
    assert_inert_csv(response.content)
    report = pd.read_csv(io.BytesIO(response.content))
    assert list(report.columns)[:4] == ["line", "column", "value", "reason"]
    for column in ("column", "value", "reason"):
        assert report.loc[0, column] == "'" + formula
    assert pd.api.types.is_integer_dtype(report["line"])


def test_the_recommendations_register_runs_no_formula(client, make_user, force_a):
    from recommendations import services

    pat = make_user("pat", Role.PCC_STAFF, force_a, first_name=FORMULAS[2], last_name="")
    client.force_login(pat)
    inspection = services.create_inspection(
        by=pat,
        force=force_a,
        title=FORMULAS[4],
        inspectorate="HMICFRS",
        published=dt.date(2025, 1, 1),
        summary=FORMULAS[0],
        url="",
        areas_for_improvement=FORMULAS[1],
    )
    services.add_recommendation(
        inspection=inspection,
        by=pat,
        number="@1",
        text=FORMULAS[5],
        deadline=None,
        addressee="forces",
        addressee_detail=FORMULAS[6],
    )
    owner = make_user("olly", Role.ANALYST, force_a, first_name=FORMULAS[7], last_name="")
    response = services.ensure_response(
        force=force_a, recommendation=inspection.recommendations.get()
    )
    response.owner = owner
    response.save()
    base = f"/forces/{force_a.slug}/recommendations/"
    filters = {"inspection": inspection.pk, "owner": owner.pk}  # named in the About sheet
    csv_content = client.get(base + "export.csv", filters).content
    xlsx_content = client.get(base + "export.xlsx", filters).content
    assert_inert_csv(csv_content)
    assert_inert_xlsx(xlsx_content)
    for register in (pd.read_csv(io.BytesIO(csv_content)), pd.read_excel(io.BytesIO(xlsx_content))):
        (row,) = register.itertuples(index=False)
        assert (row.Recommendation, row.Inspection) == ("'@1", "'" + FORMULAS[4])
        assert (row.Text, row.Owner) == ("'" + FORMULAS[5], "'" + FORMULAS[7])
        assert pd.api.types.is_numeric_dtype(register["Evidence files"])


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "zip"])
def test_the_panel_learning_summary_runs_no_formula(client, alice, force_a, ruth, fmt):
    """Panel name, member organisation aside (a fixed list), judgement comment, findings and
    a learning theme's name are free text: each is fed a formula."""
    from panels import services
    from panels.models import LearningTheme, OrganisationType, Panel, PanelMember
    from soteria.models import Pillar

    panel = Panel.objects.create(force=force_a, name=FORMULAS[0])
    isva = PanelMember.objects.create(
        panel=panel, name=FORMULAS[1], organisation_type=OrganisationType.ISVA
    )
    PanelMember.objects.create(
        panel=panel,
        name="Ruth",
        organisation_type=OrganisationType.POLICE,
        user=ruth,
        is_chair=True,
    )
    theme = LearningTheme.objects.create(slug="formula", name=FORMULAS[4])
    meeting = services.create_meeting(
        panel=panel, by=ruth, date=dt.date(2024, 7, 15), attendees=panel.members.all()
    )
    case = services.add_case(
        meeting=meeting,
        by=ruth,
        crime_reference="AS/24/5555",
        selection="proposed",
        proposed_by=isva,
        judgement="concerns",
        judgement_comment=FORMULAS[5],
        findings=FORMULAS[3],
    )
    services.update_case(case=case, by=ruth, themes=[theme])
    services.raise_action(
        meeting=meeting,
        by=ruth,
        title=FORMULAS[2],
        owner=ruth,
        due_date=dt.date(2024, 9, 30),
        pillar=Pillar.objects.get(number=3),
        case=case,
    )
    services.finalise_meeting(meeting=meeting, by=ruth)
    client.force_login(alice)
    url = reverse("panels:report-download", args=[force_a.slug, fmt]) + "?period=2024-25-q2"
    content = client.get(url).content
    if fmt == "csv":
        assert_inert_csv(content)
        table = pd.read_csv(io.BytesIO(content))
    elif fmt == "xlsx":
        assert_inert_xlsx(content)
        table = pd.read_excel(io.BytesIO(content))
    else:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            for name in archive.namelist():
                assert_inert_csv(archive.read(name))
            table = pd.read_csv(archive.open(f"{force_a.slug}-panel-learning-2024-25-q2.csv"))
    (row,) = table.to_dict("records")
    assert row["panel"] == "'" + FORMULAS[0]
    assert (row["judgement_comment"], row["findings"]) == ("'" + FORMULAS[5], "'" + FORMULAS[3])
    assert row["themes"] == "'" + FORMULAS[4]
