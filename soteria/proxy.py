"""Who is asking: the client's address, believed from the proxy only when one is trusted."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address. Behind a trusted proxy (TRUSTED_PROXY=True) that is the last entry
    of X-Forwarded-For, the one the proxy itself added; otherwise the connection's peer."""
    if settings.TRUSTED_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").rsplit(",", 1)[-1].strip()
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR", "")
