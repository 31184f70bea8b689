"""The administrator extends the learning-theme taxonomy and sees panel records in admin."""

import pytest
from django.contrib.auth import get_user_model

from panels.models import LearningTheme


@pytest.fixture
def admin_client(client, db):
    client.force_login(get_user_model().objects.create_superuser("root", password="x"))
    return client


def test_an_administrator_adds_a_learning_theme(admin_client):
    response = admin_client.post(
        "/admin/panels/learningtheme/add/",
        {"slug": "interpreters", "name": "Use of interpreters", "active": "on", "order": 200},
    )
    assert response.status_code == 302
    assert LearningTheme.objects.get(slug="interpreters").name == "Use of interpreters"


@pytest.mark.parametrize("model", ["panel", "meeting", "casereview", "action", "learningtheme"])
def test_every_panel_model_has_an_admin_page(admin_client, judged_meeting, model):
    assert admin_client.get(f"/admin/panels/{model}/").status_code == 200


def test_a_panels_members_are_edited_inline(admin_client, panel):
    response = admin_client.get(f"/admin/panels/panel/{panel.pk}/change/")
    assert response.status_code == 200
    assert "Isla ISVA" in response.text
