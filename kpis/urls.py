"""The kpis app's pages, each capability's under its own paths; one namespace, ``kpis``."""

from .deck.urls import urlpatterns as deck_patterns
from .evidence.urls import urlpatterns as evidence_patterns
from .imports.urls import urlpatterns as import_patterns
from .profile.urls import urlpatterns as profile_patterns

app_name = "kpis"

urlpatterns = deck_patterns + profile_patterns + import_patterns + evidence_patterns
