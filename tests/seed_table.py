"""Reads the brochure's feature matrix, so that tests compare kb's plan data against the
brochure's own table instead of against a second hand-typed copy.

The table lives in the project (``tests/data/support-plans.md``, a verbatim copy of the shared
seed) so that a fresh clone with nothing beside it tests the same matrix; where the shared seed
is present, a test checks that the copy has not drifted from it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import SHARED_DIR

SEED_TABLE = Path(__file__).parent / "data" / "support-plans.md"
SHARED_SEED_TABLE = SHARED_DIR / "seed" / "support-plans.md"
ROW = re.compile(r"^\|\s*(?P<group>[^|]+?)\s*\|\s*(?P<name>[^|]+?)\(`(?P<key>\w+)`\)\s*\|"
                 r"(?P<cells>(?:[^|]*\|){3})\s*$")
PLANS = ("xtreme", "premium", "elite")


@dataclass(frozen=True)
class SeedFeature:
    key: str
    group: str
    plans: tuple[str, ...]


def seed_features(table: Path = SEED_TABLE) -> list[SeedFeature]:
    features = []
    for line in table.read_text(encoding="utf-8").splitlines():
        match = ROW.match(line)
        if not match:
            continue
        cells = [cell.strip() for cell in match.group("cells").split("|")[:3]]
        plans = tuple(plan for plan, cell in zip(PLANS, cells, strict=True) if cell == "•")
        features.append(SeedFeature(match.group("key"), match.group("group"), plans))
    return features
