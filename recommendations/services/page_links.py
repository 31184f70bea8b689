"""Links from a response to a page of another area for a chosen quarter (``PageLink``), such as
the force's RASSO problem profile as evidence for HMICFRS recommendation 11.

The pages are named in settings.RECOMMENDATION_LINKABLE_PAGES by URL name and resolved with
reverse(), so this app never imports the area that serves them. A link is shown only to a
reader who may open the page in the response's force (soteria.access), and the page scopes
itself. Adding or removing one is a note in the response's history.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import NoReverseMatch, reverse

from soteria.access import can
from soteria.periods import Period

from ..models import PageLink, Response
from .common import audit_note, display_name, unlink

QUARTERS = 12  # how far back a link's quarter may be chosen


def linkable_pages() -> dict[str, dict]:
    return getattr(settings, "RECOMMENDATION_LINKABLE_PAGES", {})


def page_choices() -> list[tuple[str, str]]:
    return [(key, page["label"]) for key, page in linkable_pages().items()]


def quarter_choices() -> list[tuple[str, str]]:
    """Complete quarters, latest first."""
    latest = Period.latest_complete()
    return [(q.slug, q.label) for q in reversed(latest.trailing(QUARTERS))]


def describe(link: PageLink) -> str:
    page = linkable_pages().get(link.page)
    if page is None:
        return "A linked page that is no longer available"
    return f"{page['label']}: {page['period_label']} {Period.parse(link.period).label}"


@transaction.atomic
def add_page_link(*, response: Response, by, page: str, period: str) -> PageLink:
    """Link the response to a page for a complete quarter; linking it again changes nothing."""
    if page not in linkable_pages():
        raise ValidationError({"page": "Choose a page from the list."})
    if period not in dict(quarter_choices()):
        raise ValidationError({"period": "Choose a complete quarter from the list."})
    link, created = PageLink.objects.get_or_create(
        response=response, page=page, period=period, defaults={"added_by": by}
    )
    if created:
        response._change_reason = audit_note(f"Linked to {describe(link)} by {display_name(by)}")
        response.save()
    return link


@transaction.atomic
def remove_page_link(*, link: PageLink, by) -> None:
    unlink(link=link, name=describe(link), by=by)


@dataclass
class LinkedPage:
    link: PageLink
    label: str
    url: str


def linked_pages(*, response: Response, user) -> list[LinkedPage]:
    """The response's page links that the user may open, each with its URL in the force."""
    rows = []
    for link in response.page_links.all():
        page = linkable_pages().get(link.page)
        if page is None or not can(user, page["action"], response.force):
            continue
        try:
            path = reverse(page["url_name"], args=[response.force.slug])
        except NoReverseMatch:
            continue
        rows.append(LinkedPage(link, describe(link), f"{path}?{page['parameter']}={link.period}"))
    return rows
