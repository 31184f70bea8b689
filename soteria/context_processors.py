from django.urls import Resolver404, resolve


def navigation(request):
    """The force in the URL (if any) so the navigation can link to that force's areas."""
    slug = None
    try:
        slug = resolve(request.path_info).kwargs.get("force_slug")
    except Resolver404:
        pass
    return {"nav_force_slug": slug}
