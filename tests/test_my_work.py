"""The "my work" page everyone lands on after signing in: each role's work, each item a link
to where it is done, in a fixed number of queries however much work there is."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kpis.evidence import services as evidence
from kpis.models import ImportBatch
from soteria.models import Pillar, Role
from soteria.periods import Period

pytestmark = pytest.mark.django_db


def sections(page) -> dict[str, list[str]]:
    return {heading: [i.title for i in items] for heading, items in page.context["sections"]}


def test_signing_in_lands_on_my_work(client, alice):
    alice.set_password("pw")
    alice.save()
    response = client.post("/login/", {"username": "alice", "password": "pw"}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert '<h1 class="h2">My work</h1>' in response.content.decode()


def test_a_user_with_nothing_to_do_is_told_so(alice_client):
    page = alice_client.get("/")
    assert page.context["sections"] == []
    assert 'id="nothing-to-do"' in page.content.decode()


def _returns(force, lead, count):
    """``count`` pillar-4 returns submitted, in the quarters before the last complete one."""
    pillar = Pillar.objects.get(number=4)
    for period in Period.latest_complete().shift(-2).trailing(count):
        ret = evidence.start_return(force=force, pillar=pillar, period=period, by=lead)
        if not ret.is_editable:
            continue
        evidence.save_return(
            evidence_return=ret, values={"sickness-days": {"number": 3.0}}, narrative="n", by=lead
        )
        ret.status = ret.Status.SUBMITTED
        ret.submitted_by, ret.submitted_at = lead, timezone.now()
        ret.save()


def _count(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries)


def test_the_soteria_leads_page_takes_the_same_queries_for_one_return_or_eight(
    client, make_user, force_a, django_assert_max_num_queries
):
    lead = make_user("pat", Role.PILLAR_LEAD, force_a, pillars=[4])
    sam = make_user("sam", Role.SOTERIA_LEAD, force_a, first_name="Sam")
    client.force_login(sam)
    _returns(force_a, lead, 1)
    one = _count(client)
    _returns(force_a, lead, 8)
    assert _count(client) == one
    with django_assert_max_num_queries(16):
        page = client.get("/")
    awaiting = sections(page)["Awaiting your approval or sign-off"]
    assert len(awaiting) == 8
    assert all(t.startswith("Review the pillar 4 return, ") for t in awaiting)


def test_every_item_links_to_where_the_work_is_done(client, make_user, force_a):
    lead = make_user("pat", Role.PILLAR_LEAD, force_a, pillars=[4])
    sam = make_user("sam", Role.SOTERIA_LEAD, force_a)
    _returns(force_a, lead, 2)
    for user in (lead, sam):
        client.force_login(user)
        for _, items in client.get("/").context["sections"]:
            for item in items:
                assert client.get(item.url).status_code == 200, (user, item.url)


def test_an_analyst_sees_the_last_import_and_a_failed_one(client, make_user, force_a, force_b):
    andy = make_user("andy", Role.ANALYST, force_a)
    for force, name, status in (
        (force_a, "october.csv", ImportBatch.Status.SUCCEEDED),
        (force_a, "november.csv", ImportBatch.Status.FAILED),
        (force_b, "staffs.csv", ImportBatch.Status.FAILED),
    ):
        ImportBatch.objects.create(
            force=force, kind="records", file_name=name, file_sha256="0" * 64, status=status
        )
    client.force_login(andy)
    found = sections(client.get("/"))
    assert found["Overdue"] == ["Avon and Somerset: november.csv (failed)"]
    assert "staffs.csv" not in str(found)  # Staffordshire's is not his


def test_an_administrator_sees_people_waiting_for_a_role(client, make_user):
    get_user_model().objects.create_user("newbie", first_name="Nell", last_name="New")
    root = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    client.force_login(root)
    page = client.get("/")
    found = sections(page)
    assert "Give Nell New a role" in found["Awaiting your approval or sign-off"]
    item = next(i for _, items in page.context["sections"] for i in items if "Nell" in i.title)
    assert client.get(item.url).status_code == 200  # the admin page that gives the role


def test_a_force_member_never_sees_who_is_waiting_for_a_role(client, alice):
    get_user_model().objects.create_user("newbie", first_name="Nell")
    client.force_login(alice)
    assert "Nell" not in client.get("/").content.decode()


def test_a_national_viewer_sees_which_national_table_is_in_use(client, make_user):
    ImportBatch.objects.create(
        force=None,
        kind="home-office",
        file_name="outcomes-2025.ods",
        file_sha256="1" * 64,
        status=ImportBatch.Status.SUCCEEDED,
        finished_at=timezone.now() - dt.timedelta(days=3),
    )
    client.force_login(make_user("nina", Role.NATIONAL_VIEWER, None))
    found = sections(client.get("/"))
    assert found["Data"] == ["National Home Office table in use: outcomes-2025.ods"]


def test_a_chief_officers_and_the_pcc_offices_pages_take_the_same_queries_for_one_or_five(
    client, make_user, force_a, django_assert_max_num_queries
):
    from recommendations import services as recs
    from recommendations.models import Inspection, Status

    alice = make_user("alice", Role.CHIEF_OFFICER, force_a)
    penny = make_user("penny", Role.PCC_STAFF, force_a)
    inspection = Inspection.objects.get(slug="soteria-nom-2024", force=None)
    numbers = list(
        inspection.recommendations.filter(addressee="forces").values_list("number", flat=True)
    )

    def awaiting(first, last):
        for number in numbers[first:last]:
            rec = inspection.recommendations.get(number=number)
            response = recs.ensure_response(force=force_a, recommendation=rec)
            response.status = Status.AWAITING_SIGN_OFF
            response.save()
            recs.add_action(
                response=response,
                by=penny,
                title=f"Action {number}",
                owner=alice,
                due_date=dt.date.today(),
            )

    awaiting(0, 1)
    client.force_login(alice)
    alice_one = _count(client)
    client.force_login(penny)
    penny_one = _count(client)
    awaiting(1, len(numbers))
    assert len(numbers) == 5
    client.force_login(alice)
    assert _count(client) == alice_one
    with django_assert_max_num_queries(16):
        page = client.get("/")
    assert len(sections(page)["Awaiting your approval or sign-off"]) == 5
    assert len(sections(page)["Actions you own"]) == 5
    client.force_login(penny)
    assert _count(client) == penny_one
