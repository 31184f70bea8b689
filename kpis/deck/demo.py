"""SYNTHETIC demo targets: what a force's chief officer team might set, so the demo deck's
RAG statuses, intervals and "cannot yet tell" readings can be seen (and tested) on real
pages. Percentages are entered as people set them (12 for 12%), per offence group where
rape and other sexual offences differ."""

from soteria.models import Force, Membership, Role
from soteria.periods import Period

from ..engine.models import Kpi, OffenceGroup
from .targets import set_target

FROM = Period(2024, 1)  # 2024/25 Q1: targets set when the force adopted the NOM
# (kpi, offence group, target, amber margin)
TARGETS = [
    ("charge-rate", OffenceGroup.ALL, 12, 1),
    ("charge-rate", OffenceGroup.RAPE, 9, 1),
    ("charge-rate", OffenceGroup.OTHER, 14, 1),
    ("withdrawal-share", OffenceGroup.ALL, 35, 2),
    ("days-to-charge", OffenceGroup.ALL, 450, 30),
    ("missing-ethnicity", OffenceGroup.ALL, 10, 2),
    ("victim-device-return", OffenceGroup.ALL, 70, 5),
    ("victims-code-compliance", OffenceGroup.ALL, 90, 5),
    ("case-file-review", OffenceGroup.ALL, 80, 5),
]
NOTE = "[Demo] Synthetic target for the demonstration data set."


def load_demo_targets(*, forces: list[Force], seed: int) -> dict[str, int]:
    kpis = {k.slug: k for k in Kpi.objects.filter(slug__in={t[0] for t in TARGETS})}
    count = 0
    for force in forces:
        chief = (
            Membership.objects.filter(force=force, role=Role.CHIEF_OFFICER)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        for slug, group, value, margin in TARGETS:
            if slug not in kpis:
                continue
            set_target(
                force=force,
                kpi=kpis[slug],
                offence_group=group,
                value=value,
                amber_margin=margin,
                effective_from=FROM,
                by=chief.user if chief else None,
                note=NOTE,
            )
            count += 1
    return {"demo targets": count}
