from django.urls import path

from . import views

urlpatterns = [
    path("problem-profile/", views.problem_profile, name="problem-profile"),
    path(
        "problem-profile/download.<str:fmt>",
        views.problem_profile_download,
        name="problem-profile-download",
    ),
]
