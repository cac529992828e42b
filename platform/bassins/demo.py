"""Demo team members so the bassin pages are not empty (``manage.py load_demo_data``).

Every person is fictitious, named "(démo)" and flagged ``is_demo=True``; a bassin
team replaces them in the admin. Re-running adds nobody twice: people are keyed
on (bassin, name).
"""

from __future__ import annotations

import datetime

from django.db import transaction

from .models import Bassin, TeamMember, TeamRole

# The target number of CPPS per bassin comes from seed 003 (§3.4.1.3), via Bassin.cpps_target.
DEMO_FIRST_NAMES = ["Amina", "Bram", "Claire", "Driss", "Els", "Fatou", "Gert", "Hanne"]


def demo_team(bassin: Bassin) -> list[tuple[str, str]]:
    """(name, role) of the fictitious team: a coordinator, a project officer, the CPPS."""
    names = iter(DEMO_FIRST_NAMES[bassin.sort_order :] + DEMO_FIRST_NAMES[: bassin.sort_order])
    team = [
        (f"{next(names)} {bassin.name_fr} (démo)", TeamRole.COORDINATOR),
        (f"{next(names)} {bassin.name_fr} (démo)", TeamRole.PROJECT_OFFICER),
    ]
    for _ in range(max(bassin.cpps_target, 1)):
        team.append((f"{next(names)} {bassin.name_fr} (démo)", TeamRole.CPPS))
    return team


@transaction.atomic
def load(today: datetime.date | None = None, log=print) -> int:
    """Create the missing demo people; returns how many were created."""
    created = 0
    for bassin in Bassin.objects.all():
        for order, (name, role) in enumerate(demo_team(bassin)):
            _, was_created = TeamMember.objects.get_or_create(
                bassin=bassin,
                name=name,
                defaults={
                    "role": role,
                    "email": f"demo.{bassin.slug}.{order}@example.org",
                    "sort_order": order,
                    "is_demo": True,
                },
            )
            created += was_created
    log(f"bassins: {created} demo team member(s) created")
    return created
