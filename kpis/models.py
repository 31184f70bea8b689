"""Django's model registry for the kpis app.

Each model lives in its capability's package (engine, evidence, deck, profile); they are all imported
here so that Django finds them under the one app label, ``kpis``, and no table moves. Code
imports a model from its own package, not from here.
"""

from .deck.models import BoardPack, KpiCommentary, KpiStepChange, KpiTarget
from .engine.models import (
    CrimeRecord,
    HomeOfficeOutcome,
    ImportBatch,
    Kpi,
    KpiSnapshot,
    OffenceCode,
    OffenceGroup,
    OutcomeType,
    PeerGroup,
)
from .evidence.models import EvidenceAttachment, EvidenceReminder, EvidenceReturn, EvidenceValue
from .profile.models import ProfilePdf

__all__ = [
    "CrimeRecord",
    "EvidenceAttachment",
    "EvidenceReminder",
    "EvidenceReturn",
    "EvidenceValue",
    "HomeOfficeOutcome",
    "ImportBatch",
    "Kpi",
    "KpiSnapshot",
    "KpiStepChange",
    "KpiTarget",
    "KpiCommentary",
    "BoardPack",
    "OffenceCode",
    "OffenceGroup",
    "OutcomeType",
    "PeerGroup",
    "ProfilePdf",
]
