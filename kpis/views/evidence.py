from django.shortcuts import render

from soteria.access import get_force_for_user


def evidence_grid(request, force_slug):
    force = get_force_for_user(request, force_slug, "view_evidence")
    return render(
        request,
        "soteria/empty_area.html",
        {
            "force": force,
            "title": "Evidence returns",
            "message": "No quarterly evidence returns have been started for this force yet.",
        },
    )
