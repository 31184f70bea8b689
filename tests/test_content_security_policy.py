"""Every page carries a strict Content-Security-Policy: scripts from this site only, no inline
script except on the few pages still listed as transitional, each of which says why."""

import json
import re

import pytest
from django.conf import settings
from django.urls import reverse

from kpis.engine.snapshots import compute_snapshots
from kpis.imports.synthetic import add_synthetic_records
from kpis.models import Kpi
from soteria.periods import Period

pytestmark = pytest.mark.django_db

Q1 = Period.parse("2024-25-q1")
PAYLOAD = "</script><script>document.title='pwned'</script>"


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in header.split("; ") if d}


def test_the_sign_in_page_has_the_policy(client):
    policy = _policy(client.get("/login/"))

    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]


@pytest.mark.parametrize(
    "name", ["force-home", "kpis:flight-deck", "recommendations:register", "panels:list"]
)
def test_force_pages_allow_no_inline_script(alice_client, force_a, name):
    response = alice_client.get(reverse(name, kwargs={"force_slug": force_a.slug}))

    assert response.status_code == 200
    script_src = _policy(response)["script-src"]
    assert "'self'" in script_src
    assert not {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'"} & set(script_src)


def test_no_page_is_allowed_inline_script():
    assert settings.CSP_TRANSITIONAL_SCRIPT_SOURCES == {}


def test_a_page_that_uses_the_nonce_names_it_in_the_policy(rf):
    from django.http import HttpResponse

    from soteria.csp import ContentSecurityPolicyMiddleware

    request = rf.get("/")
    middleware = ContentSecurityPolicyMiddleware(
        lambda r: HttpResponse(f"<script nonce='{r.csp_nonce}'>")
    )
    response = middleware(request)

    assert f"'nonce-{request.csp_nonce}'" in _policy(response)["script-src"]


def test_a_kpi_name_cannot_end_the_chart_data_block(alice_client, force_a, force_b):
    add_synthetic_records(forces=[force_a, force_b], records=600, seed=41)
    compute_snapshots(force=force_a, period=Q1)
    Kpi.objects.filter(slug="charge-rate").update(name=PAYLOAD)

    response = alice_client.get(
        reverse("kpis:kpi-detail", kwargs={"force_slug": force_a.slug, "kpi_slug": "charge-rate"})
        + f"?period={Q1.slug}"
    )

    body = response.content.decode()
    assert PAYLOAD not in body
    blocks = re.findall(r'<script[^>]*type="application/json"[^>]*>(.*?)</script>', body, re.S)
    assert any(PAYLOAD in json.dumps(json.loads(b), ensure_ascii=False) for b in blocks)
