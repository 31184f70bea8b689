from django.urls import path

from .views import drilldown, flight_deck, step_changes, targets

urlpatterns = [
    path("flight-deck/", flight_deck.flight_deck, name="flight-deck"),
    path("kpis/<slug:kpi_slug>/", drilldown.kpi_detail, name="kpi-detail"),
    path("kpis/<slug:kpi_slug>/download.<str:fmt>", drilldown.kpi_download, name="kpi-download"),
    path("targets/", targets.target_list, name="targets"),
    path(
        "kpis/<slug:kpi_slug>/step-changes/",
        step_changes.step_change_add,
        name="step-change-add",
    ),
    path(
        "kpis/<slug:kpi_slug>/step-changes/<int:pk>/remove/",
        step_changes.step_change_remove,
        name="step-change-remove",
    ),
]
