"""In-app notifications and their e-mails: a return submitted, returned or approved, a
recommendation signed off, a response record awaiting approval or published.

A room's service calls ``notify`` inside the transaction that changes the record, so a
notification exists only if the change does. The e-mails go after the commit, through a
job; an e-mail that fails is logged and left unsent (``emailed_at`` empty), never undoing or
hiding the change. Recipients are checked against ``soteria.access``: each must hold the
given action in the force, so nobody hears about a record they may not open.
"""

import logging
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from . import access
from .jobs import queue
from .models import Force, Membership, Notification
from .notify import send_notice

log = logging.getLogger(__name__)


def notify(
    *,
    recipients: Iterable,
    force: Force,
    action: str,
    verb: str,
    text: str,
    link: str,
    by=None,
) -> list[Notification]:
    """Tell each recipient who may perform ``action`` in ``force``; returns the notifications.

    The same person listed twice hears once; inactive users, outsiders and the person who
    did it (``by``) not at all.
    """
    people = {}
    for user in recipients:
        if user is None or not user.is_active or user.pk in people:
            continue
        if by is not None and user.pk == by.pk:
            continue
        if access.can(user, action, force) or access.seated_in(user, action, force):
            people[user.pk] = user
    notifications = [
        Notification.objects.create(recipient=user, force=force, verb=verb, text=text, link=link)
        for user in people.values()
    ]
    if notifications:
        queue(
            "soteria.send_notification_emails",
            notification_ids=[n.pk for n in notifications],
        )
    return notifications


def holders(*, force: Force, role: str) -> list:
    """The active users holding a role in the force itself (not national roles): the force's
    Soteria lead, its PCC office, its chief officers."""
    return [
        m.user
        for m in Membership.objects.filter(force=force, role=role, user__is_active=True)
        .select_related("user")
        .order_by("user__username")
    ]


def send_notification_emails(*, notification_ids: list[int]) -> int:
    """E-mail each notification not yet e-mailed; returns how many went. One that fails is
    logged and left for another run: the change it tells of is already saved."""
    sent = 0
    pending = Notification.objects.filter(
        pk__in=notification_ids, emailed_at__isnull=True
    ).select_related("recipient")
    for notification in pending:
        try:
            delivered = send_notice(
                user=notification.recipient,
                subject=notification.text.split("\n")[0][:150],
                template="email/notification.txt",
                context={"notification": notification},
            )
        except Exception as error:  # the mail server is down: the notification stays in-app
            log.error(
                "Could not e-mail notification %s to %s: %s: %s",
                notification.pk,
                notification.recipient,
                type(error).__name__,
                error,
            )
            continue
        if delivered:
            Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
            sent += 1
    return sent


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def for_user(user, *, limit: int = 100, unread: bool = False) -> list[Notification]:
    mine = Notification.objects.filter(recipient=user).select_related("force")
    if unread:
        mine = mine.filter(read_at__isnull=True)
    return list(mine[:limit])


@transaction.atomic
def mark_read(*, user, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's own notifications read (all unread ones when no ids are given)."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    return unread.update(read_at=timezone.now())
