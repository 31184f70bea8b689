"""The learning summary's download: one row per case reviewed, as the page shows it."""

import datetime as dt
import io
import zipfile

import pandas as pd
import pytest
import time_machine
from openpyxl import load_workbook

from panels import services
from panels.models import LearningTheme

FINALISED = dt.datetime(2024, 8, 1, 10, 15, tzinfo=dt.timezone(dt.timedelta(hours=1)))


@pytest.fixture
def finalised(judged_meeting, ruth):
    case = judged_meeting.cases.get()
    services.update_case(
        case=case, by=ruth, themes=LearningTheme.objects.filter(slug="isva-referral")
    )
    with time_machine.travel(FINALISED, tick=False):
        return services.finalise_meeting(meeting=judged_meeting, by=ruth)


def url(force, fmt, query="?period=2024-25-q2"):
    return f"/forces/{force.slug}/panels/reports/download.{fmt}{query}"


def test_the_csv_has_each_case_with_its_judgement_themes_and_actions(
    client_for, alice, force_a, finalised
):
    response = client_for(alice).get(url(force_a, "csv"))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-panel-learning-2024-25-q2.csv"')
    table = pd.read_csv(io.BytesIO(response.content))
    case = finalised.cases.get()
    (row,) = table.to_dict("records")
    assert row["case"] == case.label and "AS/24/5555" not in response.text
    assert (row["period"], row["meeting_date"]) == ("2024-25-q2", "2024-07-15")
    assert (row["judgement"], row["findings"]) == (
        case.get_judgement_display(),
        "No ISVA referral was made at report.",
    )
    assert row["themes"] == LearningTheme.objects.get(slug="isva-referral").name
    assert (row["proposed_by"], row["referred_back"]) == (
        "Independent sexual violence adviser (ISVA)",
        False,
    )
    assert (row["actions_raised"], row["actions_open"]) == (1, 1)
    assert row["as_at_meeting_finalised"] == "2024-08-01 10:15"


def test_the_workbook_and_zip_carry_the_period_and_data_as_at(
    client_for, alice, force_a, finalised
):
    client = client_for(alice)
    book = client.get(url(force_a, "xlsx")).content
    about = dict(pd.read_excel(io.BytesIO(book), sheet_name="About").values)
    assert about["Period"] == "2024/25 Q2" and about["Cases reviewed"] == 1
    assert about["Latest meeting finalised"] == "1 Aug 2024 10:15"
    sheet = load_workbook(io.BytesIO(book))["Cases"]
    assert sheet["C2"].number_format == "dd/mm/yyyy"
    with zipfile.ZipFile(io.BytesIO(client.get(url(force_a, "zip")).content)) as archive:
        assert sorted(archive.namelist())[0].endswith("-about.csv")


def test_a_year_holds_its_quarters_and_drafts_are_left_out(
    client_for, alice, force_a, finalised, panel, ruth
):
    services.create_meeting(panel=panel, by=ruth, date=dt.date(2024, 10, 20))
    response = client_for(alice).get(url(force_a, "csv", "?year=2024"))
    assert 'learning-2024-25-q1-to-2024-25-q4.csv"' in response["Content-Disposition"]
    table = pd.read_csv(io.BytesIO(response.content))
    assert list(table["meeting_date"]) == ["2024-07-15"]


def test_bob_cannot_download_alices_summary_nor_an_unknown_format(
    client_for, alice, bob, force_a, finalised
):
    assert client_for(bob).get(url(force_a, "csv")).status_code == 404
    assert client_for(alice).get(url(force_a, "pdf")).status_code == 404
