from django.urls import path

from .views import (
    board_pack,
    commentary,
    crosstab,
    deck_download,
    drilldown,
    flight_deck,
    step_changes,
    targets,
)

urlpatterns = [
    path("flight-deck/", flight_deck.flight_deck, name="flight-deck"),
    path("flight-deck/download.<str:fmt>", deck_download.deck_download, name="deck-download"),
    path("board-pack/", board_pack.board_pack, name="board-pack"),
    path("board-pack/pdf/", board_pack.board_pack_pdf, name="board-pack-pdf"),
    path("board-pack/pdf/<int:pk>/", board_pack.board_pack_file, name="board-pack-file"),
    path(
        "board-pack/pdf/<int:pk>/progress",
        board_pack.board_pack_progress,
        name="board-pack-progress",
    ),
    path(
        "kpis/charge-volume/by-relationship/",
        crosstab.relationship_crosstab,
        name="relationship-crosstab",
    ),
    path(
        "kpis/charge-volume/by-relationship/download.<str:fmt>",
        crosstab.relationship_crosstab_download,
        name="relationship-crosstab-download",
    ),
    path("kpis/<slug:kpi_slug>/", drilldown.kpi_detail, name="kpi-detail"),
    path("kpis/<slug:kpi_slug>/download.<str:fmt>", drilldown.kpi_download, name="kpi-download"),
    path("kpis/<slug:kpi_slug>/commentary/", commentary.kpi_commentary, name="kpi-commentary"),
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
