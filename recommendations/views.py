from django.shortcuts import render

from soteria.access import get_force_for_user


def register(request, force_slug):
    force = get_force_for_user(request, force_slug, "view_recommendations")
    return render(
        request,
        "soteria/empty_area.html",
        {
            "force": force,
            "title": "HMICFRS recommendations",
            "message": "No inspection recommendations are being tracked for this force yet.",
        },
    )
