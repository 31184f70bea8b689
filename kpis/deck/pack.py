"""The quarterly board pack: the whole flight deck as one document, and its PDF.

The pack reads the same tiles as the deck (kpis/deck/readings.py), so it shows exactly
the figures the deck shows, with each KPI's trend drawn as inline SVG (printable without
script), the assurance narrative, the quarter's commentary, the data-as-at line, the
protective marking and the suppression rule. The PDF is the same HTML printed to A4 by
headless Chromium (soteria/printing.py): printed once to learn on which page each section
starts, then again with those pages in the contents.
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone

from soteria import printing
from soteria.models import Force, FrameworkElement
from soteria.periods import Period

from ..engine import spc
from ..engine.as_at import kpi_data_as_at
from ..engine.formatting import format_value
from ..engine.models import Kpi, OffenceGroup
from . import control, readings
from .exports import PROTECTIVE_MARKING, suppression_rule
from .models import BoardPack, KpiCommentary

RAGS = ("red", "amber", "green", "grey")


@dataclass
class Signal:
    kpi: Kpi
    text: str


@dataclass
class Entry:
    """A line of the contents: the section's anchor, its numbered heading and its size."""

    anchor: str
    heading: str
    count: str = ""


def pack_version(*, force: Force) -> str:
    """The deck's data version plus the force's commentary: a change to either is a new pack."""
    latest = KpiCommentary.objects.filter(force=force).order_by("-written_at").first()
    stamp = (readings.data_version(force=force), latest.written_at if latest else None)
    return hashlib.sha1(repr(stamp).encode()).hexdigest()


def trend_svg(kpi: Kpi, tile, *, width: int = 300, height: int = 90) -> dict:
    """An 8-quarter line with its target, as coordinates for an inline SVG."""
    values = [s["value"] if readings.readable(s) else None for s in tile.trend]
    target = readings.stored_target(kpi, tile.target.value) if tile.target else None
    known = [v for v in values if v is not None] + ([target] if target is not None else [])
    if len([v for v in values if v is not None]) < 2:
        return {}  # one quarter is a value, not a trend
    low, high = min(known), max(known)
    if kpi.unit == Kpi.Unit.PERCENT:
        low = min(low, 0)
    span = (high - low) or 1
    left, right, top, bottom = 4, width - 4, 16, height - 18
    step = (right - left) / max(len(values) - 1, 1)

    def y(v):
        return round(bottom - (v - low) / span * (bottom - top), 1)

    points = [(round(left + i * step, 1), y(v), v) for i, v in enumerate(values) if v is not None]
    return {
        "width": width,
        "height": height,
        "line": " ".join(f"{x},{yy}" for x, yy, _ in points),
        "dots": [(x, yy) for x, yy, _ in points],
        "target_y": y(target) if target is not None else None,
        "target_label": readings.target_value_text(kpi, tile.target.value) if tile.target else "",
        "first": tile.periods[0].label if tile.periods else "",
        "last": tile.periods[-1].label if tile.periods else "",
        "axis_y": bottom,
        "high": format_value(kpi, max(v for v in values if v is not None)),
        "low": format_value(kpi, min(v for v in values if v is not None)),
    }


def board_pack(*, force: Force, period: Period, offence: str) -> dict:
    """Everything the pack shows, in the order it shows it."""
    # The same SPC readings as the tiles and drill-downs (Making Data Count, deck/control.py),
    # which also judge the RAG of figures without an interval.
    deck = control.judged_deck(force=force, period=period, offence=offence)
    tiles = deck["tiles"]
    commentary = {
        c.kpi_id: c
        for c in KpiCommentary.objects.filter(force=force, period=period.slug).select_related(
            "written_by"
        )
    }
    signals = []
    for tile in tiles:
        tile.chart = trend_svg(tile.kpi, tile)
        verdict = tile.spc
        special = verdict is not None and verdict.kind in (
            spc.IMPROVEMENT,
            spc.CONCERN,
            spc.NEITHER,
        )
        tile.signal = verdict.detail if special else ""
        tile.commentary = commentary.get(tile.kpi.pk)
        tile.narrative = ((tile.snapshot or {}).get("provenance") or {}).get("narrative", "")
        if tile.signal:
            signals.append(Signal(tile.kpi, tile.signal))
    sections, summary = [], []
    for element in deck["elements"]:
        owned = [t for t in tiles if t.kpi.element_id == element.pk]
        if not owned:
            continue
        counts = {rag: sum(1 for t in owned if t.rag == rag) for rag in RAGS}
        counts["none"] = len(owned) - sum(counts.values())
        summary.append((element, counts))
        sections.append((element, owned))
    contents = [
        Entry("pack-summary", "1. Summary and exceptions"),
        Entry("pack-whole-system", "2. Whole system"),
        *(
            Entry(
                f"pack-element-{element.pk}",
                f"{number}. {element.title}",
                f"{len(owned)} KPI{'s' if len(owned) != 1 else ''}",
            )
            for number, (element, owned) in enumerate(sections, start=3)
        ),
        Entry("pack-notes", f"{len(sections) + 3}. Data, definitions and disclosure control"),
    ]
    kinds = dict(FrameworkElement.Kind.choices)
    return {
        "force": force,
        "period": period,
        "offence": offence,
        "offence_label": OffenceGroup(offence).label,
        "summary": summary,
        "kinds": kinds,
        "red": [t for t in tiles if t.rag == "red"],
        "signals": signals,
        "whole_system": [t for t in tiles if t.kpi.whole_system],
        "sections": [
            (entry, *section) for entry, section in zip(contents[2:-1], sections, strict=True)
        ],
        "contents": contents,
        "summary_entry": contents[0],
        "whole_system_entry": contents[1],
        "notes_entry": contents[-1],
        "as_at": kpi_data_as_at(force=force),
        "marking": PROTECTIVE_MARKING,
        "suppression_rule": suppression_rule(),
        "spc_run": spc.RUN,
        "spc_trend": spc.TREND,
        "spc_minimum": spc.MINIMUM,
        "generated_at": timezone.now(),
    }


def render_pack_html(*, force: Force, period: Period, offence: str, for_pdf: bool) -> str:
    context = board_pack(force=force, period=period, offence=offence)
    return pack_html(context, for_pdf=for_pdf)


def pack_html(context: dict, *, for_pdf: bool, pages: dict[str, int] | None = None) -> str:
    css = Path(finders.find("css/board-pack.css")).read_text()
    contents = [(entry, (pages or {}).get(entry.anchor)) for entry in context["contents"]]
    return render_to_string(
        "kpis/deck/pack/board_pack.html",
        {**context, "for_pdf": for_pdf, "inline_css": css, "contents": contents},
    )


def print_pack(context: dict) -> bytes:
    """The pack as a PDF whose contents give the page each section starts on
    (soteria/printing.py: printed, the pages read back from its bookmarks, printed again)."""
    return printing.print_with_contents(
        lambda pages: pack_html(context, for_pdf=True, pages=pages),
        {e.anchor: e.heading for e in context["contents"]},
    )


def request_board_pack(*, force: Force, period: Period, offence: str, by) -> BoardPack:
    """The pack for the data as it stands: the one already made, or a new one queued."""
    version = pack_version(force=force)
    pack, created = BoardPack.objects.get_or_create(
        force=force,
        period=period.slug,
        offence_group=offence,
        version=version,
        defaults={"requested_by": by},
    )
    return printing.queue_job(
        pack, created=created, task="kpis.generate_board_pack", argument="pack_id"
    )


def _make(pack: BoardPack, progress) -> bytes:
    context = board_pack(
        force=pack.force, period=Period.parse(pack.period), offence=pack.offence_group
    )
    progress(40)
    return print_pack(context)


def generate_board_pack(*, pack_id: int) -> None:
    """Claim the pack (once), render it, print it, store it; progress in steps."""
    printing.run_job(
        BoardPack,
        pack_id,
        make=_make,
        file_name=lambda p: f"{p.force.slug}-{p.period}-{p.offence_group}-{p.version[:12]}.pdf",
    )
