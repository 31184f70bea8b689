from .catalogue import Kpi, KpiTarget, OffenceCode, OffenceGroup, OutcomeType
from .evidence import EvidenceAttachment, EvidenceReminder, EvidenceReturn, EvidenceValue
from .records import CrimeRecord, HomeOfficeOutcome, ImportBatch
from .snapshots import KpiSnapshot

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
    "KpiTarget",
    "OffenceCode",
    "OffenceGroup",
    "OutcomeType",
]
