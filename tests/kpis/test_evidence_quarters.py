"""A return is for a quarter that has ended; beside each field, last quarter's approved
figures only."""

from kpis.evidence import services as service
from kpis.models import EvidenceReturn
from soteria.periods import Period

from .evidence_personas import *  # noqa: F403
from .evidence_personas import PERIOD


def url(force, period, action="edit/"):
    return f"/forces/{force.slug}/evidence/{period.slug}/pillar-4/{action}"


def test_the_running_quarter_cannot_be_opened_by_its_address(client, pat, force_a):
    current = Period.current()
    client.force_login(pat)
    for action in ("", "edit/"):
        response = client.get(url(force_a, current, action), follow=True)
        assert response.redirect_chain == [(f"/forces/{force_a.slug}/evidence/", 302)]
        assert f"{current.label} has not ended yet, so it has no return" in (
            response.content.decode()
        )


def test_the_running_quarter_cannot_be_saved(client, pat, force_a):
    current = Period.current()
    client.force_login(pat)
    response = client.post(url(force_a, current), {"sickness-days__number": "3", "action": "save"})
    assert response.status_code == 302
    assert not EvidenceReturn.objects.filter(force=force_a, period=current.slug).exists()


def test_an_outsider_still_gets_a_404_for_the_running_quarter(bob_client, force_a):
    assert bob_client.get(url(force_a, Period.current())).status_code == 404


def test_the_last_complete_quarter_opens(client, pat, force_a):
    client.force_login(pat)
    assert client.get(url(force_a, Period.latest_complete())).status_code == 200


def test_the_grid_never_goes_past_the_last_complete_quarter(client, sam, force_a):
    client.force_login(sam)
    response = client.get(f"/forces/{force_a.slug}/evidence/?to={Period.current().slug}")
    assert response.context["grid"].periods[-1] == Period.latest_complete()


def test_last_quarter_shows_a_draft_as_not_reported(client, pat, draft_return, force_a):
    client.force_login(pat)
    page = client.get(url(force_a, PERIOD.next())).content.decode()
    previous = page.split('id="previous-sickness-days"')[1].split("</div>\n")[1]
    assert "Not reported" in previous
    assert "4.5" not in previous


def test_last_quarter_shows_approved_figures(client, pat, sam, approved_return, force_a):
    client.force_login(pat)
    page = client.get(url(force_a, PERIOD.next())).content.decode()
    previous = page.split('id="previous-sickness-days"')[1].split("</div>\n")[1]
    assert "4.5 days" in previous


def test_the_return_page_does_not_show_a_submitted_return_as_last_quarter(
    client, sam, pat, draft_return, force_a
):
    service.submit_return(evidence_return=draft_return, by=pat)
    nxt = service.start_return(
        force=force_a, pillar=draft_return.pillar, period=PERIOD.next(), by=pat
    )
    client.force_login(sam)
    response = client.get(url(force_a, PERIOD.next(), ""))
    rows = {row["kpi"].slug: row for row in response.context["rows"]}
    assert rows["sickness-days"]["previous"] is None
    assert nxt.pk
