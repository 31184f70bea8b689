"""The national imports page: the Home Office outcomes table, national data shared by every
force. Only a national administrator or national analyst uploads, confirms or cancels one
(``import_national``); every force reads the same copy and sees which it is on its own
imports page. Force roles get 403 here, whatever they may do in their own force.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from soteria.access import can_nationally, require_national
from soteria.history import history_rows

from ..engine.models import ImportBatch
from . import services as imports
from .forms import NationalUploadForm
from .reports import rejection_report
from .views import ERRORS_SHOWN, national_table_in_use


def _national_batches():
    return ImportBatch.objects.filter(force__isnull=True, kind=ImportBatch.Kind.HOME_OFFICE)


def _get_batch(request, pk: int, action: str = "view_national_imports") -> ImportBatch:
    require_national(request, action)
    try:
        return _national_batches().select_related("uploaded_by").get(pk=pk)
    except ImportBatch.DoesNotExist:
        raise Http404("No such import") from None


@login_required
def national_imports(request):
    require_national(request, "view_national_imports")
    if request.method == "POST":
        require_national(request, "import_national")
        form = NationalUploadForm(request.POST, request.FILES)
        if form.is_valid():
            with transaction.atomic():
                batch = imports.create_batch(
                    kind=ImportBatch.Kind.HOME_OFFICE,
                    source=form.cleaned_data["file"],
                    file_name=form.cleaned_data["file"].name,
                    force=None,
                    uploaded_by=request.user,
                )
                if batch.status == ImportBatch.Status.PENDING:
                    imports.queue_import(batch=batch)
            return redirect("national:import-detail", pk=batch.pk)
    else:
        form = NationalUploadForm()
    return render(
        request,
        "kpis/imports/national_index.html",
        {
            "form": form,
            "may_import": can_nationally(request.user, "import_national"),
            "batches": _national_batches().select_related("uploaded_by")[:100],
            "national_table": national_table_in_use(),
        },
    )


@login_required
def national_import_detail(request, pk):
    batch = _get_batch(request, pk)
    return render(
        request,
        "kpis/imports/national_detail.html",
        {
            "batch": batch,
            "progress": imports.progress_of(batch),
            "errors": batch.errors[:ERRORS_SHOWN],
            "errors_hidden": max(len(batch.errors) - ERRORS_SHOWN, 0),
            "may_import": can_nationally(request.user, "import_national"),
            "coverage": imports.describe_coverage(batch) if batch.coverage else "",
            "history": history_rows(batch),
            "progress_url": reverse("national:import-progress", kwargs={"pk": batch.pk}),
        },
    )


@login_required
@require_GET
def national_import_progress(request, pk):
    return JsonResponse(imports.progress_of(_get_batch(request, pk)))


@login_required
@require_GET
def national_import_errors_csv(request, pk):
    return rejection_report(_get_batch(request, pk))


@login_required
@require_POST
def national_import_confirm(request, pk):
    batch = _get_batch(request, pk, "import_national")
    with transaction.atomic():
        confirmed = imports.confirm_replacement(batch=batch, by=request.user)
    if confirmed:
        messages.success(request, "Replacement confirmed: the table is being imported again.")
    else:
        messages.error(request, "This import is no longer waiting for confirmation.")
    return redirect("national:import-detail", pk=batch.pk)


@login_required
@require_POST
def national_import_cancel(request, pk):
    batch = _get_batch(request, pk, "import_national")
    if imports.cancel_batch(batch=batch, by=request.user):
        messages.success(request, "Cancelled: the national table already held was kept.")
    else:
        messages.error(request, "This import is no longer waiting for confirmation.")
    return redirect("national:import-detail", pk=batch.pk)
