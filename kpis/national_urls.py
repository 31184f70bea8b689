"""The kpis app's national pages (data that belongs to no force), namespace ``national``."""

from .imports.national_urls import urlpatterns as import_patterns
from .national.urls import urlpatterns as overview_patterns

app_name = "national"

urlpatterns = overview_patterns + import_patterns
