"""Two-step sign-in pages: turning it on (QR code, confirming code, recovery codes), the
second step of a sign-in, new recovery codes, turning it off, an administrator's reset."""

from __future__ import annotations

from flask import Blueprint, Flask, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from kb import policy
from kb.accounts import auth, queries, totp, two_step
from kb.accounts.forms import (
    EnrolmentCodeForm,
    RenewRecoveryCodesForm,
    SecondStepForm,
    TwoStepOffForm,
)
from kb.accounts.half_signed_in import forget_half_sign_in, half_signed_in_user
from kb.accounts.views import finish_sign_in, must_enrol, render_account
from kb.db import utcnow
from kb.errors import Conflict, Invalid, Throttled

blueprint = Blueprint("two_step", __name__)


def _client_address() -> str:
    return request.remote_addr or "unknown"


def _throttled(template: str, refusal: Throttled, **context):
    flash(refusal.message, "error")
    return render_template(template, **context), 429, {
        "Retry-After": str(refusal.retry_after_seconds)}


@blueprint.route("/sign-in/two-step", methods=["GET", "POST"])
def second_step():
    pending = half_signed_in_user()
    if pending is None:
        flash("Sign in with your password first (the code page is valid for ten minutes).",
              "info")
        return redirect(url_for("accounts.sign_in"))
    user, next_url = pending
    form, status = SecondStepForm(), 200
    if form.validate_on_submit():
        try:
            used = two_step.check_second_step(user, form.code.data, utcnow())
        except Throttled as refusal:
            return _throttled("accounts/two_step_sign_in.html", refusal, form=form)
        except Invalid as refusal:
            form.code.errors.append(refusal.message)
            status = 401
        else:
            forget_half_sign_in()
            if used == "recovery":
                _say_recovery_codes_left(user)
            return finish_sign_in(user, next_url)
    return render_template("accounts/two_step_sign_in.html", form=form), status


def _say_recovery_codes_left(user) -> None:
    left = two_step.recovery_codes_left(user)
    flash(f"You signed in with a recovery code, which is now spent: {left} left. "
          "Make a new set on your account page if you are running short.",
          "info" if left > 2 else "error")


@blueprint.post("/account/two-step/start")
@login_required
def start():
    try:
        two_step.begin_enrolment(current_user)
    except Conflict as refusal:
        flash(refusal.message, "info")
        return redirect(url_for("accounts.account"))
    return redirect(url_for("two_step.enrol"))


@blueprint.route("/account/two-step", methods=["GET", "POST"])
@login_required
def enrol():
    if two_step.is_on(current_user):
        return redirect(url_for("accounts.account", _anchor="two-step"))
    secret = two_step.pending_secret(current_user)
    if secret is None:
        two_step.begin_enrolment(current_user)
        secret = two_step.pending_secret(current_user)
    form, status = EnrolmentCodeForm(), 200
    if form.validate_on_submit():
        try:
            codes = two_step.confirm_enrolment(current_user, form.code.data, utcnow())
        except Throttled as refusal:
            return _throttled("accounts/two_step_enrol.html", refusal,
                              **_enrolment_page(secret, form))
        except Invalid as refusal:
            form.code.errors.append(refusal.message)
            status = 422
        else:
            return _recovery_codes_page(codes, first_time=True)
    return render_template("accounts/two_step_enrol.html", **_enrolment_page(secret, form)), status


def _enrolment_page(secret: str, form: EnrolmentCodeForm) -> dict:
    uri = totp.provisioning_uri(secret, current_user.email)
    return {"form": form, "qr_code": totp.qr_code_svg(uri), "secret": totp.spaced(secret),
            "required": must_enrol(current_user)}


def _recovery_codes_page(codes: list[str], first_time: bool):
    # shown once: the page is not cached and nothing brings the codes back
    return render_template("accounts/two_step_recovery_codes.html", codes=codes,
                           first_time=first_time), 200, {"Cache-Control": "no-store"}


@blueprint.post("/account/two-step/recovery-codes")
@login_required
def renew_recovery_codes():
    form = RenewRecoveryCodesForm()
    if form.validate_on_submit():
        try:
            codes = two_step.renew_recovery_codes(current_user, form.code.data, utcnow())
        except Throttled as refusal:
            flash(refusal.message, "error")
            return render_account(429, renew_form=form)
        except Invalid as refusal:
            form.code.errors.append(refusal.message)
        else:
            return _recovery_codes_page(codes, first_time=False)
    return render_account(422, renew_form=form)


@blueprint.post("/account/two-step/off")
@login_required
def turn_off():
    form = TwoStepOffForm()
    if form.validate_on_submit():
        try:
            two_step.turn_off(current_user, form.password_or_code.data, utcnow())
        except Throttled as refusal:
            flash(refusal.message, "error")
            return render_account(429, two_step_off_form=form)
        except Invalid as refusal:
            form.password_or_code.errors.append(refusal.message)
        else:
            flash("Two-step sign-in is off.", "info")
            return redirect(url_for("accounts.account", _anchor="two-step"))
    return render_account(422, two_step_off_form=form)


@blueprint.post("/organization/users/<int:user_id>/reset-two-step")
@login_required
def reset(user_id: int):
    user = queries.get_user(user_id)
    try:
        two_step.reset(current_user, user, _client_address())
    except (Conflict, Invalid) as refusal:
        flash(refusal.message, "error")
    else:
        flash(f"Two-step sign-in of {user.email} has been reset: they sign in with their "
              "password alone until they turn it on again.", "success")
    if policy.acts_as_staff(current_user):
        return redirect(url_for("staff.user", user_id=user.id))
    return redirect(url_for("accounts.organization_users"))


# what staff who must turn two-step sign-in on may still open meanwhile
_OPEN_WHILE_ENROLLING = {"static", "two_step.enrol", "two_step.start", "accounts.sign_out"}


def _send_staff_to_enrolment():
    """With REQUIRE_TWO_STEP_FOR_STAFF, staff signed in without two-step sign-in see only the
    page that turns it on, which says why (an API token is its own credential and is not
    affected)."""
    if request.endpoint in _OPEN_WHILE_ENROLLING or auth.authenticated_by_token():
        return None
    if current_user.is_authenticated and must_enrol(current_user):
        if request.blueprint == "api":
            return jsonify({"error": "Staff accounts must use two-step sign-in: turn it on on "
                                     "your account page, or use an API token."}), 403
        return redirect(url_for("two_step.enrol"))
    return None


def init_app(app: Flask) -> None:
    app.register_blueprint(blueprint)
    app.before_request(_send_staff_to_enrolment)
