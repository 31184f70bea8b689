"""Crime-outcome imports in the browser: upload, watch progress, read the report, confirm."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from soteria.access import can, get_force_for_user
from soteria.history import history_rows

from ..engine.models import ImportBatch
from . import services as imports
from .columns import COLUMNS, OPTIONAL_COLUMNS
from .forms import ForceUploadForm
from .reconciliation import reconcile
from .reports import rejection_report

ERRORS_SHOWN = 200


def _batches_for(force):
    """The force's own record extracts. Home Office tables are national (national_views): a
    force's users read which one is in use, and never act on one from here."""
    return ImportBatch.objects.filter(force=force, kind=ImportBatch.Kind.RECORDS)


def national_table_in_use():
    """The Home Office outcomes table every force's comparisons read: the latest imported."""
    return (
        ImportBatch.objects.filter(
            force__isnull=True,
            kind=ImportBatch.Kind.HOME_OFFICE,
            status=ImportBatch.Status.SUCCEEDED,
        )
        .select_related("uploaded_by")
        .order_by("-finished_at", "-pk")
        .first()
    )


def _get_batch(request, force_slug: str, pk: int, action: str = "view_imports"):
    force = get_force_for_user(request, force_slug, action)
    try:
        batch = _batches_for(force).select_related("uploaded_by", "force").get(pk=pk)
    except ImportBatch.DoesNotExist:
        raise Http404("No such import") from None
    return force, batch


def import_list(request, force_slug):
    force = get_force_for_user(request, force_slug, "view_imports")
    may_import = can(request.user, "import", force)
    if request.method == "POST":
        force = get_force_for_user(request, force_slug, "import")
        form = ForceUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                with transaction.atomic():
                    batch = imports.create_batch(
                        kind=form.cleaned_data["kind"],
                        source=form.cleaned_data["file"],
                        file_name=form.cleaned_data["file"].name,
                        force=force,
                        uploaded_by=request.user,
                    )
                    if batch.status == ImportBatch.Status.PENDING:
                        imports.queue_import(batch=batch)
            except imports.UploadNotStored as problem:
                form.add_error("file", str(problem))
            else:
                _say_if_not_queued(request, batch)
                return redirect("kpis:import-detail", force_slug=force.slug, pk=batch.pk)
    else:
        form = ForceUploadForm()
    batches = _batches_for(force).select_related("uploaded_by", "force")[:100]
    return render(
        request,
        "kpis/imports/index.html",
        {
            "force": force,
            "form": form,
            "may_import": may_import,
            "batches": batches,
            "columns": COLUMNS,
            "optional_columns": OPTIONAL_COLUMNS,
            "national_table": national_table_in_use(),
        },
    )


def _say_if_not_queued(request, batch: ImportBatch) -> None:
    """The batch is saved but its job could not be sent (the queue is down): say so plainly."""
    if batch.status == ImportBatch.Status.PENDING and not batch.task_id:
        messages.warning(request, imports.QUEUE_DOWN_MESSAGE)


def import_detail(request, force_slug, pk):
    force, batch = _get_batch(request, force_slug, pk)
    return render(
        request,
        "kpis/imports/detail.html",
        {
            "force": force,
            "batch": batch,
            "progress": imports.progress_of(batch),
            "errors": batch.errors[:ERRORS_SHOWN],
            "errors_hidden": max(len(batch.errors) - ERRORS_SHOWN, 0),
            "may_import": can(request.user, "import", force),
            "coverage": imports.describe_coverage(batch) if batch.coverage else "",
            "history": history_rows(batch),
            "progress_url": reverse(
                "kpis:import-progress", kwargs={"force_slug": force.slug, "pk": batch.pk}
            ),
        },
    )


@require_GET
def import_progress(request, force_slug, pk):
    _, batch = _get_batch(request, force_slug, pk)
    return JsonResponse(imports.progress_of(batch))


@require_GET
def import_errors_csv(request, force_slug, pk):
    _, batch = _get_batch(request, force_slug, pk)
    return rejection_report(batch)


@require_POST
def import_confirm(request, force_slug, pk):
    force, batch = _get_batch(request, force_slug, pk, "import")
    with transaction.atomic():
        confirmed = imports.confirm_replacement(batch=batch, by=request.user)
    if confirmed and not batch.task_id:
        _say_if_not_queued(request, batch)
    elif confirmed:
        messages.success(request, "Replacement confirmed: the file is being imported again.")
    else:
        messages.error(request, "This import is no longer waiting for confirmation.")
    return redirect("kpis:import-detail", force_slug=force.slug, pk=batch.pk)


@require_POST
def import_cancel(request, force_slug, pk):
    force, batch = _get_batch(request, force_slug, pk, "import")
    if imports.cancel_batch(batch=batch, by=request.user):
        messages.success(request, "Cancelled: the data already held was kept.")
    else:
        messages.error(request, "This import is no longer waiting for confirmation.")
    return redirect("kpis:import-detail", force_slug=force.slug, pk=batch.pk)


def reconciliation(request, force_slug):
    """Quarters where the force's own records and its Home Office published charges differ."""
    force = get_force_for_user(request, force_slug, "view_imports")
    return render(
        request,
        "kpis/imports/reconciliation.html",
        {"force": force, "reconciliation": reconcile(force=force)},
    )
