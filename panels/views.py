from django.shortcuts import render

from soteria.access import get_force_for_user


def panel_list(request, force_slug):
    force = get_force_for_user(request, force_slug, "view_panels")
    return render(
        request,
        "soteria/empty_area.html",
        {
            "force": force,
            "title": "Scrutiny panels",
            "message": "No NFA scrutiny panels have been recorded for this force yet.",
        },
    )
