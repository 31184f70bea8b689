from django.urls import path

from . import views

urlpatterns = [
    path("", views.national_overview, name="overview"),
]
