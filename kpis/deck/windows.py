"""Reading a KPI over a window (the quarter, the rolling year, the financial year to date),
and what a disparity tile says about it.

The snapshot job stores each windowed KPI's figure over the rolling year and the year to
date beside the quarter's (KpiSnapshot.windows, engine.windows); this reads a snapshot as
its figure over the window asked for, so tiles, the drill-down and its downloads show one
window, and name it. A disparity is read over the rolling year by default: a quarter of
one force is too small a window for most groups.
"""

from ..engine import windows
from ..engine.formatting import format_ratio
from ..engine.models import KpiSnapshot
from ..engine.windows import QUARTER, Window

DISPARITY_DIRECTION = "1 = no gap; red where a gap's 95% interval excludes 1"
HEADLINE = ("value", "numerator", "denominator", "ci_low", "ci_high", "status", "suppressed")
NOT_SIGNIFICANT_TEXT = "Not significantly different"


def is_windowed(kpi) -> bool:
    return kpi.slug in windows.WINDOWED


def is_disparity(kpi) -> bool:
    return kpi.slug.startswith("charge-rate-by-")


def default_kind(kpi) -> str:
    """Breakdowns and disparity are read over the rolling year unless another is asked for."""
    return windows.DEFAULT if is_windowed(kpi) else QUARTER


def window_view(snapshot: dict | None, kind: str, period) -> dict | None:
    """The snapshot read over the window: its figure, interval, status and detail (and
    breakdowns, when they were loaded) over that window, labelled with it. A snapshot
    stored before windows were computed has none: it reads as no data for the window."""
    if snapshot is None:
        return None
    label = Window(kind, period).label
    if kind == QUARTER:
        return {**snapshot, "window": QUARTER, "window_label": label}
    stored = (snapshot.get("windows") or {}).get(kind)
    if stored is None:
        return {
            **snapshot,
            **dict.fromkeys(HEADLINE[:5]),
            "status": KpiSnapshot.Status.NO_DATA,
            "window": kind,
            "window_label": label,
            "breakdowns": [],
        }
    provenance = {**(snapshot.get("provenance") or {}), "detail": stored.get("detail") or {}}
    view = {
        **snapshot,
        **{key: stored.get(key) for key in HEADLINE},
        "provenance": provenance,
        "window": kind,
        "window_label": stored.get("label") or label,
    }
    if "window_breakdowns" in snapshot:
        view["breakdowns"] = (snapshot.get("window_breakdowns") or {}).get(kind, [])
    return view


def tile_trend(kpi, trend: list[dict | None], periods: list) -> list[dict | None]:
    """A tile's quarters, each named with its window: a disparity over the rolling year
    ending with the quarter, another windowed KPI over the quarter itself."""
    if not is_windowed(kpi):
        return trend
    kind = default_kind(kpi) if is_disparity(kpi) else QUARTER
    return [window_view(s, kind, p) for s, p in zip(trend, periods, strict=True)]


def basis_text(kpi, snapshot: dict | None) -> str:
    """The tile's basis line: "Outcomes assigned in the 12 months to 30 Jun 2024" for a KPI
    read over a window of quarters, the catalogue's basis otherwise."""
    window = (snapshot or {}).get("window")
    if window and window != QUARTER and snapshot.get("window_label"):
        return (
            f"{kpi.get_basis_display().removesuffix('the quarter')}the {snapshot['window_label']}"
        )
    return kpi.get_basis_display()


def left_out_text(detail: dict) -> str:
    left = detail.get("left_out") or []
    if not left:
        return ""
    return "Left out: " + "; ".join(f"{g['group']} ({g['why']})" for g in left)


def disparity_reading(snapshot: dict | None) -> tuple[str, str, str] | None:
    """(rag, label, reason) of a disparity over its window: red where a group's 95% interval
    lies wholly below or above 1 (the group with the largest such gap named), grey and "not
    significantly different" where every interval spans 1, grey where too few groups can be
    compared. The reason says only the judgement and its window: the caption names the
    group, its ratio and the groups left out. None without a snapshot."""
    if snapshot is None or snapshot["status"] == KpiSnapshot.Status.NO_DATA:
        return None
    detail = (snapshot.get("provenance") or {}).get("detail") or {}
    window = snapshot.get("window_label") or ""
    over = f" over the {window}" if window else ""
    if snapshot["status"] != KpiSnapshot.Status.OK or snapshot["value"] is None:
        return "grey", "Grey: insufficient data", f"no group to compare{over}"
    interval = f"{format_ratio(snapshot['ci_low'])}–{format_ratio(snapshot['ci_high'])}"
    if detail.get("significant"):
        side = "below" if snapshot["value"] < 1 else "above"
        return "red", "Red: significant gap", f"95% interval {interval} lies {side} 1{over}"
    return "grey", NOT_SIGNIFICANT_TEXT, f"every 95% interval includes 1{over}"


def disparity_caption(snapshot: dict) -> str:
    """The caption under a disparity tile's ratio: whose rate over whose, and who is left out."""
    detail = (snapshot.get("provenance") or {}).get("detail") or {}
    left = left_out_text(detail)
    if snapshot.get("status") != KpiSnapshot.Status.OK or snapshot.get("value") is None:
        text = "Too few groups to compare with the reference group"
        return f"{text}. {left}" if left else text
    lead = "Largest significant gap" if detail.get("significant") else NOT_SIGNIFICANT_TEXT
    text = (
        f"{lead}: {detail.get('gap_group')} charged at {format_ratio(snapshot['value'])} × "
        f"the rate of {detail.get('reference_group')} (reference group); 1 = no gap"
    )
    return f"{text}. {left}" if left else text
