from django.urls import path

from . import views

urlpatterns = [
    path("imports/", views.import_list, name="imports"),
    path("imports/reconciliation/", views.reconciliation, name="reconciliation"),
    path("imports/<int:pk>/", views.import_detail, name="import-detail"),
    path("imports/<int:pk>/progress/", views.import_progress, name="import-progress"),
    path("imports/<int:pk>/errors.csv", views.import_errors_csv, name="import-errors"),
    path("imports/<int:pk>/confirm/", views.import_confirm, name="import-confirm"),
    path("imports/<int:pk>/cancel/", views.import_cancel, name="import-cancel"),
]
