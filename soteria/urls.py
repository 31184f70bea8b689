from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

force_patterns = [
    path("", views.force_home, name="force-home"),
    path("", include("kpis.urls")),
    path("panels/", include("panels.urls")),
    path("recommendations/", include("recommendations.urls")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("forces/<slug:force_slug>/", include(force_patterns)),
    path("admin/", admin.site.urls),
]
