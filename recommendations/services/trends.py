"""Linked KPIs' latest values and trends, read from the stored snapshots only."""

from dataclasses import dataclass, field

from soteria.models import Force


@dataclass
class KpiTrend:
    kpi: object
    latest_period: str = ""
    latest_value: str = ""
    points: list[tuple[str, float]] = field(default_factory=list)
    sparkline: str = ""  # SVG polyline points
    url: str = ""


def format_value(*, kpi, snapshot) -> str:
    """The snapshot's value as the flight deck shows it (kpis' own formatting)."""
    from kpis.engine.formatting import format_value as kpi_format_value

    if snapshot.suppressed:
        return "suppressed"
    if snapshot.value is None:
        return snapshot.get_status_display()
    return kpi_format_value(kpi, snapshot.value, snapshot.provenance)


def sparkline_points(values: list[float], *, width: int = 120, height: int = 30) -> str:
    if len(values) < 2:
        return ""
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    step = width / (len(values) - 1)
    return " ".join(
        f"{i * step:.1f},{height - 2 - (v - low) / span * (height - 4):.1f}"
        for i, v in enumerate(values)
    )


def _period_label(slug: str) -> str:
    from soteria.periods import Period

    try:
        return Period.parse(slug).status_label
    except ValueError:
        return slug


def _shown(rows: list) -> list:
    """The quarters a linked KPI reads from: complete quarters, as the flight deck does by
    default (an unfinished quarter's figures are partial). Only where no complete quarter has
    a snapshot is the quarter in progress shown, labelled as such; a future one never is."""
    from soteria.periods import Period

    def period(row):
        try:
            return Period.parse(row.period)
        except ValueError:
            return None

    latest = Period.latest_complete()
    complete = [r for r in rows if period(r) is not None and period(r) <= latest]
    if complete:
        return complete
    return [r for r in rows if period(r) is not None and period(r) <= Period.current()]


def kpi_trends(*, force: Force, kpis: list) -> list[KpiTrend]:
    """Each linked KPI's value for the latest complete quarter and its trend, from the
    stored snapshots only."""
    from django.urls import NoReverseMatch, reverse

    from kpis.engine.models import KpiSnapshot

    snapshots: dict[int, list] = {}
    for snap in KpiSnapshot.objects.filter(force=force, kpi__in=kpis, offence_group="all").order_by(
        "period"
    ):
        snapshots.setdefault(snap.kpi_id, []).append(snap)
    trends = []
    for kpi in kpis:
        trend = KpiTrend(kpi=kpi)
        try:
            trend.url = reverse(
                "kpis:kpi-detail", kwargs={"force_slug": force.slug, "kpi_slug": kpi.slug}
            )
        except NoReverseMatch:
            trend.url = ""
        rows = _shown(snapshots.get(kpi.pk, []))
        if rows:
            latest = rows[-1]
            trend.latest_period = _period_label(latest.period)
            trend.latest_value = format_value(kpi=kpi, snapshot=latest)
            trend.url += f"?period={latest.period}" if trend.url else ""
            trend.points = [
                (_period_label(s.period), s.value)
                for s in rows
                if s.value is not None and not s.suppressed
            ]
            trend.sparkline = sparkline_points([v for _, v in trend.points])
        trends.append(trend)
    return trends
