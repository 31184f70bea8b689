"""Content-Security-Policy: django-csp's middleware, plus a named list of pages that still carry
inline scripts and are allowed them until those scripts move into static files."""

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        match = getattr(request, "resolver_match", None)
        extra = settings.CSP_TRANSITIONAL_SCRIPT_SOURCES.get(match.view_name) if match else None
        if extra and not report_only:
            update = dict(parts.update or {})
            update["script-src"] = [*update.get("script-src", []), *extra]
            parts.update = update
        return parts
