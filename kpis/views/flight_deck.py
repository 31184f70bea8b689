from django.shortcuts import render

from soteria.access import get_force_for_user


def flight_deck(request, force_slug):
    force = get_force_for_user(request, force_slug)
    return render(
        request,
        "soteria/empty_area.html",
        {
            "force": force,
            "title": "Flight deck",
            "message": "No KPI snapshots have been computed for this force yet.",
        },
    )
