"""A linked KPI reads on the recommendation page as it reads on the flight deck.

Pat links recommendation 11 to the victim-device KPI. Quinn's approved pillar 6 returns say
56 of 83 victims' devices came back within 24 hours in 2024/25 Q1 and 43 of 73 in Q2: the
page says 58.9%, not 5890.4%, and its trend reads 67.5% then 58.9% to a screen reader.
"""

import datetime as dt
import re

import pytest

from kpis.engine.snapshots import compute_snapshots
from kpis.evidence import services as evidence
from kpis.models import EvidenceReturn, Kpi
from recommendations import services
from soteria.models import Pillar, Role
from soteria.periods import Period

from . import factories

pytestmark = pytest.mark.django_db
Q2 = Period(2024, 2)


def test_an_evidence_percentage_reads_as_on_the_deck(
    pat_client, pat, sam, make_user, force_a, rec11
):
    quinn = make_user("quinn", Role.PILLAR_LEAD, force_a, pillars=[6])
    for period, (returned, taken) in ((Q2.previous(), (56, 83)), (Q2, (43, 73))):
        ret = evidence.start_return(
            force=force_a, pillar=Pillar.objects.get(number=6), period=period, by=quinn
        )
        evidence.save_return(
            evidence_return=ret,
            values={"victim-device-return": {"numerator": returned, "denominator": taken}},
            narrative="",
            by=quinn,
        )
        ret.status, ret.reviewed_by = EvidenceReturn.Status.APPROVED, sam
        ret.approved_at = dt.datetime.combine(period.end, dt.time(12), tzinfo=dt.UTC)
        ret.save()
        compute_snapshots(force=force_a, period=period)
    kpi = Kpi.objects.get(slug="victim-device-return")
    services.set_kpis(response=factories.response(force=force_a, rec=rec11), by=pat, kpis=[kpi])
    page = pat_client.get(f"/forces/{force_a.slug}/recommendations/{rec11.pk}/").content.decode()
    shown = re.search(r'<span class="kpi-value">([^<]*)</span>', page).group(1)
    assert shown == f"{100 * 43 / 73:.1f}%" == "58.9%"
    spoken = f"2024/25 Q1 {100 * 56 / 83:.1f}%, 2024/25 Q2 {100 * 43 / 73:.1f}%"
    assert f'aria-label="Trend of {kpi.name}: {spoken}"' in page  # not "0.7, 0.6"
