"""Most-similar peer groups as national administrators keep them: view, set, reset, recompute.

The default groups are computed by the engine (kpis.engine.peers, queued after every national
import); here a national administrator sets a force's members by hand (with a reason, kept in
the group's history) or puts the computed default back. Every change recomputes the force's
snapshots, so its deck and drill-downs compare with, and name, the group it now has.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from soteria import jobs
from soteria.models import Force

from ..engine.models import PeerGroup
from ..engine.snapshots import periods_with_data, queue_snapshots

MAX_MEMBERS = 15


def peer_groups() -> list[PeerGroup]:
    """Every force's group (a force without one yet has an unsaved, empty group)."""
    groups = {g.force_id: g for g in PeerGroup.objects.select_related("force", "updated_by")}
    return [groups.get(f.pk) or PeerGroup(force=f) for f in Force.objects.all()]


def group_of(*, force: Force) -> PeerGroup:
    return PeerGroup.objects.filter(force=force).first() or PeerGroup(force=force)


def set_peer_group(*, force: Force, members: list[Force], reason: str, by) -> PeerGroup:
    """A national administrator sets the force's most similar forces."""
    if force in members:
        raise ValidationError({"members": f"{force.name} cannot be one of its own peers."})
    if not 1 <= len(members) <= MAX_MEMBERS:
        raise ValidationError({"members": f"Choose between 1 and {MAX_MEMBERS} forces."})
    if not reason.strip():
        raise ValidationError(
            {"reason": "Say why the group is changed: it is kept in its history."}
        )
    names = sorted(m.name for m in members)
    with transaction.atomic():
        group = group_of(force=force)
        group.source = PeerGroup.Source.EDITED
        group.members_named = "; ".join(names)
        group.reason = reason.strip()
        group.updated_by = by
        group._change_reason = "Set by a national administrator"
        group.save()
        group.members.set(members)
        queue_snapshots(force=force, periods=periods_with_data(force=force))
    return group


def reset_peer_group(*, force: Force, by) -> PeerGroup:
    """Put the computed default back (the latest one computed from the national data)."""
    group = group_of(force=force)
    names = [m["force"] for m in (group.computed or {}).get("members", [])]
    with transaction.atomic():
        group.source = PeerGroup.Source.COMPUTED
        group.members_named = "; ".join(names)
        group.reason = "Computed default put back"
        group.updated_by = by
        group._change_reason = "Computed default put back"
        group.save()
        group.members.set(Force.objects.filter(name__in=names))
        queue_snapshots(force=force, periods=periods_with_data(force=force))
    return group


def recompute_peer_groups() -> str:
    """Queue the default groups' recompute (the same job a national import queues)."""
    return jobs.queue("kpis.compute_peer_groups")
