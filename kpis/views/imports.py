from django.shortcuts import render

from soteria.access import get_force_for_user


def import_list(request, force_slug):
    force = get_force_for_user(request, force_slug, "view_imports")
    return render(
        request,
        "soteria/empty_area.html",
        {
            "force": force,
            "title": "Data imports",
            "message": "No crime-outcome extracts have been imported for this force yet.",
        },
    )
