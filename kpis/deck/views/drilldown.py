import csv
import io
import json

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from openpyxl import Workbook
from openpyxl.styles import Font

from soteria.access import get_force_for_user

from ...engine.models import Kpi, OffenceGroup
from .. import periods, readings
from ..detail import kpi_detail as build_detail
from .refusals import refuse_download, refuse_period

IN_PROGRESS_NOTE = "This quarter is in progress: its figures are to date, partial and will change."
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _scope(request, force_slug, kpi_slug):
    force = get_force_for_user(request, force_slug)
    kpi = get_object_or_404(Kpi.objects.select_related("element", "pillar"), slug=kpi_slug)
    return force, kpi, readings.available_periods(force=force)


def _detail(request, force, kpi, period):
    offence = readings.parse_offence(request.GET.get("offence"))
    return offence, build_detail(force=force, kpi=kpi, period=period, offence=offence)


def kpi_detail(request, force_slug, kpi_slug):
    """One KPI as a board paper: trend with control limits, breakdowns, definition, downloads."""
    force, kpi, available = _scope(request, force_slug, kpi_slug)
    try:
        period = periods.resolve_period(request.GET.get("period"), available)
    except periods.PeriodRefused as refusal:
        return refuse_period(request, refusal, available)
    offence, detail = _detail(request, force, kpi, period)
    figures = [
        {
            "id": f"chart-{s.slug}",
            "json": json.dumps({"data": s.figure["data"], "layout": s.figure["layout"]}),
        }
        if s.figure
        else None
        for s in detail["sections"]
    ]
    return render(
        request,
        "kpis/deck/drilldown/kpi_detail.html",
        {
            "force": force,
            "period": period,
            "periods": periods.selectable_periods(available) or [period],
            "offence": offence,
            "offence_label": OffenceGroup(offence).label,
            "offences": OffenceGroup.choices,
            **detail,
            "sections": list(zip(detail["sections"], figures, strict=True)),
        },
    )


def kpi_download(request, force_slug, kpi_slug, fmt):
    """The drill-down's tables exactly as the page shows them (suppressed the same way)."""
    if fmt not in ("csv", "xlsx"):
        raise Http404("No such format")
    force, kpi, available = _scope(request, force_slug, kpi_slug)
    try:
        period = periods.resolve_period(request.GET.get("period"), available)
    except periods.PeriodRefused as refusal:
        page = reverse("kpis:kpi-detail", args=[force.slug, kpi.slug])
        return refuse_download(request, refusal, available, page)
    offence, detail = _detail(request, force, kpi, period)
    title = f"{kpi.name} · {force.name} · {period.status_label} · {OffenceGroup(offence).label}"
    name = f"{force.slug}-{kpi.slug}-{period.slug}-{offence}.{fmt}"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([title])
        writer.writerow(["OFFICIAL-SENSITIVE: do not share outside the force"])
        if period.in_progress:
            writer.writerow([IN_PROGRESS_NOTE])
        for section in detail["sections"]:
            writer.writerow([])
            writer.writerow([section.title])
            writer.writerow(section.columns)
            writer.writerows(section.rows)
            if section.note:
                writer.writerow([section.note])
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        book = Workbook()
        book.remove(book.active)
        for section in detail["sections"]:
            sheet = book.create_sheet(section.title[:31].replace("/", "-").replace(":", ""))
            sheet.append([title])
            sheet.append([section.title])
            sheet.append(section.columns)
            for cell in sheet[3]:
                cell.font = Font(bold=True)
            for row in section.rows:
                sheet.append(row)
            if section.note:
                sheet.append([section.note])
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
