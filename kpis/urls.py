from django.urls import path

from .views import evidence, flight_deck, imports

app_name = "kpis"

flight_deck_patterns = [
    path("flight-deck/", flight_deck.flight_deck, name="flight-deck"),
]

import_patterns = [
    path("imports/", imports.import_list, name="imports"),
    path("imports/<int:pk>/", imports.import_detail, name="import-detail"),
    path("imports/<int:pk>/progress/", imports.import_progress, name="import-progress"),
    path("imports/<int:pk>/errors.csv", imports.import_errors_csv, name="import-errors"),
    path("imports/<int:pk>/confirm/", imports.import_confirm, name="import-confirm"),
    path("imports/<int:pk>/cancel/", imports.import_cancel, name="import-cancel"),
]

evidence_patterns = [
    path("evidence/", evidence.evidence_grid, name="evidence"),
]

urlpatterns = flight_deck_patterns + import_patterns + evidence_patterns
