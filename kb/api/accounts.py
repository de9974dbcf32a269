"""/api/v1/me, /api/v1/plans and your API tokens."""

from __future__ import annotations

from flask import g
from flask_login import current_user

from kb import plans, policy
from kb.accounts import queries, tokens
from kb.api import blueprint
from kb.api.openapi import documented
from kb.api.responses import respond
from kb.api.responses.accounts import ApiToken, Me, Plans
from kb.db import utcnow


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


@blueprint.get("/tokens")
@documented("Your API tokens not revoked, newest first (expired ones included, marked so); "
            "`current` is the one this request came with. Tokens are created on the account "
            "page or with `kb token create`, never by a token", response_model=list[ApiToken])
def api_tokens():
    now, using = utcnow(), g.get("api_token_id")
    return respond(list[ApiToken], [{
        "id": token.id, "name": token.name, "prefix": token.prefix,
        "created": token.created_at, "last_used": token.last_used_at,
        "expires": token.expires_at, "expired": token.has_expired(now),
        "current": token.id == using,
    } for token in queries.tokens_of(current_user)])


@blueprint.delete("/tokens/<int:token_id>")
@documented("Revoke one of your tokens (the one this request came with too): it stops working "
            "at once", responses={"204": "Revoked", "404": "No such token of yours"})
def api_revoke_token(token_id: int):
    tokens.revoke_api_token(current_user, token_id)
    return "", 204
