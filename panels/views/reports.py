"""The learning summary for a quarter or a year: printable, crime references never in clear."""

from django.shortcuts import render

from soteria.access import get_force_for_user

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
        },
    )
