"""Commentary on a KPI for a quarter: what it shows and what the force is doing about it.

Written by the force Soteria lead or the KPI's pillar lead (soteria/access.py,
"write_commentary"); every version is kept with who wrote it (django-simple-history).
"""

from django.core.exceptions import ValidationError

from soteria.models import Force
from soteria.periods import Period

from ..engine.models import Kpi
from .models import KpiCommentary

MAX_LENGTH = 2000


def commentary_for(*, force: Force, kpi: Kpi, period: Period) -> KpiCommentary | None:
    return (
        KpiCommentary.objects.filter(force=force, kpi=kpi, period=period.slug)
        .select_related("written_by")
        .first()
    )


def write_commentary(*, force: Force, kpi: Kpi, period: Period, text: str, by) -> KpiCommentary:
    text = text.strip()
    if not text:
        raise ValidationError("Write what this shows and what is being done.")
    if len(text) > MAX_LENGTH:
        raise ValidationError(f"Keep the commentary to {MAX_LENGTH} characters.")
    commentary = KpiCommentary.objects.filter(force=force, kpi=kpi, period=period.slug).first()
    if commentary is None:
        commentary = KpiCommentary(force=force, kpi=kpi, period=period.slug)
    commentary.text, commentary.written_by = text, by
    commentary._history_user = by
    commentary.full_clean()
    commentary.save()
    return commentary
