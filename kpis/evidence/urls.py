from django.urls import include, path

from . import views

return_patterns = [
    path("", views.evidence_return, name="evidence-return"),
    path("edit/", views.evidence_edit, name="evidence-edit"),
    path("review/", views.evidence_review, name="evidence-review"),
    path("reopen/", views.evidence_reopen, name="evidence-reopen"),
    path("due-date/", views.evidence_due_date, name="evidence-due-date"),
    path("files/", views.attachment_upload, name="evidence-attachment-upload"),
    path("files/<int:attachment_id>/", views.attachment_download, name="evidence-attachment"),
    path(
        "files/<int:attachment_id>/delete/",
        views.attachment_delete,
        name="evidence-attachment-delete",
    ),
]

urlpatterns = [
    path("evidence/", views.evidence_grid, name="evidence"),
    path("evidence/<str:period>/pillar-<int:pillar>/", include(return_patterns)),
]
