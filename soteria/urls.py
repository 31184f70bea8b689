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
    path("forces/", views.force_list, name="forces"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications-read"),
    path("notifications/<int:pk>/open/", views.notification_open, name="notification-open"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("forces/<slug:force_slug>/", include(force_patterns)),
    path("national/", include("kpis.national_urls")),
    path("admin/", admin.site.urls),
]
