from .catalogue import Kpi, KpiTarget, OffenceCode, OffenceGroup, OutcomeType
from .records import CrimeRecord, HomeOfficeOutcome, ImportBatch
from .snapshots import KpiSnapshot

__all__ = [
    "CrimeRecord",
    "HomeOfficeOutcome",
    "ImportBatch",
    "Kpi",
    "KpiSnapshot",
    "KpiTarget",
    "OffenceCode",
    "OffenceGroup",
    "OutcomeType",
]
