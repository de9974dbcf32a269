"""Which lists the header's menu offers a user: those of the features ``kb.policy`` lets them
use, and, once their organisation's support term lapsed, the lists that stay open to them. A
split of ``kb.policy`` (at its size limit), asking it for every decision."""

from __future__ import annotations

from kb import plans, policy

# the lists a lapsed term leaves open, by their feature: the knowledge base and the release
# notes keep listing their titles, locked (``tests/test_lapsed.py``); the organisation's own
# incidents stay readable (``policy.incident_denial`` with ``reading``)
LISTS_OPEN_AFTER_LAPSE = frozenset({"how_to", "updates_and_docs", policy.INCIDENT_FEATURE})


def offers(user, feature_key: str) -> bool:
    """Whether the menu links ``user`` to the list of ``feature_key``'s items."""
    denial = policy.feature_denial(user, feature_key)
    if denial is None:
        return True
    if denial.reason != "term_lapsed" or feature_key not in LISTS_OPEN_AFTER_LAPSE:
        return False
    if feature_key == policy.INCIDENT_FEATURE:
        return policy.incident_denial(user, reading=True) is None
    # the plan still decides: a list its plan never offered is not offered after the term
    return policy.effective_plan(user) in plans.feature(feature_key).plans
