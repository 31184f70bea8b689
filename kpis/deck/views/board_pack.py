"""The quarterly board pack: the print-ready page, and its PDF made in the background."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from soteria import printing
from soteria.access import get_for_user, get_force_for_user

from .. import pack, periods, readings
from ..models import BoardPack
from .refusals import refuse_period


def _quarter(request, force):
    available = readings.available_periods(force=force)
    period = periods.resolve_period(request.GET.get("period"), available)
    return period, readings.parse_offence(request.GET.get("offence"))


@require_GET
def board_pack(request, force_slug):
    """The whole deck as one board paper, as it prints; the PDF is the same page."""
    force = get_force_for_user(request, force_slug, "board_pack")
    try:
        period, offence = _quarter(request, force)
    except periods.PeriodRefused as refusal:
        return refuse_period(request, refusal, readings.available_periods(force=force))
    html = pack.render_pack_html(force=force, period=period, offence=offence, for_pdf=False)
    return render(
        request,
        "kpis/deck/pack/page.html",
        {"force": force, "period": period, "offence": offence, "pack": mark_safe(html)},
    )


@require_POST
def board_pack_pdf(request, force_slug):
    """Ask for the PDF: the one already made for this data, or a new one queued."""
    force = get_force_for_user(request, force_slug, "board_pack")
    try:
        period, offence = _quarter(request, force)
    except periods.PeriodRefused as refusal:
        raise Http404(str(refusal)) from refusal
    made = pack.request_board_pack(force=force, period=period, offence=offence, by=request.user)
    return redirect("kpis:board-pack-file", force_slug=force.slug, pk=made.pk)


@require_GET
def board_pack_file(request, force_slug, pk):
    """The PDF once it is ready; until then, its progress."""
    force = get_force_for_user(request, force_slug, "board_pack")
    made = get_for_user(request, BoardPack, pk, "board_pack", force=force)
    if made.status == BoardPack.Status.READY:
        name = f"{force.slug}-board-pack-{made.period}-{made.offence_group}.pdf"
        return printing.pdf_response(made, filename=name)
    back = reverse("kpis:board-pack", args=[force.slug])
    return render(
        request,
        "printing/progress.html",
        {
            "force": force,
            "job": made,
            "document": "board pack",
            "heading": f"Board pack {made.period}",
            "progress_url": reverse("kpis:board-pack-progress", args=[force.slug, made.pk]),
            "back_url": f"{back}?period={made.period}&offence={made.offence_group}",
        },
    )


@require_GET
def board_pack_progress(request, force_slug, pk):
    force = get_force_for_user(request, force_slug, "board_pack")
    made = get_for_user(request, BoardPack, pk, "board_pack", force=force)
    return printing.progress_response(made)
