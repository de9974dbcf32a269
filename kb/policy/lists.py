"""Who opens a list page (the knowledge base, the downloads, the incidents, ...), asked by the
list pages and by the header's menu alike: the menu links a list exactly when it opens."""

from __future__ import annotations

from kb.policy.features import AccessDenied, acts_as_staff, feature_denial, is_signed_in
from kb.policy.support import CSM_FEATURE, INCIDENT_FEATURE, csm_denial, incident_denial

# the knowledge base and the release notes list every title a signed-in reader may know of,
# those they may not open locked: a lapsed term keeps them listed (``tests/test_lapsed.py``),
# as does an account without an organisation (``LOCKED_REASONS`` of the item pages)
TITLE_LISTS = frozenset({"how_to", "updates_and_docs"})


def list_denial(user, feature_key: str) -> AccessDenied | None:
    """Why ``user`` may not open the list of ``feature_key``'s items, or None: the titles'
    lists to anyone signed in; the organisation's incidents to read after a lapsed term too
    (``incident_denial`` with ``reading``); the success manager's page to a customer of an
    organisation (``csm_denial``), staff to their side of it; any other, as the feature allows."""
    if feature_key in TITLE_LISTS:
        return None if is_signed_in(user) else AccessDenied(
            "Sign in to continue.", reason="anonymous", feature=feature_key)
    if feature_key == INCIDENT_FEATURE:
        return incident_denial(user, reading=True)
    if feature_key == CSM_FEATURE:
        return None if acts_as_staff(user) else csm_denial(user)
    return feature_denial(user, feature_key)


def may_open_list(user, feature_key: str) -> bool:
    """Whether the list of ``feature_key``'s items opens to ``user`` (and the menu links it)."""
    return list_denial(user, feature_key) is None


def require_list(user, feature_key: str) -> None:
    denial = list_denial(user, feature_key)
    if denial is not None:
        raise denial
