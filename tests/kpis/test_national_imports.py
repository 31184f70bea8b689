"""The national imports page: the Home Office outcomes table is national data.

Nina is a national analyst and Ada a national administrator: they load, confirm and cancel
Home Office tables. Ann (an analyst) and Fay (a force administrator) in Avon and Somerset
import their own force's records but get 403 on every national action; Vic, a national
viewer, reads every force but may not change national data. Bob in Staffordshire sees on
his force's imports page which national table his comparisons use.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from kpis.imports import services as imports
from kpis.models import HomeOfficeOutcome, ImportBatch
from soteria.models import Role

from .test_import_home_office import ho_row, write_table

pytestmark = pytest.mark.django_db
FILE = "prc-outcomes-open-data-mar2024-tables-300125.csv"


@pytest.fixture
def people(make_user, force_a, force_b):
    return {
        "nina": make_user("nina", Role.NATIONAL_ANALYST, None, first_name="Nina"),
        "ada": make_user("ada", Role.ADMINISTRATOR, None, first_name="Ada"),
        "vic": make_user("vic", Role.NATIONAL_VIEWER, None),
        "ann": make_user("ann", Role.ANALYST, force_a),
        "fay": make_user("fay", Role.ADMINISTRATOR, force_a),
        "bob": make_user("bob", Role.CHIEF_OFFICER, force_b, first_name="Bob"),
        "sam": make_user("sam", Role.ANALYST, force_b),
    }


def upload(client, path):
    return client.post(
        reverse("national:imports"),
        {"file": SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/csv")},
    )


def table(tmp_path, closed="15", name=FILE):
    rows = [ho_row(), ho_row(**{"Force Name": "Staffordshire"})]
    rows[1]["Outcomes for investigations closed in the quarter"] = closed
    return write_table(tmp_path / name, rows)


@pytest.mark.parametrize("who", ["nina", "ada"])
def test_a_national_importer_loads_the_table_for_every_force(
    who, people, client, tmp_path, django_capture_on_commit_callbacks
):
    client.force_login(people[who])
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, table(tmp_path))

    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("national:import-detail", kwargs={"pk": batch.pk})
    assert batch.force is None
    assert batch.status == ImportBatch.Status.SUCCEEDED, batch.message
    assert HomeOfficeOutcome.objects.count() == 2
    assert "national data" in client.get(response.url).content.decode()


@pytest.mark.parametrize("who", ["ann", "fay", "bob", "vic"])
def test_no_force_role_nor_a_national_viewer_may_load_a_table(who, people, client, tmp_path):
    client.force_login(people[who])

    response = upload(client, table(tmp_path))

    assert response.status_code == 403
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize("who", ["ann", "fay", "bob", "vic"])
def test_force_roles_cannot_see_the_national_imports_page(who, people, client):
    client.force_login(people[who])

    assert client.get(reverse("national:imports")).status_code == 403


def test_the_national_page_needs_a_sign_in(client):
    response = client.get(reverse("national:imports"))

    assert response.status_code == 302
    assert "/login/" in response.url


def _pending_replacement(people, client, tmp_path, django_capture_on_commit_callbacks):
    client.force_login(people["nina"])
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, table(tmp_path))
        upload(client, table(tmp_path, closed="99", name="republished.csv"))
    client.logout()
    return ImportBatch.objects.get(status=ImportBatch.Status.AWAITING_CONFIRMATION)


@pytest.mark.parametrize("who", ["ann", "fay", "sam", "vic"])
@pytest.mark.parametrize("action", ["import-confirm", "import-cancel"])
def test_only_national_importers_confirm_or_cancel_a_pending_table(
    who, action, people, client, tmp_path, django_capture_on_commit_callbacks
):
    pending = _pending_replacement(people, client, tmp_path, django_capture_on_commit_callbacks)
    client.force_login(people[who])

    response = client.post(reverse(f"national:{action}", kwargs={"pk": pending.pk}))

    assert response.status_code == 403
    pending.refresh_from_db()
    assert pending.status == ImportBatch.Status.AWAITING_CONFIRMATION
    staffordshire = HomeOfficeOutcome.objects.get(force__name="Staffordshire")
    assert staffordshire.closed_count == 15


def test_a_force_cannot_reach_a_national_batch_through_its_own_imports_pages(
    people, client, tmp_path, force_a, django_capture_on_commit_callbacks
):
    """The old hole: ``_batches_for`` let any force's analyst confirm a batch with no force."""
    pending = _pending_replacement(people, client, tmp_path, django_capture_on_commit_callbacks)
    client.force_login(people["ann"])
    kwargs = {"force_slug": force_a.slug, "pk": pending.pk}

    assert client.get(reverse("kpis:import-detail", kwargs=kwargs)).status_code == 404
    assert client.post(reverse("kpis:import-confirm", kwargs=kwargs)).status_code == 404
    assert client.post(reverse("kpis:import-cancel", kwargs=kwargs)).status_code == 404
    pending.refresh_from_db()
    assert pending.status == ImportBatch.Status.AWAITING_CONFIRMATION


def test_a_national_analyst_confirms_a_replacement_for_every_force(
    people, client, tmp_path, django_capture_on_commit_callbacks
):
    pending = _pending_replacement(people, client, tmp_path, django_capture_on_commit_callbacks)
    client.force_login(people["nina"])

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("national:import-confirm", kwargs={"pk": pending.pk}))

    pending.refresh_from_db()
    assert pending.status == ImportBatch.Status.SUCCEEDED
    assert pending.replacement_confirmed_by == people["nina"]
    assert HomeOfficeOutcome.objects.get(force__name="Staffordshire").closed_count == 99


def test_every_force_sees_which_national_table_its_comparisons_use(
    people, client, tmp_path, force_b, django_capture_on_commit_callbacks
):
    client.force_login(people["nina"])
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, table(tmp_path))
    client.force_login(people["sam"])

    page = client.get(reverse("kpis:imports", kwargs={"force_slug": force_b.slug}))

    text = page.content.decode()
    assert page.status_code == 200
    assert "National table used for comparisons" in text
    assert FILE in text and "Nina" in text
    assert "Upload and import" in text  # Sam still imports his own force's records


def test_the_service_refuses_a_home_office_table_for_one_force(force_a, tmp_path):
    with pytest.raises(ValueError, match="national data"):
        imports.create_batch(
            kind=ImportBatch.Kind.HOME_OFFICE,
            source=table(tmp_path),
            file_name=FILE,
            force=force_a,
            uploaded_by=None,
        )


def test_the_command_refuses_a_home_office_table_for_one_force(tmp_path):
    with pytest.raises(CommandError, match="national data"):
        call_command(
            "import_outcomes",
            str(table(tmp_path)),
            "--format",
            "home-office",
            "--force",
            "Avon and Somerset",
        )
