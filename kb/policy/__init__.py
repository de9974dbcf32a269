"""Every access decision of kb, and nothing else decides access.

Views, the API, search, feeds, downloads, templates and the header's menu ask these predicates.
A refusal, an ``AccessDenied``, carries the reason, the feature and the lowest plan with it ("on
Elite"). The parts, by concern: ``features`` (who the user is, the plan matrix's features),
``reading`` (gated items, as predicates and as query filters), ``lists`` (the list pages and the
menu), ``people`` (staff, administrators, user management), ``support`` (incidents, the success
manager, live sessions' join details)."""

from __future__ import annotations

from datetime import date

from kb.policy import features
from kb.policy.features import (
    AccessDenied,
    acts_as_staff,
    can,
    effective_plan,
    feature_denial,
    features_of,
    is_admin,
    is_signed_in,
    require,
    term_has_lapsed,
)
from kb.policy.lists import TITLE_LISTS, list_denial, may_open_list, require_list
from kb.policy.people import (
    can_manage_users_of,
    is_serving_staff,
    may_assign_role,
    may_be_told,
    require_admin,
    require_manage_users_of,
    require_staff,
    require_staff_member,
)
from kb.policy.reading import (
    Readable,
    ReadScope,
    can_read,
    can_see_title,
    may_know_of,
    organization_programmes,
    programme_admits,
    programme_admits_organization,
    programmes_of,
    read_denial,
    read_scope,
    require_read,
    sees_locked_titles,
)
from kb.policy.support import (
    CSM_FEATURE,
    INCIDENT_FEATURE,
    can_see_join_details,
    csm_denial,
    incident_denial,
    may_watch_incident,
    require_incident,
)


def today() -> date:
    """The policy's date (``features.today``: a test moves it there, for every decision)."""
    return features.today()


__all__ = [
    "CSM_FEATURE", "INCIDENT_FEATURE", "TITLE_LISTS", "AccessDenied", "ReadScope", "Readable",
    "acts_as_staff", "can", "can_manage_users_of", "can_read", "can_see_join_details",
    "can_see_title", "csm_denial", "effective_plan", "feature_denial", "features_of",
    "incident_denial", "is_admin", "is_serving_staff", "is_signed_in", "list_denial",
    "may_assign_role", "may_be_told", "may_know_of", "may_open_list", "may_watch_incident",
    "organization_programmes", "programme_admits", "programme_admits_organization",
    "programmes_of", "read_denial", "read_scope", "require", "require_admin", "require_incident",
    "require_list", "require_manage_users_of", "require_read", "require_staff",
    "require_staff_member", "sees_locked_titles", "term_has_lapsed", "today",
]
