from .catalogue import Kpi, KpiTarget, OffenceCode, OffenceGroup, OutcomeType
from .records import CrimeRecord, ImportBatch
from .snapshots import KpiSnapshot

__all__ = [
    "CrimeRecord",
    "ImportBatch",
    "Kpi",
    "KpiSnapshot",
    "KpiTarget",
    "OffenceCode",
    "OffenceGroup",
    "OutcomeType",
]
