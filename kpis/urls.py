from django.urls import include, path

from .views import drilldown, evidence, flight_deck, imports, targets

app_name = "kpis"

flight_deck_patterns = [
    path("flight-deck/", flight_deck.flight_deck, name="flight-deck"),
    path("kpis/<slug:kpi_slug>/", drilldown.kpi_detail, name="kpi-detail"),
    path("kpis/<slug:kpi_slug>/download.<str:fmt>", drilldown.kpi_download, name="kpi-download"),
    path("targets/", targets.target_list, name="targets"),
]

import_patterns = [
    path("imports/", imports.import_list, name="imports"),
    path("imports/<int:pk>/", imports.import_detail, name="import-detail"),
    path("imports/<int:pk>/progress/", imports.import_progress, name="import-progress"),
    path("imports/<int:pk>/errors.csv", imports.import_errors_csv, name="import-errors"),
    path("imports/<int:pk>/confirm/", imports.import_confirm, name="import-confirm"),
    path("imports/<int:pk>/cancel/", imports.import_cancel, name="import-cancel"),
]

evidence_return_patterns = [
    path("", evidence.evidence_return, name="evidence-return"),
    path("edit/", evidence.evidence_edit, name="evidence-edit"),
    path("review/", evidence.evidence_review, name="evidence-review"),
    path("reopen/", evidence.evidence_reopen, name="evidence-reopen"),
    path("due-date/", evidence.evidence_due_date, name="evidence-due-date"),
    path("files/", evidence.attachment_upload, name="evidence-attachment-upload"),
    path(
        "files/<int:attachment_id>/",
        evidence.attachment_download,
        name="evidence-attachment",
    ),
    path(
        "files/<int:attachment_id>/delete/",
        evidence.attachment_delete,
        name="evidence-attachment-delete",
    ),
]

evidence_patterns = [
    path("evidence/", evidence.evidence_grid, name="evidence"),
    path("evidence/<str:period>/pillar-<int:pillar>/", include(evidence_return_patterns)),
]

urlpatterns = flight_deck_patterns + import_patterns + evidence_patterns
