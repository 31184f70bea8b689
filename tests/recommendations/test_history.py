"""The audit trail reads as prose: labels and local dates, never stored values or Python reprs."""

import datetime as dt

import pytest
import time_machine

from recommendations import services
from soteria.history import history_rows

from . import factories

pytestmark = pytest.mark.django_db


@time_machine.travel(dt.datetime(2026, 12, 6, 19, 38, 28, 871199, tzinfo=dt.UTC))
def test_sign_off_times_read_as_dates_in_local_time(alice, pat, force_a, rec11):
    response = factories.response(force=force_a, rec=rec11)
    factories.update(response=response, by=pat, files=1)
    services.sign_off(response=response, by=alice, note="Seen.")
    (row, *_) = history_rows(response)
    changes = {label: (old, new) for label, old, new in row.changes}
    assert changes["Signed off at"] == ("—", "6 Dec 2026 19:38")
    assert changes["Status"] == ("In progress", "Complete")
    assert changes["Signed off by"] == ("—", "Alice")


@time_machine.travel(dt.datetime(2024, 7, 1, 9, 5, tzinfo=dt.UTC))
def test_a_published_record_shows_no_python_dict_or_raw_timestamp(
    pat_client, pat, alice, force_a, soteria_2024
):
    from .test_response_record import publish_version_1

    publish_version_1(pat=pat, alice=alice, force=force_a, inspection=soteria_2024)
    url = f"/forces/{force_a.slug}/recommendations/inspections/{soteria_2024.slug}/response-record/"
    page = pat_client.get(url).content.decode()
    history = page[page.index('id="history-heading"') :]
    assert "{&#x27;" not in history and "{'" not in history
    assert "+00:00" not in history
    assert "1 Jul 2024 10:05" in history
