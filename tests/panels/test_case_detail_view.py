"""One case: judged on its own page while the meeting is a draft, read-only once finalised."""

from panels import services
from panels.models import LearningTheme


def url(case):
    return f"/forces/{case.meeting.panel.force.slug}/panels/cases/{case.pk}/"


def test_a_dip_sampled_case_is_given_its_judgement_themes_and_referral(client_for, ruth, meeting):
    case = services.add_case(meeting=meeting, by=ruth, crime_reference="A1", selection="dip_sample")
    themes = list(LearningTheme.objects.order_by("order")[:2])
    response = client_for(ruth).post(
        url(case),
        {
            "selection": "dip_sample",
            "judgement": "unsound",
            "judgement_comment": "The rationale relied on delay in reporting",
            "findings": "Myths in the rationale",
            "themes": [t.pk for t in themes],
            "referred_back": "on",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.judgement == "unsound" and case.referred_back
    assert list(case.themes.order_by("order")) == themes


def test_a_judgement_without_a_comment_is_refused_at_the_field(client_for, ruth, meeting):
    case = services.add_case(meeting=meeting, by=ruth, crime_reference="A1", selection="dip_sample")
    response = client_for(ruth).post(url(case), {"selection": "dip_sample", "judgement": "sound"})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "judgement_comment": ["Explain the judgement: a comment is required."]
    }


def test_a_finalised_case_is_read_only(client_for, ruth, judged_meeting):
    services.finalise_meeting(meeting=judged_meeting, by=ruth)
    case = judged_meeting.cases.get()
    client = client_for(ruth)
    page = client.get(url(case))
    assert page.context["form"] is None
    assert "Contact with the victim lapsed" in page.text
    assert "AS/24/5555" not in page.text
    response = client.post(url(case), {"selection": "dip_sample"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.selection == "proposed"


def test_a_chief_officer_reads_the_case(client_for, alice, judged_meeting):
    response = client_for(alice).get(url(judged_meeting.cases.get()))
    assert response.status_code == 200 and response.context["form"] is None


def test_bob_cannot_see_alices_case(client_for, bob, judged_meeting):
    assert client_for(bob).get(url(judged_meeting.cases.get())).status_code == 404


def test_every_change_is_audited_with_who_made_it(client_for, ruth, meeting):
    case = services.add_case(meeting=meeting, by=ruth, crime_reference="A1", selection="dip_sample")
    client = client_for(ruth)
    client.post(url(case), {"judgement": "sound", "judgement_comment": "Fine", "findings": "None"})
    [change, _created] = services.readable_history(case)
    assert change.who == "Ruth"
    assert ("Judgement comment", "—", "Fine") in change.changes
    assert "<strong>Judgement comment</strong>: — → Fine" in client.get(url(case)).text
