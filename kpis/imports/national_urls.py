from django.urls import path

from . import national_views as views

urlpatterns = [
    path("imports/", views.national_imports, name="imports"),
    path("imports/<int:pk>/", views.national_import_detail, name="import-detail"),
    path("imports/<int:pk>/progress/", views.national_import_progress, name="import-progress"),
    path("imports/<int:pk>/errors.csv", views.national_import_errors_csv, name="import-errors"),
    path("imports/<int:pk>/confirm/", views.national_import_confirm, name="import-confirm"),
    path("imports/<int:pk>/cancel/", views.national_import_cancel, name="import-cancel"),
]
