from django.urls import path

from .views import evidence, flight_deck, imports

app_name = "kpis"

flight_deck_patterns = [
    path("flight-deck/", flight_deck.flight_deck, name="flight-deck"),
]

import_patterns = [
    path("imports/", imports.import_list, name="imports"),
]

evidence_patterns = [
    path("evidence/", evidence.evidence_grid, name="evidence"),
]

urlpatterns = flight_deck_patterns + import_patterns + evidence_patterns
