from django.urls import path

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
]

evidence_patterns = [
    path("evidence/", evidence.evidence_grid, name="evidence"),
]

urlpatterns = flight_deck_patterns + import_patterns + evidence_patterns
