from django.urls import path

from . import peer_views, views

urlpatterns = [
    path("", views.national_overview, name="overview"),
    path("peer-groups/", peer_views.peer_groups, name="peer-groups"),
    path("peer-groups/recompute/", peer_views.peer_groups_recompute, name="peer-groups-recompute"),
    path("peer-groups/<slug:force_slug>/", peer_views.peer_group, name="peer-group"),
    path(
        "peer-groups/<slug:force_slug>/reset/", peer_views.peer_group_reset, name="peer-group-reset"
    ),
]
