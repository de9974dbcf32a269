"""/api/v1/me and /api/v1/plans."""

from __future__ import annotations

from flask_login import current_user

from kb import plans, policy
from kb.api import blueprint
from kb.api.openapi import documented
from kb.api.responses import respond
from kb.api.responses.accounts import Me, Plans


def organization_json(organization) -> dict | None:
    if organization is None:
        return None
    return {
        "name": organization.name,
        "plan": organization.plan,
        "term_start": organization.term_start,
        "term_end": organization.term_end,
        "active": organization.term_active_on(policy.today()),
    }


@blueprint.get("/me")
@documented("Who you are, your organisation and plan, and the features you may use",
            response_model=Me)
def me():
    return respond(
        Me,
        {
            "email": current_user.email,
            "name": current_user.name,
            "role": current_user.role,
            "organization": organization_json(current_user.organization),
            "features": policy.features_of(current_user),
            "time_zone": current_user.time_zone,
        }
    )


@blueprint.get("/plans")
@documented("The support plans and which plans include each feature", response_model=Plans)
def plans_matrix():
    return respond(
        Plans,
        {
            "plans": list(plans.PLANS),
            "features": [
                {"key": f.key, "group": f.group, "name": f.name, "plans": list(f.plans)}
                for f in plans.FEATURES
            ],
        }
    )
