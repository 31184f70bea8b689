"""Evidence returns on a person's "my work" page (settings.MY_WORK_SOURCES).

A pillar lead sees their pillars' returns that are due, overdue or sent back to them; a
force's Soteria lead (or force administrator) sees returns awaiting approval and the
force's overdue returns. Three queries, however many forces, pillars and returns.
"""

import datetime as dt

from django.db.models import Q
from django.urls import reverse

from soteria import access
from soteria.periods import Period
from soteria.work import Section, WorkItem

from ..models import EvidenceReturn
from .due_dates import default_due_date
from .returns import days_overdue, evidence_pillars, person

Status = EvidenceReturn.Status
RECENT_QUARTERS = 2  # the return being made now, and the one before that may still be late


def _recent(today: dt.date) -> list[Period]:
    return Period.containing(today).previous().trailing(RECENT_QUARTERS)


def _url(name: str, force, period: Period, pillar) -> str:
    return reverse(
        name, kwargs={"force_slug": force.slug, "period": period.slug, "pillar": pillar.number}
    )


def my_work(*, user, today: dt.date) -> list[WorkItem]:
    forces = access.own_forces(user)
    if access.is_national_admin(user) or not forces:
        return []
    led = {f.pk: access.pillars_led(user, f) for f in forces}
    reviews = {f.pk for f in forces if access.can(user, "review_evidence", f)}
    if not any(led.values()) and not reviews:
        return []
    recent = _recent(today)
    pillars = evidence_pillars()
    returns = {
        (r.force_id, r.pillar_id, r.period): r
        for r in EvidenceReturn.objects.filter(force__in=forces)
        .filter(Q(period__in=[p.slug for p in recent]) | ~Q(status=Status.APPROVED))
        .select_related("submitted_by", "reviewed_by")
    }
    items: dict[tuple[str, str], WorkItem] = {}
    periods = sorted({*recent, *(Period.parse(key[2]) for key in returns)})
    for force in forces:
        mine, reviewing = led.get(force.pk, set()), force.pk in reviews
        for period in periods:
            for pillar in pillars:
                ret = returns.get((force.pk, pillar.pk, period.slug))
                if ret is None and period not in recent:
                    continue
                name = f"Pillar {pillar.number} return, {period.label}"
                due = ret.due_date if ret else default_due_date(period)
                late = days_overdue(ret, due_date=due, today=today)
                page = _url("kpis:evidence-return", force, period, pillar)
                if pillar.pk in mine and (ret is None or ret.is_editable):
                    returned = ret is not None and ret.status == Status.RETURNED
                    detail = (
                        f"Returned by {person(ret.reviewed_by)}: {ret.reviewer_comment}"
                        if returned
                        else ("Draft saved; not yet submitted" if ret else "Not started")
                    )
                    if late:
                        section = Section.OVERDUE
                        detail += f" · {late} day{'s' if late != 1 else ''} overdue"
                    else:
                        section = Section.RETURNED if returned else Section.DUE
                    url = page if ret else _url("kpis:evidence-edit", force, period, pillar)
                    items[(section, url)] = WorkItem(
                        section, name, url, detail, due=due, force=force, overdue=bool(late)
                    )
                elif reviewing and ret is not None and ret.is_awaiting_review:
                    items[(Section.AWAITING, page)] = WorkItem(
                        Section.AWAITING,
                        f"Review the {name[0].lower()}{name[1:]}",
                        page,
                        f"{ret.get_status_display()} by {person(ret.submitted_by)} on "
                        f"{ret.submitted_at:%-d %b %Y}",
                        due=due,
                        force=force,
                    )
                elif reviewing and late:
                    status = ret.get_status_display() if ret else "Not started"
                    items[(Section.OVERDUE, page)] = WorkItem(
                        Section.OVERDUE,
                        name,
                        page,
                        f"{status}, with the pillar lead: {late} day{'s' if late != 1 else ''} "
                        "overdue",
                        due=due,
                        force=force,
                        overdue=True,
                    )
    return list(items.values())
