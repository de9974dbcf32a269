from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    session,
    url_for,
)
from flask_login import current_user, login_required
from sqlalchemy import text

from kb import db, plans, policy
from kb.accounts.auth import VIEW_AS_KEY
from kb.accounts.forms import ViewAsForm
from kb.alerts import queries as alert_queries
from kb.web import wants_json

blueprint = Blueprint("main", __name__)


@blueprint.get("/")
def home():
    if not current_user.is_authenticated:
        if wants_json():  # a script: 401 JSON, as every page needing a sign-in answers it
            return current_app.login_manager.unauthorized()
        return redirect(url_for("accounts.sign_in"))
    return render_template("main/home.html", features=policy.features_of(current_user),
                           open_alerts=alert_queries.open_alerts_for(current_user))


@blueprint.get("/favicon.ico")
def favicon():
    return current_app.send_static_file("favicon.ico")


@blueprint.get("/plans")
def plan_comparison():
    return render_template(
        "main/plans.html",
        groups=[(group, [f for f in plans.FEATURES if f.group == group]) for group in plans.GROUPS],
        own_plan=policy.effective_plan(current_user),
    )


@blueprint.get("/features/<key>")
@login_required
def feature(key: str):
    """What one feature gives; the upgrade prompt for a plan that lacks it."""
    if key not in plans.FEATURES_BY_KEY:
        abort(404)
    policy.require(current_user, key)
    return render_template("main/feature.html", feature=plans.feature(key))


@blueprint.post("/staff/view-as")
@login_required
def view_as():
    policy.require_staff_member(current_user)
    form = ViewAsForm()
    if form.validate_on_submit() and form.plan.data:
        session[VIEW_AS_KEY] = form.plan.data
        flash(f"You now see pages as a customer on {plans.plan_name(form.plan.data)}.", "info")
    else:
        session.pop(VIEW_AS_KEY, None)
        flash("You see pages with your own staff access again.", "info")
    return redirect(url_for("main.home"))


@blueprint.get("/healthz")
def healthz():
    from kb import search, storage

    try:
        db.session.execute(text("SELECT 1"))
        database = "ok"
    except Exception as failure:  # noqa: BLE001 - health reports any failure as text
        database = f"error: {failure.__class__.__name__}"
    index = search.health()
    healthy = database == "ok" and index == "ok"
    answer = {"status": "ok" if healthy else "degraded", "database": database, "index": index,
              "storage": storage.health()}
    # a store that fails fails every server alike (taking this one out would not help), and
    # items left out of the index degrade search but not the service: still 200
    if answer["storage"] != "ok":
        answer["status"] = "degraded"
    failed_items = search.failed_item_count() if database == "ok" else 0
    if failed_items:
        answer.update(status="degraded", index_failures=failed_items)
    response = jsonify(answer)
    response.status_code = 200 if healthy else 503
    return response
