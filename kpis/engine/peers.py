"""Most-similar peer groups: the default computed from the Home Office table, and a force's group
as the comparisons read it.

The method (docs/peer-groups.md): over the last eight quarters for which a Home Office table
is held, all RASSO, closed basis, each force is described by seven numbers: the logarithm
of its outcomes per year (volume) and the shares of its outcomes that are charges, victim
does not support action (14, 16), evidential difficulties with a supportive victim (15),
prosecution prevented or not in the public interest, further investigation not in the
public interest (21) and no suspect identified (18). Each number is standardised across
the forces (z-score), so each counts equally; the distance between two forces is the
Euclidean distance between their seven standardised numbers, and a force's most similar
forces are the ``settings.PEER_GROUP_SIZE`` nearest (ties by name). A force with a cell
the table does not provide in any quarter of the window is left out: it gets no computed
group and is in no other force's. The figures come from record_kpis.national_table, the
same table every comparison reads.
"""

import math

import pandas as pd
from django.conf import settings
from django.db import transaction

from soteria.models import Force
from soteria.periods import Period

from .models import HomeOfficeOutcome, OffenceGroup, PeerGroup
from .record_frames import batch_versions
from .record_kpis import national_table
from .snapshots import periods_with_data, queue_snapshots

WINDOW_QUARTERS = 8
SHARES = {
    "charges": "charge share",
    "withdrawals": "victim does not support share",
    "nfa_evidential": "evidential difficulties (victim supports) share",
    "nfa_prevented": "prosecution prevented share",
    "nfa_police_decision": "police decision share",
    "nfa_no_suspect": "no suspect identified share",
}
FEATURES = ["volume", *SHARES]
LEFT_OUT = "a cell of the Home Office table is not provided in the window, or no outcomes"


def window() -> list[Period]:
    """The last eight quarters for which a Home Office table is held, oldest first."""
    pairs = HomeOfficeOutcome.objects.values_list("financial_year", "quarter").distinct()
    held = sorted({Period(int(year[:4]), quarter) for year, quarter in pairs})
    return held[-WINDOW_QUARTERS:]


def similarity_table(quarters: list[Period]) -> pd.DataFrame:
    """One row per force with complete data over the quarters: its seven numbers, raw and
    standardised (columns ``z_<feature>``), indexed by force name."""
    version = batch_versions(force=Force(pk=0))[1]
    columns = [*SHARES, "outcomes"]
    frames = []
    for quarter in quarters:
        table = national_table(period=quarter, version=version)[OffenceGroup.ALL]
        if not table.empty:
            frames.append(table[["force", *columns]])
    if not frames:
        return pd.DataFrame(columns=FEATURES)
    joined = pd.concat(frames, ignore_index=True)
    complete = joined.groupby("force")[columns].apply(
        lambda part: len(part) == len(frames) and bool(part.notna().all().all())
    )
    sums = joined.groupby("force")[columns].sum()
    sums = sums[complete & (sums["outcomes"] > 0)]
    table = pd.DataFrame(index=sums.index)
    table["volume"] = [math.log(total * 4 / len(frames)) for total in sums["outcomes"]]
    for column in SHARES:
        table[column] = sums[column] / sums["outcomes"]
    for feature in FEATURES:
        spread = table[feature].std(ddof=0)
        centred = table[feature] - table[feature].mean()
        table[f"z_{feature}"] = centred / spread if spread > 0 else 0.0
    return table


def nearest(table: pd.DataFrame, size: int) -> dict[str, list[tuple[str, float]]]:
    """Each force's ``size`` nearest forces with their distances, nearest first."""
    z = table[[f"z_{f}" for f in FEATURES]]
    groups = {}
    for force, row in z.iterrows():
        distances = ((z - row) ** 2).sum(axis=1).pow(0.5).drop(index=force)
        ordered = sorted(distances.items(), key=lambda item: (item[1], item[0]))
        groups[force] = [(name, float(distance)) for name, distance in ordered[:size]]
    return groups


def compute_peer_groups(*, size: int | None = None) -> dict[str, int]:
    """Recompute every force's default group; a group a national administrator set is kept
    (its computed default is still stored beside it). Forces whose members change have
    their snapshots recomputed, so every comparison names the group it used."""
    size = size or settings.PEER_GROUP_SIZE
    quarters = window()
    if not quarters:
        return {"groups": 0, "changed": 0}
    table = similarity_table(quarters)
    groups = nearest(table, size)
    span = f"{quarters[0].label} to {quarters[-1].label}"
    forces = {f.name: f for f in Force.objects.all()}
    existing = {g.force_id: g for g in PeerGroup.objects.all()}
    changed = []
    with transaction.atomic():
        for name, force in forces.items():
            computed = {
                "window": span,
                "quarters": len(quarters),
                "size": size,
                "members": [{"force": n, "distance": round(d, 3)} for n, d in groups.get(name, [])],
                "left_out": "" if name in groups else LEFT_OUT,
            }
            group = existing.get(force.pk) or PeerGroup(force=force)
            names = [m["force"] for m in computed["members"]]
            unchanged = group.computed == computed and (
                group.source == PeerGroup.Source.EDITED or names == group.names
            )
            if group.pk is not None and unchanged:
                continue  # the same table again: no history row that says nothing
            group.computed = computed
            if group.source == PeerGroup.Source.COMPUTED:
                if group.pk is None or names != group.names:
                    changed.append(force)
                group.members_named = "; ".join(names)
                group.reason = f"Computed from the Home Office table, {span}"
                group.updated_by = None
                group._change_reason = "Computed default"
                group.save()
                group.members.set([forces[n] for n in names])
            else:
                group._change_reason = "Computed default refreshed; the members set stand"
                group.save()
    for force in changed:
        queue_snapshots(force=force, periods=periods_with_data(force=force))
    return {"groups": len(forces), "changed": len(changed)}
