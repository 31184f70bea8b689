"""Missing-data KPIs for every characteristic an extract carries: the victim's sexual
orientation, religion and gender identity and the named suspect's sex, age band and
ethnicity, beside the victim's sex, ethnicity, age, disability and relationship context.

Alice's force imports a crafted extract; what her flight deck and drill-downs say is checked
against a plain count of the rows written here. A column her extract leaves out reads "not
supplied", never 100% missing; a column it carries but leaves blank is 100% missing; a
missing count from 1 to 4 is never shown, on the tile, in its caption or the drill-down.
Bob, in force B, cannot read any of it."""

import csv
import datetime as dt
import html
import io
import re

import pytest
from django.core.cache import cache

from kpis.engine.snapshots import compute_snapshots
from kpis.imports.columns import COLUMNS
from kpis.models import ImportBatch, KpiSnapshot, KpiTarget
from soteria.periods import Period

from .import_helpers import record, run_import
from .test_recompute import forget_loaded_records

pytestmark = pytest.mark.django_db

Q1 = Period.parse("2024-25-q1")  # April to June 2024
# The extract carries religion and gender identity (blank in every row) for victims, and sex
# and ethnicity for suspects; not sexual orientation, nor the suspect's age band.
CARRIED = ["victim_religion", "victim_gender_identity", "suspect_sex", "suspect_ethnicity"]


@pytest.fixture(autouse=True)
def today_is_1_june_2025(time_machine):
    time_machine.move_to(dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC), tick=False)
    cache.clear()


def write(path, rows: list[dict], header: list[str]):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(h, "") for h in header])
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def crafted_rows() -> list[dict]:
    """40 rapes and 12 other sexual offences recorded in the quarter, all still open.

    Rapes: religion blank in 10; the victim's ethnicity blank in 2; 30 with a named suspect,
    whose sex is blank in 6 and ethnicity in 3 (the 10 without one have neither, as they
    would not). Other offences: ethnicity blank in 6, nothing else blank, no named suspect.
    """
    rows = []
    for i in range(40):
        named = i < 30
        rows.append(
            record(
                crime_reference=f"R/{i}",
                recorded_date=f"2024-{4 + i % 3:02d}-{10 + i % 15:02d}",
                outcome_type="",
                outcome_date="",
                victim_ethnicity="" if i in (10, 11) else "white",
                victim_religion="" if i % 4 == 0 else ["christian", "no religion", "Muslim"][i % 3],
                suspect_reference=f"SUS-{i}" if named else "",
                suspect_sex=("" if i % 5 == 0 else "male") if named else "",
                suspect_ethnicity=("" if i in (1, 2, 3) else "asian") if named else "",
            )
        )
    for i in range(12):
        rows.append(
            record(
                crime_reference=f"O/{i}",
                offence_code="20A",
                recorded_date="2024-05-20",
                outcome_type="",
                outcome_date="",
                victim_ethnicity="" if i < 6 else "black",
                victim_religion="hindu",
                suspect_reference="",
            )
        )
    return rows


@pytest.fixture
def imported(tmp_path, force_a):
    rows = crafted_rows()
    batch = run_import(write(tmp_path / "x.csv", rows, COLUMNS + CARRIED), force=force_a)
    assert batch.status == ImportBatch.Status.SUCCEEDED, batch.errors
    assert sorted(batch.optional_columns) == sorted(CARRIED)
    compute_snapshots(force=force_a, period=Q1)
    return rows


def recount(rows, column, *, offence="all", named=False):
    """The independent count: (blank, of) over the quarter's rows of the offence group."""
    groups = {"rape": {"19C"}, "other": {"20A"}, "all": {"19C", "20A"}}[offence]
    base = [r for r in rows if r["offence_code"] in groups]
    if named:
        base = [r for r in base if r["suspect_reference"]]
    return sum(1 for r in base if r.get(column, "") == ""), len(base)


def deck(client, force, offence="all") -> str:
    return client.get(
        f"/forces/{force.slug}/flight-deck/?period={Q1.slug}&offence={offence}"
    ).content.decode()


def tile(body: str, slug: str) -> dict:
    match = re.search(rf'<article class="kpi-tile[^"]*" id="kpi-{slug}".*?</article>', body, re.S)
    assert match, f"no tile for {slug}"
    markup = match.group(0)

    def text(css):
        found = re.search(rf'class="{css}[^"]*"[^>]*>(.*?)</(?:p|span)>', markup, re.S)
        return html.unescape(re.sub(r"<[^>]+>|\s+", " ", found.group(1))).strip() if found else ""

    return {
        "value": text("kpi-value"),
        "caption": text("kpi-caption"),
        "rag": text("rag"),
        "reason": text("kpi-rag-reason").removeprefix("— "),
    }


def drilldown(client, force, slug, offence="all") -> str:
    body = client.get(
        f"/forces/{force.slug}/kpis/{slug}/?period={Q1.slug}&offence={offence}"
    ).content.decode()
    body = re.sub(r"<script.*?</script>", "", body, flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


def percent(missing: int, of: int) -> str:
    return f"{missing / of * 100:.1f}%"


@pytest.mark.parametrize(
    "slug, column, offence, named",
    [
        ("missing-religion", "victim_religion", "rape", False),
        ("missing-religion", "victim_religion", "all", False),
        ("missing-suspect-sex", "suspect_sex", "rape", True),
        ("missing-suspect-sex", "suspect_sex", "all", True),
        ("missing-ethnicity", "victim_ethnicity", "all", False),
    ],
)
def test_a_carried_characteristic_reads_its_share_missing_as_a_recount_gives(
    imported, alice_client, force_a, slug, column, offence, named
):
    missing, of = recount(imported, column, offence=offence, named=named)
    assert missing >= 5  # shown: not a small count
    shown = tile(deck(alice_client, force_a, offence), slug)
    assert shown["value"] == percent(missing, of)
    assert shown["caption"].endswith(f": {missing} of {of}")


def test_the_suspects_figures_count_only_offences_with_a_named_suspect(
    imported, alice_client, force_a
):
    snapshot = KpiSnapshot.objects.get(
        force=force_a, kpi__slug="missing-suspect-sex", period=Q1.slug, offence_group="rape"
    )
    assert (snapshot.numerator, snapshot.denominator) == (6, 30)  # not 16 of 40
    page = drilldown(alice_client, force_a, "missing-suspect-sex", "rape")
    assert "with a named suspect" in page


def test_a_column_carried_but_blank_in_every_row_is_all_missing(imported, alice_client, force_a):
    missing, of = recount(imported, "victim_gender_identity")
    assert missing == of == 52
    shown = tile(deck(alice_client, force_a), "missing-gender-identity")
    assert shown["value"] == "100.0%" and shown["caption"].endswith(": 52 of 52")


@pytest.mark.parametrize("slug", ["missing-sexual-orientation", "missing-suspect-age"])
@pytest.mark.parametrize("offence", ["all", "rape", "other"])
def test_a_column_the_extract_leaves_out_reads_not_supplied_not_missing(
    imported, alice_client, force_a, slug, offence
):
    shown = tile(deck(alice_client, force_a, offence), slug)
    assert shown["value"] == "Not supplied"
    assert shown["rag"] == "Not applicable: not supplied"
    column = {"missing-sexual-orientation": "victim_sexual_orientation"}.get(
        slug, "suspect_age_band"
    )
    assert f"has no {column} column" in shown["reason"]
    assert "100" not in shown["value"] + shown["caption"]
    page = drilldown(alice_client, force_a, slug, offence)
    assert "Status Not supplied in the force's extract" in page
    assert "Numerator – Denominator –" in page
    # Never supplied: no empty chart and no control limits, only the trend's table.
    assert "there is nothing to chart" in page and "Statistical process control" not in page


def test_a_small_missing_count_is_never_shown(imported, alice_client, force_a):
    """3 of the 30 named suspects' ethnicity is blank: "<5", and a share only as a bound
    (5 of 30 is 16.7%, so under it), on the tile, its caption and the drill-down."""
    assert recount(imported, "suspect_ethnicity", offence="rape", named=True) == (3, 30)
    for offence in ("rape", "all"):
        shown = tile(deck(alice_client, force_a, offence), "missing-suspect-ethnicity")
        assert shown["value"] == "<16.7%"
        assert shown["caption"].endswith(": <5 of 30")
        page = drilldown(alice_client, force_a, "missing-suspect-ethnicity", offence)
        quarter = page[page.index("This quarter") : page.index("Trend")]
        assert "Value <16.7% Status Computed Numerator <5 Denominator 30" in quarter
        assert "10.0%" not in page and " 3 " not in quarter
        trend = page[page.index("Quarter or window") : page.index("Statistical process")]
        assert "2024/25 Q1 <16.7% <5 30 – Computed" in trend
        table = page[page.index("Group Count Of Share") :]
        assert table.startswith("Group Count Of Share 95% interval Recorded withheld 30 – – ")
        assert "Not recorded <5 30 – –" in table
        stored = KpiSnapshot.objects.get(
            force=force_a,
            kpi__slug="missing-suspect-ethnicity",
            period=Q1.slug,
            offence_group=offence,
        )
        assert (stored.value, stored.numerator, stored.ci_low, stored.suppressed) == (
            None,
            None,
            None,
            True,
        )


def test_a_missing_count_that_would_give_a_small_one_away_is_withheld(
    imported, alice_client, force_a
):
    """Rapes lack 2 victims' ethnicity (shown "<5"), other offences 6 and all RASSO 8: the
    rapes' 2 is all RASSO's 8 less the other offences' 6, so the 6 is withheld too."""
    assert [recount(imported, "victim_ethnicity", offence=o) for o in ("rape", "other", "all")] == [
        (2, 40),
        (6, 12),
        (8, 52),
    ]
    rape = tile(deck(alice_client, force_a, "rape"), "missing-ethnicity")
    assert rape["value"] == "<12.5%" and rape["caption"].endswith(": <5 of 40")
    other = tile(deck(alice_client, force_a, "other"), "missing-ethnicity")
    assert other["value"] == "Withheld" and other["rag"] == "Grey: withheld"
    assert "6" not in other["caption"]
    every = tile(deck(alice_client, force_a, "all"), "missing-ethnicity")
    assert every["value"] == percent(8, 52)


def test_a_withheld_share_is_judged_by_the_range_it_lies_in(imported, alice_client, force_a):
    """Under 16.7% missing is wholly below a 20% target (green), but not below 10% (amber)."""
    kpi = KpiSnapshot.objects.filter(kpi__slug="missing-suspect-ethnicity").first().kpi
    for value, rag in ((20, "Green: on target"), (10, "Amber: cannot yet tell")):
        KpiTarget.objects.filter(force=force_a, kpi=kpi).delete()
        KpiTarget.objects.create(
            force=force_a, kpi=kpi, offence_group="rape", value=value, effective_from=Q1.slug
        )
        cache.clear()
        shown = tile(deck(alice_client, force_a, "rape"), "missing-suspect-ethnicity")
        assert shown["rag"] == rag
        assert shown["reason"].startswith("<5 of 30, so <16.7%")


def test_offences_from_an_extract_without_the_column_are_left_out_of_both_counts(
    tmp_path, alice_client, force_a
):
    """Two extracts in one quarter, only the second with sexual orientation: its 20 rapes
    (5 blank) are the figure; the first's 10 count neither as recorded nor as missing."""
    first = [
        record(crime_reference=f"A/{i}", recorded_date="2024-04-15", outcome_type="")
        for i in range(10)
    ]
    first = [{**r, "outcome_date": ""} for r in first]
    second = [
        {
            **record(crime_reference=f"B/{i}", recorded_date="2024-06-20", outcome_type=""),
            "outcome_date": "",
            "victim_sexual_orientation": "" if i < 5 else "bisexual",
        }
        for i in range(20)
    ]
    run_import(write(tmp_path / "a.csv", first, COLUMNS), force=force_a)
    batch = run_import(
        write(tmp_path / "b.csv", second, [*COLUMNS, "victim_sexual_orientation"]), force=force_a
    )
    assert batch.status == ImportBatch.Status.SUCCEEDED, batch.errors
    compute_snapshots(force=force_a, period=Q1)
    shown = tile(deck(alice_client, force_a, "rape"), "missing-sexual-orientation")
    assert shown["value"] == percent(5, 20) and shown["caption"].endswith(": 5 of 20")
    page = drilldown(alice_client, force_a, "missing-sexual-orientation", "rape")
    assert "Left out Offences from extracts without this column" in page
    # The victim's sex, a column every extract has, counts all 30.
    assert tile(deck(alice_client, force_a, "rape"), "missing-sex")["caption"].endswith("0 of 30")


def test_bob_cannot_read_alices_missing_data(imported, bob_client, force_a):
    response = bob_client.get(f"/forces/{force_a.slug}/kpis/missing-religion/?period={Q1.slug}")
    assert response.status_code == 404


def test_a_withheld_headline_count_reads_withheld_on_the_tile_and_in_the_csv(
    tmp_path, alice_client, force_a
):
    """12 named suspects in the quarter's rapes, 3 of them named twice: "3 of 12" would show
    a count of people under 5, so the repeat-suspect share is withheld, and says so."""
    rows = [
        record(
            crime_reference=f"R/{i}", recorded_date="2024-05-02", suspect_reference=f"S-{i % 12}"
        )
        for i in range(15)
    ]
    forget_loaded_records()  # another test's frames, under the same batch id and frozen time
    batch = run_import(write(tmp_path / "r.csv", rows, COLUMNS), force=force_a)
    assert batch.status == ImportBatch.Status.SUCCEEDED, batch.errors
    compute_snapshots(force=force_a, period=Q1)
    shown = tile(deck(alice_client, force_a, "rape"), "repeat-suspect-share")
    assert shown["value"] == "Withheld" and shown["rag"] == "Grey: withheld"
    assert shown["caption"].startswith("Withheld by disclosure control")
    assert not re.search(r"\b(3|12)\b", shown["caption"])
    download = alice_client.get(
        f"/forces/{force_a.slug}/flight-deck/download.csv", {"period": Q1.slug, "offence": "rape"}
    )
    row = next(
        r
        for r in csv.DictReader(io.StringIO(download.content.decode("utf-8-sig")))
        if r["kpi"] == "repeat-suspect-share"
    )
    assert (row["status"], row["value"], row["numerator"], row["rag"]) == (
        "withheld",
        "",
        "",
        "grey",
    )
