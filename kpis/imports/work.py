"""Imports on a person's "my work" page (settings.MY_WORK_SOURCES): an analyst's last
import and any still waiting, failed or awaiting confirmation in their force; for national
analysts and administrators, the national Home Office imports in the same states. Only the
last 30 days: an older import is history, not work. One query."""

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from soteria import access
from soteria.work import Section, WorkItem

from ..engine.models import ImportBatch

S = ImportBatch.Status
NEEDS_ATTENTION = {
    S.FAILED: Section.OVERDUE,
    S.REJECTED: Section.AWAITING,
    S.AWAITING_CONFIRMATION: Section.AWAITING,
    S.PENDING: Section.WATCH,
    S.RUNNING: Section.WATCH,
}
RECENT_DAYS = 30


def _when(moment) -> str:
    return f"{timezone.localtime(moment):%-d %b %Y %H:%M}" if moment else "not yet"


def _national_table() -> list[WorkItem]:
    """For national roles: which Home Office table every force's comparisons read."""
    table = (
        ImportBatch.objects.filter(
            force__isnull=True, kind=ImportBatch.Kind.HOME_OFFICE, status=S.SUCCEEDED
        )
        .order_by("-finished_at", "-pk")
        .first()
    )
    if table is None:
        return [
            WorkItem(
                Section.DATA,
                "No national Home Office table has been imported",
                reverse("national:overview"),
                "The national overview and every force's comparisons have nothing to read.",
            )
        ]
    return [
        WorkItem(
            Section.DATA,
            f"National Home Office table in use: {table.file_name}",
            reverse("national:overview"),
            f"Imported {_when(table.finished_at)}; every force is compared against it.",
        )
    ]


def my_work(*, user, today: dt.date) -> list[WorkItem]:
    forces = [f for f in access.own_forces(user) if access.can(user, "import", f)]
    national = access.can_nationally(user, "import_national")
    table = _national_table() if access.can_nationally(user, "view") else []
    if not forces and not national:
        return table
    scope = Q(force__in=forces)
    if national:
        scope |= Q(force__isnull=True, kind=ImportBatch.Kind.HOME_OFFICE)
    since = timezone.now() - dt.timedelta(days=RECENT_DAYS)
    batches = list(
        ImportBatch.objects.filter(scope, created_at__gte=since)
        .select_related("force")
        .order_by("-created_at", "-pk")[:200]
    )
    items = []
    latest_seen: set = set()
    for batch in batches:
        national_batch = batch.force_id is None
        url = (
            reverse("national:import-detail", kwargs={"pk": batch.pk})
            if national_batch
            else reverse(
                "kpis:import-detail", kwargs={"force_slug": batch.force.slug, "pk": batch.pk}
            )
        )
        where = "National Home Office table" if national_batch else batch.force.name
        title = f"{where}: {batch.file_name} ({batch.get_status_display().lower()})"
        detail = f"Uploaded {_when(batch.created_at)}"
        if batch.message:
            detail += f". {batch.message[:200]}"
        if batch.status in NEEDS_ATTENTION:
            items.append(
                WorkItem(
                    NEEDS_ATTENTION[batch.status],
                    title,
                    url,
                    detail,
                    force=batch.force,
                    overdue=batch.status == S.FAILED,
                )
            )
        elif batch.force_id not in latest_seen:
            items.append(
                WorkItem(Section.DATA, f"Last import: {title}", url, detail, force=batch.force)
            )
        latest_seen.add(batch.force_id)
    for force in forces:
        if force.pk not in latest_seen:
            items.append(
                WorkItem(
                    Section.DATA,
                    f"{force.name}: no import in the last {RECENT_DAYS} days",
                    reverse("kpis:imports", kwargs={"force_slug": force.slug}),
                    "Load this month's crime-outcome extract.",
                    force=force,
                )
            )
    items.extend(table)
    if national and None not in latest_seen:
        items.append(
            WorkItem(
                Section.DATA,
                f"National Home Office table: no import in the last {RECENT_DAYS} days",
                reverse("national:imports"),
                "Load the latest quarter's outcomes table when the Home Office publishes it.",
            )
        )
    return items
