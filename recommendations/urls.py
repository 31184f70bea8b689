from django.urls import path

from .views import records, register, responses

app_name = "recommendations"

register_patterns = [
    path("", register.register, name="register"),
    path("export.csv", register.export_csv, name="export-csv"),
    path("export.xlsx", register.export_xlsx, name="export-xlsx"),
]

inspection_patterns = [
    path("inspections/new/", register.inspection_create, name="inspection-create"),
    path("inspections/<slug:inspection_slug>/", register.inspection_detail, name="inspection"),
    path(
        "inspections/<slug:inspection_slug>/recommendations/new/",
        register.recommendation_create,
        name="recommendation-create",
    ),
]

record_patterns = [
    path("inspections/<slug:inspection_slug>/response-record/", records.record, name="record"),
    path(
        "inspections/<slug:inspection_slug>/response-record/edit/",
        records.record_edit,
        name="record-edit",
    ),
    path(
        "inspections/<slug:inspection_slug>/response-record/approve/",
        records.record_approve,
        name="record-approve",
    ),
    path(
        "inspections/<slug:inspection_slug>/response-record/publish/",
        records.record_publish,
        name="record-publish",
    ),
    path(
        "inspections/<slug:inspection_slug>/response-record/new-version/",
        records.record_new_version,
        name="record-new-version",
    ),
    path(
        "inspections/<slug:inspection_slug>/response-record/versions/<int:version>/",
        records.record_version,
        name="record-version",
    ),
    path(
        "inspections/<slug:inspection_slug>/response-record/versions/<int:version>.docx",
        records.record_version_docx,
        name="record-version-docx",
    ),
    path(
        "inspections/<slug:inspection_slug>/response-record.docx",
        records.record_docx,
        name="record-docx",
    ),
]

response_patterns = [
    path("<int:pk>/", responses.detail, name="detail"),
    path("<int:pk>/edit/", responses.edit, name="edit"),
    path("<int:pk>/actions/new/", responses.action_create, name="action-create"),
    path("<int:pk>/updates/new/", responses.update_create, name="update-create"),
    path("<int:pk>/sign-off/", responses.sign_off, name="sign-off"),
    path("<int:pk>/reopen/", responses.reopen, name="reopen"),
    path("<int:pk>/kpis/", responses.kpi_links, name="kpis"),
    path("<int:pk>/links/", responses.link_add, name="link-add"),
    path("actions/<int:action_pk>/edit/", responses.action_edit, name="action-edit"),
    path("links/<int:link_pk>/delete/", responses.link_delete, name="link-delete"),
    path("<int:pk>/page-links/", responses.page_link_add, name="page-link-add"),
    path(
        "page-links/<int:link_pk>/delete/",
        responses.page_link_delete,
        name="page-link-delete",
    ),
    path("evidence/<int:evidence_pk>/", responses.evidence_download, name="evidence"),
]

urlpatterns = register_patterns + inspection_patterns + record_patterns + response_patterns
