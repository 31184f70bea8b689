"""The engine's models: the KPI definitions, the stored records it computes from, its snapshots."""

from .definitions import Kpi, OffenceCode, OffenceGroup, OutcomeType
from .peers import PeerGroup
from .records import CrimeRecord, HomeOfficeOutcome, ImportBatch
from .snapshots import KpiSnapshot

__all__ = [
    "CrimeRecord",
    "HomeOfficeOutcome",
    "ImportBatch",
    "Kpi",
    "KpiSnapshot",
    "OffenceCode",
    "OffenceGroup",
    "OutcomeType",
    "PeerGroup",
]
