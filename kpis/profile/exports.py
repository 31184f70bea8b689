"""The profile as downloads: a workbook with one sheet per section (and an About sheet), or
a ZIP of one CSV per section. Each row is one figure, a number as a number; a hidden
figure's value is empty and its "shown as" says why. Written through soteria/exports.py."""

from soteria.exports import Table

from .services import Profile

COLUMNS = ["table", "row", "column", "value", "shown as"]
NUMBER_FORMATS = {"count": "integer", "percent": "percent"}


def section_tables(profile: Profile) -> list[Table]:
    tables = []
    for section in profile.sections:
        rows, kinds = [], []
        for table in section.tables:
            for label, cells in table.rows:
                for column, cell in zip(table.columns[1:], cells, strict=True):
                    value = cell.shown if cell.kind != "text" else cell.value
                    rows.append([table.title, label, column, value, cell.text])
                    kinds.append({"value": NUMBER_FORMATS.get(cell.kind, "decimal")})
        tables.append(Table(section.title, COLUMNS, rows, row_kinds=kinds))
    return tables


def about_items(profile: Profile) -> list[tuple[str, str]]:
    """What the download is about; soteria.exports adds what its data is as at."""
    items = [
        ("Title", f"RASSO problem profile: {profile.force_name}"),
        ("Protective marking", "OFFICIAL-SENSITIVE: do not share outside the force"),
        ("This year", profile.window.label),
        ("Previous year", profile.previous.label),
        ("Offences", profile.offence_label),
        ("Source", "The force's own crime records (record-level extract)"),
        (
            "Disclosure control",
            f"Counts from 1 to {profile.threshold - 1} are shown as <{profile.threshold} (so is "
            "a 0 where that protects one); "
            "further counts are withheld where they would let a hidden count be worked out. "
            "A hidden figure's value is empty.",
        ),
    ]
    items += [(section.title, section.intro) for section in profile.sections]
    return items
