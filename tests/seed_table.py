"""Reads the brochure's feature matrix from shared/seed/support-plans.md, so that tests compare
kb's plan data against the source instead of against a second hand-typed copy."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tests.conftest import SHARED_DIR

SEED_TABLE = SHARED_DIR / "seed" / "support-plans.md"
ROW = re.compile(r"^\|\s*(?P<group>[^|]+?)\s*\|\s*(?P<name>[^|]+?)\(`(?P<key>\w+)`\)\s*\|"
                 r"(?P<cells>(?:[^|]*\|){3})\s*$")
PLANS = ("xtreme", "premium", "elite")


@dataclass(frozen=True)
class SeedFeature:
    key: str
    group: str
    plans: tuple[str, ...]


def seed_features() -> list[SeedFeature]:
    features = []
    for line in SEED_TABLE.read_text(encoding="utf-8").splitlines():
        match = ROW.match(line)
        if not match:
            continue
        cells = [cell.strip() for cell in match.group("cells").split("|")[:3]]
        plans = tuple(plan for plan, cell in zip(PLANS, cells, strict=True) if cell == "•")
        features.append(SeedFeature(match.group("key"), match.group("group"), plans))
    return features
