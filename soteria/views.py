from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import notifications
from .access import describe_roles, forces_for, get_force_for_user, own_forces, seated_forces
from .models import FrameworkElement, Notification, Pillar
from .work import work_for


@login_not_required
@never_cache
def health(request):
    """For the container healthcheck: the app answers and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def home(request):
    """A person's work, wherever it is: what is due, overdue, returned to them, awaiting their
    approval or sign-off, and the actions they own. Everyone lands here after signing in."""
    forces = list(forces_for(request.user)[:2])
    return render(
        request,
        "soteria/my_work.html",
        {
            "sections": work_for(request.user, today=timezone.localdate()),
            "own_forces": own_forces(request.user),
            "seated_forces": seated_forces(request.user),
            "several_forces": len(forces) > 1,
            "no_force": not forces and not seated_forces(request.user),
            "unread": notifications.for_user(request.user, limit=5, unread=True),
        },
    )


def force_list(request):
    """The forces a user may see, to choose one; for national roles, every force."""
    forces = list(forces_for(request.user))
    seated = seated_forces(request.user)
    return render(request, "soteria/home.html", {"forces": forces, "seated_forces": seated})


def force_home(request, force_slug):
    """The NOM framework for a force: aims, principles and organisational principles, and pillars."""
    force = get_force_for_user(request, force_slug)
    # The KPIs come through the framework's reverse relations: soteria never imports kpis.
    kpis = Prefetch("kpis", to_attr="kpi_list")
    elements = list(FrameworkElement.objects.prefetch_related("objectives", "assurance", kpis))
    pillars = list(Pillar.objects.prefetch_related(kpis))
    sections = [
        (kind, label, [e for e in elements if e.kind == kind])
        for kind, label in (
            ("aim", "Aims"),
            ("principle", "Principles"),
            ("organisational", "In-force organisational improvement principles"),
        )
    ]
    return render(
        request,
        "soteria/force_home.html",
        {
            "force": force,
            "sections": sections,
            "pillars": pillars,
            "roles": describe_roles(request.user, force),
        },
    )


def notification_list(request):
    """The user's own notifications, newest first; unread ones marked as such."""
    return render(
        request,
        "soteria/notifications.html",
        {"notifications": notifications.for_user(request.user)},
    )


@require_POST
def notification_open(request, pk):
    """Mark one of the user's notifications read and go to the work it is about."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    notifications.mark_read(user=request.user, notification_ids=[notification.pk])
    if not url_has_allowed_host_and_scheme(notification.link, allowed_hosts=None):
        return redirect("notifications")
    return redirect(notification.link)


@require_POST
def notifications_read(request):
    count = notifications.mark_read(user=request.user)
    messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked as read.")
    return redirect("notifications")


def csrf_failure(request, reason=""):
    """The styled page for a form refused by CSRF protection (settings.CSRF_FAILURE_VIEW)."""
    return render(request, "403_csrf.html", status=403)
