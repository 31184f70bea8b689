"""Reminder and digest e-mails, through Django's mail backend.

Callers decide who may hear about what (``soteria.access``): a recipient is
only ever told about records they may see.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string


def send_notice(*, user, subject: str, template: str, context: dict) -> bool:
    """Send one plain-text e-mail rendered from a template; False when the user has no address."""
    if not user.email or not user.is_active:
        return False
    body = render_to_string(template, {"user": user, "site_root": settings.SITE_ROOT, **context})
    send_mail(
        subject=f"[Soteria flight deck] {subject}",
        message=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
    )
    return True
