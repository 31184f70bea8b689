"""The problem profile: every figure the page and the workbook show is recomputed here, with
plain pandas written separately from kpis/profile, from crafted crime records.

Alice (a chief officer in force A) reads her force's profile; Bob (force B) cannot.
"""

import datetime as dt
import io
import re
import unicodedata
import zipfile
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest
from django.core.cache import cache
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from kpis.models import CrimeRecord, ImportBatch, ProfilePdf

pytestmark = pytest.mark.django_db

END = "2024-25-q4"
YEARS = {
    "This year": (dt.date(2024, 4, 1), dt.date(2025, 3, 31)),
    "Previous year": (dt.date(2023, 4, 1), dt.date(2024, 3, 31)),
}
OUTCOME_GROUPS = {
    "1": "Charged or summonsed",
    "15": "Evidential difficulties, victim supports action",
    "14": "Evidential difficulties, victim does not support action",
    "16": "Evidential difficulties, victim does not support action",
    "12": "Other no further action",
    "18": "Other no further action",
    "3": "Other outcomes (cautions, community resolutions, other)",
}


def crafted_records(force, *, n=900, seed=7, prefix="ref") -> pd.DataFrame:
    """Three years of records with every field varied (some blank), written as CrimeRecords."""
    rng = np.random.default_rng(seed)
    start = dt.date(2022, 4, 1)
    recorded = [start + dt.timedelta(days=int(d)) for d in rng.integers(0, 1096, n)]
    group = rng.choice(["rape", "other"], n, p=[0.4, 0.6])
    code = [
        rng.choice(["19C", "19D"]) if g == "rape" else rng.choice(["20A", "22B", "88E", "17A"])
        for g in group
    ]
    outcome = rng.choice(["", *OUTCOME_GROUPS], n, p=[0.3, 0.1, 0.12, 0.05, 0.15, 0.12, 0.08, 0.08])
    outcome_date = [
        None if o == "" else r + dt.timedelta(days=int(rng.integers(5, 420)))
        for o, r in zip(outcome, recorded, strict=True)
    ]
    frame = pd.DataFrame(
        {
            "crime_ref_hash": [f"{prefix}{i:05d}" for i in range(n)],
            "offence_group": group,
            "offence_code": code,
            "recorded_date": recorded,
            "outcome_type": outcome,
            "outcome_date": outcome_date,
            "victim_sex": rng.choice(["female", "male", "other", ""], n, p=[0.8, 0.15, 0.01, 0.04]),
            "victim_age": [None if a < 14 else int(a) for a in rng.integers(10, 80, n)],
            "victim_ethnicity": rng.choice(["white", "asian", "black", "mixed", "other", ""], n),
            "victim_disability": rng.choice(["yes", "no", ""], n, p=[0.2, 0.7, 0.1]),
            "relationship": rng.choice(
                [
                    "partner",
                    "family",
                    "acquaintance",
                    "stranger",
                    "online",
                    "professional",
                    "other",
                    "",
                ],
                n,
                p=[0.3, 0.15, 0.2, 0.1, 0.08, 0.02, 0.05, 0.1],
            ),
            "suspect_ref_hash": [
                "" if rng.random() < 0.2 else f"sus{int(rng.integers(0, 260))}" for _ in range(n)
            ],
            "victim_supports_prosecution": rng.choice(["yes", "no", ""], n, p=[0.6, 0.3, 0.1]),
            "withdrawal_stage": [
                rng.choice(["report", "investigation", "pre_charge", "post_charge", ""])
                if o in ("14", "16")
                else ""
                for o in outcome
            ],
            "investigator_ref_hash": [
                "" if rng.random() < 0.1 else f"inv{int(rng.integers(0, 12))}" for _ in range(n)
            ],
        }
    )
    # Exactly three victims of "other" sex this year: a small count to hide.
    this_year = (frame["recorded_date"] >= dt.date(2024, 4, 1)) & (
        frame["recorded_date"] <= dt.date(2025, 3, 31)
    )
    frame.loc[frame["victim_sex"] == "other", "victim_sex"] = "male"
    frame.loc[frame.index[this_year][:3], "victim_sex"] = "other"
    batch = ImportBatch.objects.create(
        force=force,
        kind=ImportBatch.Kind.RECORDS,
        file_name="crafted.csv",
        file_sha256=f"crafted-{prefix}",
        status=ImportBatch.Status.SUCCEEDED,
    )
    CrimeRecord.objects.bulk_create(
        CrimeRecord(
            force=force, batch=batch, **{k: (None if v is pd.NaT else v) for k, v in row.items()}
        )
        for row in frame.astype(object).where(frame.notna(), None).to_dict("records")
    )
    frame["recorded_date"] = pd.to_datetime(frame["recorded_date"])
    frame["outcome_date"] = pd.to_datetime(frame["outcome_date"])
    return frame


# --- the independent computation ---------------------------------------------------------


def age_band(age) -> str:
    if age is None or pd.isna(age):
        return "Not recorded"
    for limit, label in (
        (16, "Under 16"),
        (18, "16 to 17"),
        (25, "18 to 24"),
        (40, "25 to 39"),
        (60, "40 to 59"),
    ):
        if age < limit:
            return label
    return "60 and over"


def in_year(frame, column, year):
    first, last = YEARS[year]
    return frame[(frame[column] >= pd.Timestamp(first)) & (frame[column] <= pd.Timestamp(last))]


def expected_figures(frame: pd.DataFrame) -> dict:
    """(table, row, column) -> ("count" | "percent" | "days" | "number", value)."""
    out = {}
    for year, (_first, last) in YEARS.items():
        end = pd.Timestamp(last)
        cohort = in_year(frame, "recorded_date", year)
        total = len(cohort)
        # Demand: recorded by month.
        for month in range(12):
            this = pd.Timestamp(YEARS["This year"][0]) + pd.DateOffset(months=month)
            label = f"{this:%b %Y}"
            column = "Recorded" if year == "This year" else "Same month a year earlier"
            when = this if year == "This year" else this - pd.DateOffset(years=1)
            hits = (cohort["recorded_date"].dt.year == when.year) & (
                cohort["recorded_date"].dt.month == when.month
            )
            out[("by-month", label, column)] = ("count", int(hits.sum()))
        for code, count in cohort["offence_code"].value_counts().items():
            out[("by-code", code, year)] = ("count", int(count))
        still_open = frame[
            (frame["recorded_date"] <= end)
            & (frame["outcome_date"].isna() | (frame["outcome_date"] > end))
        ]
        ages = (end - still_open["recorded_date"]).dt.days
        for low, high, label in (
            (0, 91, "Under 3 months"),
            (91, 182, "3 to 6 months"),
            (182, 365, "6 to 12 months"),
            (365, 730, "1 to 2 years"),
            (730, 99999, "2 years or more"),
        ):
            out[("open-age", label, year)] = ("count", int(((ages >= low) & (ages < high)).sum()))
        out[("open-age", "Total", year)] = ("count", len(still_open))
        loads = still_open[still_open["investigator_ref_hash"] != ""][
            "investigator_ref_hash"
        ].value_counts()
        for low, high, label in (
            (1, 6, "1 to 5 cases"),
            (6, 11, "6 to 10 cases"),
            (11, 16, "11 to 15 cases"),
            (16, 21, "16 to 20 cases"),
            (21, 99999, "21 or more cases"),
        ):
            out[("caseload", label, year)] = ("count", int(((loads >= low) & (loads < high)).sum()))
        out[("caseload", "Above the threshold of 15", year)] = ("count", int((loads > 15).sum()))
        out[("caseload", "Median caseload", year)] = ("number", float(loads.median()))
        out[("caseload", "Mean caseload", year)] = ("number", float(loads.mean()))
        # Victims.
        bands = cohort["victim_age"].map(age_band)
        known = int((bands != "Not recorded").sum())
        for label, count in bands.value_counts().items():
            out[("victim-age_band", label, year)] = ("count", int(count))
            if label != "Not recorded":
                out[("victim-age_band", label, f"{year}'s share")] = ("percent", count / known)
        under = int(bands.isin(["Under 16", "16 to 17"]).sum())
        out[("victim-age_band", "Under 18 (share of victims whose age is recorded)", year)] = (
            "count",
            under,
        )
        out[
            (
                "victim-age_band",
                "Under 18 (share of victims whose age is recorded)",
                f"{year}'s share",
            )
        ] = ("percent", under / known)
        out[("victim-age_band", "Total", year)] = ("count", total)
        names = {
            "sex": ("victim_sex", {"female": "Female", "male": "Male", "other": "Other"}),
            "disability": ("victim_disability", {"yes": "Disabled", "no": "Not disabled"}),
            "ethnicity": (
                "victim_ethnicity",
                {
                    "white": "White",
                    "asian": "Asian or Asian British",
                    "black": "Black or Black British",
                    "mixed": "Mixed or multiple",
                    "other": "Other ethnic group",
                },
            ),
        }
        for slug, (column, labels) in names.items():
            values = cohort[column]
            recorded_known = int((values != "").sum())
            for code, label in labels.items():
                count = int((values == code).sum())
                out[(f"victim-{slug}", label, year)] = ("count", count)
                out[(f"victim-{slug}", label, f"{year}'s share")] = (
                    "percent",
                    count / recorded_known,
                )
            out[(f"victim-{slug}", "Not recorded", year)] = ("count", int((values == "").sum()))
        # Relationships.
        rel_labels = {
            "partner": "Partner or ex-partner",
            "family": "Family member",
            "acquaintance": "Acquaintance or friend",
            "stranger": "Stranger",
            "online": "Online contact",
            "professional": "Position of trust or professional",
            "other": "Other",
            "": "Not recorded",
        }
        for code, label in rel_labels.items():
            if year == "This year":
                for group, name in (("rape", "Rape"), ("other", "Other sexual offences")):
                    part = cohort[cohort["offence_group"] == group]
                    out[("rel-by-offence", label, name)] = (
                        "count",
                        int((part["relationship"] == code).sum()),
                    )
                out[("rel-by-offence", label, "All RASSO")] = (
                    "count",
                    int((cohort["relationship"] == code).sum()),
                )
            else:
                out[("rel-by-offence", label, "Previous year")] = (
                    "count",
                    int((cohort["relationship"] == code).sum()),
                )
        # Suspects: named in 2+ reports recorded in the 3 years to the year's end.
        history = frame[
            (frame["recorded_date"] > end - pd.DateOffset(years=3))
            & (frame["recorded_date"] <= end)
        ]
        reports = history[history["suspect_ref_hash"] != ""]["suspect_ref_hash"].value_counts()
        repeaters = set(reports[reports >= 2].index)
        named = set(cohort[cohort["suspect_ref_hash"] != ""]["suspect_ref_hash"])
        out[("repeat", "Named suspects", year)] = ("count", len(named))
        out[("repeat", "Repeat suspects", year)] = ("count", len(named & repeaters))
        out[("repeat", "Repeat-suspect share", year)] = (
            "percent",
            len(named & repeaters) / len(named),
        )
        linked = cohort[cohort["suspect_ref_hash"] != ""]["suspect_ref_hash"].value_counts()
        for label, ok in (
            ("1 report", linked == 1),
            ("2 reports", linked == 2),
            ("3 or 4 reports", linked.between(3, 4)),
            ("5 or more reports", linked >= 5),
        ):
            out[("reports-per-suspect", label, year)] = ("count", int(ok.sum()))
        out[("reports-per-suspect", "Reports with no named suspect", year)] = (
            "count",
            int((cohort["suspect_ref_hash"] == "").sum()),
        )
        # Outcomes as at the year's end.
        decided = cohort["outcome_date"].notna() & (cohort["outcome_date"] <= end)
        status = cohort["outcome_type"].map(OUTCOME_GROUPS).where(decided, "Still open")
        for label in [*dict.fromkeys(OUTCOME_GROUPS.values()), "Still open"]:
            count = int((status == label).sum())
            out[("attrition", label, year)] = ("count", count)
            out[("attrition", label, f"{year}'s share")] = ("percent", count / total)
            if label != "Still open":
                days = (cohort["outcome_date"] - cohort["recorded_date"]).dt.days[status == label]
                if len(days) >= 5:
                    out[("median-days", label, year)] = ("days", float(days.median()))
        withdrawn = cohort[status == "Evidential difficulties, victim does not support action"]
        stages = {
            "report": "At or soon after report",
            "investigation": "During investigation",
            "pre_charge": "Awaiting charging decision",
            "post_charge": "After charge",
            "": "Not recorded",
        }
        for code, label in stages.items():
            out[("withdrawal-stage", label, year)] = (
                "count",
                int((withdrawn["withdrawal_stage"] == code).sum()),
            )
        # Data gaps.
        rate = f"{year}'s rate"
        for label, blank, base in (
            ("Victim age", cohort["victim_age"].isna(), cohort),
            ("Victim ethnicity", cohort["victim_ethnicity"] == "", cohort),
            ("Relationship context", cohort["relationship"] == "", cohort),
            ("Named suspect", cohort["suspect_ref_hash"] == "", cohort),
            (
                "Whether the victim supports action",
                cohort["victim_supports_prosecution"] == "",
                cohort,
            ),
            ("Withdrawal stage (of withdrawals)", withdrawn["withdrawal_stage"] == "", withdrawn),
            (
                "Investigator (of open investigations)",
                still_open["investigator_ref_hash"] == "",
                still_open,
            ),
        ):
            out[("missing", label, year)] = ("count", int(blank.sum()))
            out[("missing", label, rate)] = ("percent", int(blank.sum()) / len(base))
    return out


# --- reading the page and the workbook ---------------------------------------------------


class Tables(HTMLParser):
    """Each profile table as {(row label, column header): cell text}, and each title."""

    def __init__(self):
        super().__init__()
        self.tables, self.titles, self._table, self._title = {}, {}, None, None
        self._row, self._text, self._in_cell, self._headers = [], "", False, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "h3" and (attrs.get("id") or "").endswith("-title"):
            self._title, self._text = attrs["id"][: -len("-title")], ""
        if tag == "table" and (attrs.get("id") or "").startswith("table-"):
            self._table = attrs["id"][len("table-") :]
            self.tables[self._table], self._headers = {}, []
        if self._table and tag in ("th", "td"):
            self._in_cell, self._text = True, ""
        if self._table and tag == "tr":
            self._row = []

    def handle_data(self, data):
        if self._in_cell or self._title:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "h3" and self._title:
            self.titles[self._title], self._title = self._text.strip(), None
        if self._table and tag in ("th", "td"):
            self._row.append(self._text.strip())
            self._in_cell = False
        if self._table and tag == "tr":
            if not self._headers:
                self._headers = self._row
            else:
                for header, text in zip(self._headers[1:], self._row[1:], strict=True):
                    self.tables[self._table][(self._row[0], header)] = text
        if tag == "table":
            self._table = None


def matches(text: str, kind: str, value: float) -> bool:
    if kind == "count":
        return text == f"{value:,}" or (text == "<5" and 1 <= value <= 4) or text == "withheld"
    if text == "–":  # the share of a hidden count
        return kind == "percent"
    if kind == "percent":
        return text == f"{value * 100:.1f}%"
    number = float(text.replace(",", ""))
    return abs(number - value) <= (0.5 if abs(value) >= 10 else 0.05)


@pytest.fixture
def profile_page(alice_client, force_a):
    cache.clear()
    frame = crafted_records(force_a)
    response = alice_client.get(f"/forces/{force_a.slug}/problem-profile/?end={END}&offence=all")
    assert response.status_code == 200
    parser = Tables()
    parser.feed(response.content.decode())
    return frame, parser


def test_every_figure_on_the_page_is_the_records_own(profile_page):
    frame, page = profile_page
    expected = expected_figures(frame)
    shown = 0
    for (table, row, column), (kind, value) in expected.items():
        text = page.tables[table][(row, column)]
        assert matches(text, kind, value), (table, row, column, text, value)
        shown += text not in ("<5", "withheld", "–")
    # Disclosure control hides some figures, never most of them.
    assert shown > 0.8 * len(expected)
    hidden = [
        t for table in page.tables.values() for t in table.values() if t in ("<5", "withheld")
    ]
    assert hidden, "the crafted records have small counts, which must be hidden"


def test_small_counts_are_hidden_and_cannot_be_worked_back(profile_page):
    frame, page = profile_page
    sex = page.tables["victim-sex"]
    other = int((in_year(frame, "recorded_date", "This year")["victim_sex"] == "other").sum())
    assert other == 3
    assert sex[("Other", "This year")] == "<5"
    # The total is shown, so a second count in the column is withheld or also small.
    column = [sex[(label, "This year")] for label in ("Female", "Male", "Other", "Not recorded")]
    assert sum(text in ("<5", "withheld") for text in column) >= 2


def test_the_workbook_has_a_sheet_per_section_with_the_same_figures(
    profile_page, alice_client, force_a
):
    frame, page = profile_page
    response = alice_client.get(
        f"/forces/{force_a.slug}/problem-profile/download.xlsx?end={END}&offence=all"
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Demand",
        "Victims",
        "Relationships",
        "Suspects",
        "Outcomes and attrition",
        "Data gaps",
        "About",
    ]
    cells = {}
    for sheet in book.worksheets[:-1]:
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0] == ("table", "row", "column", "value", "shown as")
        for title, row, column, value, text in rows[1:]:
            cells[(title, row, column)] = (value, text)
    about = dict(book["About"].iter_rows(values_only=True))
    assert about["Latest crime-record import"]  # what its data is as at (soteria.exports)
    assert about["File generated"]
    assert about["This year"] == "Apr 2024 to Mar 2025"
    titles = page.titles
    checked = 0
    for (table, row, column), (kind, expected) in expected_figures(frame).items():
        candidates = [
            v for (t, r, c), v in cells.items() if t == titles[table] and r == row and c == column
        ]
        assert candidates, (table, row, column)
        for value, text in candidates:
            if value is None:
                assert text in ("<5", "withheld", "–", "too few")
            elif kind == "count":
                assert value == expected and isinstance(value, int)
            else:
                assert abs(value - expected) < 1e-9, (table, row, column, value, expected)
                checked += 1
    assert checked > 50


def test_the_zip_holds_a_csv_per_section(alice_client, force_a):
    crafted_records(force_a, n=200)
    response = alice_client.get(f"/forces/{force_a.slug}/problem-profile/download.zip")
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert len(names) == 7 and names[-1].endswith("-about.csv")


def test_another_force_and_a_bad_quarter_are_refused(alice_client, bob, force_a):
    crafted_records(force_a, n=50)
    url = f"/forces/{force_a.slug}/problem-profile/"
    bob_client = Client()
    bob_client.force_login(bob)
    assert bob_client.get(url).status_code == 404
    assert bob_client.get(url + "download.xlsx").status_code == 404
    bad = alice_client.get(url + "?end=2099-00-q9")
    assert bad.status_code == 400
    assert "12 months ending: Select a valid choice" in bad.content.decode()
    assert alice_client.get(url + "download.pdf").status_code == 404


def test_a_force_without_records_is_told_so(alice_client, force_a):
    page = alice_client.get(f"/forces/{force_a.slug}/problem-profile/")
    assert page.status_code == 200
    assert "no crime records yet" in page.content.decode()


def test_the_page_keeps_a_constant_number_of_queries(
    alice_client, force_a, django_assert_num_queries
):
    """Session, user, memberships, the navigation's unread notifications, the data version
    (batches, then the records' span) and, on the first request for a profile, one read of
    the force's records; none once cached."""
    cache.clear()
    crafted_records(force_a, n=300)
    url = f"/forces/{force_a.slug}/problem-profile/?end={END}"
    with django_assert_num_queries(7):
        assert alice_client.get(url).status_code == 200
    with django_assert_num_queries(7):
        assert alice_client.get(url + "&offence=rape").status_code == 200
    with django_assert_num_queries(6) as cached:
        assert alice_client.get(url).status_code == 200
    assert not any('"offence_code"' in q["sql"] for q in cached.captured_queries)


def test_an_import_replaces_the_cached_profile(alice_client, force_a):
    cache.clear()
    first = crafted_records(force_a, n=200)
    url = f"/forces/{force_a.slug}/problem-profile/?end={END}"
    parser = Tables()
    parser.feed(alice_client.get(url).content.decode())
    before = parser.tables["by-month"][("Total", "Recorded")]
    assert before == str(len(in_year(first, "recorded_date", "This year")))
    second = crafted_records(force_a, n=150, seed=8, prefix="new")
    parser = Tables()
    parser.feed(alice_client.get(url).content.decode())
    both = len(in_year(first, "recorded_date", "This year")) + len(
        in_year(second, "recorded_date", "This year")
    )
    assert parser.tables["by-month"][("Total", "Recorded")] == str(both)


def test_the_problem_profile_kpi_links_to_the_profile_of_its_quarter(alice_client, force_a):
    """The evidence KPI "problem profile" records only when one was completed; its drill-down
    and its tile open the profile generated for the 12 months to the quarter shown."""
    from kpis.engine.snapshots import compute_snapshots
    from soteria.periods import Period

    crafted_records(force_a, n=300)
    compute_snapshots(force=force_a, period=Period.parse(END))
    profile = f"/forces/{force_a.slug}/problem-profile/?end={END}&amp;offence=all"
    detail = alice_client.get(f"/forces/{force_a.slug}/kpis/problem-profile/?period={END}")
    assert detail.status_code == 200
    assert f'href="{profile}"' in detail.content.decode()
    deck = alice_client.get(f"/forces/{force_a.slug}/flight-deck/?period={END}")
    assert f'href="{profile}"' in deck.content.decode()
    page = alice_client.get(profile.replace("&amp;", "&"))
    assert page.status_code == 200
    assert "Apr 2024 to Mar 2025" in page.content.decode()


# --- the printed profile -----------------------------------------------------------------

# Each section's headline: (table, row), read on the page and found in the PDF's text.
HEADLINES = [
    ("by-month", "Total"),
    ("open-age", "Total"),
    ("victim-age_band", "Total"),
    ("victim-sex", "Female"),
    ("repeat-victims", "Repeat-victim share"),
    ("rel-by-offence", "Total"),
    ("repeat", "Named suspects"),
    ("repeat", "Repeat-suspect share"),
    ("suspect-suspect_sex", "Male"),
    ("attrition", "Charged or summonsed"),
    ("by-area", "Total"),
    ("missing", "Victim sex"),
]
SECTIONS = [
    "Demand",
    "Victims",
    "Relationships",
    "Suspects",
    "Outcomes and attrition",
    "Where",
    "Data gaps",
]


def with_optional_columns(force) -> None:
    """The extract's optional columns on the crafted records: suspects' characteristics,
    victim references (some victims in several reports) and local policing areas."""
    for number, record in enumerate(CrimeRecord.objects.filter(force=force).order_by("pk")):
        record.suspect_sex = ["male", "male", "female", ""][number % 4]
        record.suspect_age_band = ["18-24", "25-39", "40-59", ""][number % 4]
        record.suspect_ethnicity = ["white", "asian", "black", ""][number % 4]
        record.victim_ref_hash = f"vic{number % 700:04d}"
        record.policing_area = ["North", "South", "East", "West", ""][number % 5]
        record.save()


def _words(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def test_the_pdf_shows_each_sections_headline_as_the_page_does(
    alice_client, force_a, django_capture_on_commit_callbacks
):
    """Given crafted records with every optional column, when Alice downloads the profile as
    a PDF, then each section is in its contents on the page it starts, and each section's
    headline figures read as on the page (disclosure control as on the page)."""
    cache.clear()
    crafted_records(force_a, n=600)
    with_optional_columns(force_a)
    query = f"?end={END}&offence=all"
    page = Tables()
    page.feed(alice_client.get(f"/forces/{force_a.slug}/problem-profile/{query}").content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        asked = alice_client.post(f"/forces/{force_a.slug}/problem-profile/pdf/{query}")
    assert asked.status_code == 302
    download = alice_client.get(asked["Location"])
    assert download.status_code == 200
    assert download["Content-Disposition"].endswith(
        f'{force_a.slug}-problem-profile-{END}-all.pdf"'
    )
    reader = PdfReader(io.BytesIO(b"".join(download.streaming_content)))
    pages = [_words(p.extract_text()) for p in reader.pages]
    total = len(pages)
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in text
    contents = pages[0].split(" Contents ", 1)[1]
    assert "Data as at: crime records imported" in pages[0] or "Data as at:" in pages[0]
    for number, title in enumerate(SECTIONS, start=1):
        listed = re.search(rf"{number}\. {re.escape(title)} (\d+)", contents)
        assert listed, title
        assert f"{number}. {title}" in pages[int(listed.group(1)) - 1]
    printed = " ".join(pages)
    for table, row in HEADLINES:
        columns = [c for (r, c) in page.tables[table] if r == row]
        assert columns, (table, row)
        cells = " ".join(page.tables[table][(row, c)] for c in columns)
        assert f"{row} {cells}" in printed, (table, row, cells)
    hidden = [t for t in page.tables["victim-sex"].values() if t in ("<5", "withheld")]
    assert hidden and all(t in printed for t in hidden)


def test_the_pdf_is_the_forces_own(alice_client, bob, force_a):
    """Asked for twice, one job (queued, not printed here: the test above prints); Bob, of
    another force, can neither ask for it nor fetch it or its progress by number."""
    crafted_records(force_a, n=60)
    location = alice_client.post(f"/forces/{force_a.slug}/problem-profile/pdf/")["Location"]
    made = ProfilePdf.objects.get()
    assert (made.end, made.offence_group) == (END, "all")
    waiting = alice_client.get(location)
    assert waiting.status_code == 200 and "the PDF downloads when it is ready" in waiting.text
    assert alice_client.get(location + "progress").json()["done"] is False
    again = alice_client.post(f"/forces/{force_a.slug}/problem-profile/pdf/")
    assert again["Location"] == location and ProfilePdf.objects.count() == 1
    bob_client = Client()
    bob_client.force_login(bob)
    assert bob_client.get(location).status_code == 404
    assert bob_client.get(location + "progress").status_code == 404
    assert bob_client.post(f"/forces/{force_a.slug}/problem-profile/pdf/").status_code == 404
    assert alice_client.get(f"/forces/{force_a.slug}/problem-profile/pdf/").status_code == 405
