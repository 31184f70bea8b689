from django.urls import path

from . import views

urlpatterns = [
    path("problem-profile/", views.problem_profile, name="problem-profile"),
    path(
        "problem-profile/download.<str:fmt>",
        views.problem_profile_download,
        name="problem-profile-download",
    ),
    path("problem-profile/pdf/", views.problem_profile_pdf, name="problem-profile-pdf"),
    path(
        "problem-profile/pdf/<int:pk>/",
        views.problem_profile_pdf_file,
        name="problem-profile-pdf-file",
    ),
    path(
        "problem-profile/pdf/<int:pk>/progress",
        views.problem_profile_pdf_progress,
        name="problem-profile-pdf-progress",
    ),
]
