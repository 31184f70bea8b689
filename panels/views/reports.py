"""The learning summary for a quarter or a year: printable, crime references never in clear."""

from django.http import Http404
from django.shortcuts import render

from soteria.access import get_force_for_user
from soteria.exports import export_response

from .. import services
from ..charts import themes_over_time
from ..forms import ReportForm


def report(request, force_slug):
    force = get_force_for_user(request, force_slug, "view_panels")
    form = ReportForm(request.GET or None)
    title, periods = form.periods()
    summary = services.learning_summary(force=force, periods=periods)
    return render(
        request,
        "panels/report.html",
        {
            "force": force,
            "form": form,
            "title": title,
            "summary": summary,
            "chart": themes_over_time(summary),
            "query": request.GET.urlencode(),
        },
    )


def report_download(request, force_slug, fmt):
    """The summary's cases as one tidy table (CSV, XLSX, or a ZIP with its about file)."""
    if fmt not in ("csv", "xlsx", "zip"):
        raise Http404("No such format")
    force = get_force_for_user(request, force_slug, "view_panels")
    form = ReportForm(request.GET or None)
    title, periods = form.periods()
    summary = services.learning_summary(force=force, periods=periods)
    return export_response(
        services.summary_table(summary),
        services.summary_about(summary, title=title),
        services.summary_as_at(force=force),
        name=f"{force.slug}-panel-learning-{'-to-'.join(dict.fromkeys([periods[0].slug, periods[-1].slug]))}",
        fmt=fmt,
        title=f"NFA scrutiny panels: learning summary, {title} · {force.name}",
    )
