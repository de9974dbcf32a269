"""Sign-in, password reset, the account page with API tokens, and an organisation's users."""

from __future__ import annotations

from flask import (
    Blueprint,
    Flask,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user

from kb import policy
from kb.accounts import auth, browser_sessions, passwords, queries, tokens, two_step, users
from kb.accounts.forms import (
    CUSTOMER_ROLE_PAIRS,
    ChangePasswordForm,
    InviteUserForm,
    NewPasswordForm,
    PasswordResetRequestForm,
    ProfileForm,
    RenewRecoveryCodesForm,
    SignInForm,
    TokenForm,
    TwoStepOffForm,
)
from kb.accounts.half_signed_in import (
    forget_half_sign_in,
    half_signed_in_user,
    remember_half_sign_in,
)
from kb.accounts.models import User
from kb.accounts.sign_in import check_credentials, complete_sign_in
from kb.db import utcnow
from kb.errors import Conflict, Invalid, Throttled
from kb.forms import choices
from kb.safe_redirect import safe_next_url

blueprint = Blueprint("accounts", __name__)


@blueprint.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    form = SignInForm(next=request.args.get("next", ""))
    if current_user.is_authenticated and request.method == "GET":
        return redirect(safe_next_url(form.next.data) or url_for("main.home"))
    status = 200
    if form.validate_on_submit():
        try:
            user = check_credentials(
                form.email.data, form.password.data, _client_address(),
                known_device=auth.signed_in_here_before(form.email.data))
        except Throttled as refusal:
            return _throttled_page("accounts/sign_in.html", refusal, form=form)
        except Invalid as refusal:
            form.password.errors.append(refusal.message)
            status = 401
        else:
            if two_step.is_on(user):
                remember_half_sign_in(user, form.next.data)
                return redirect(url_for("two_step.second_step"))
            return finish_sign_in(user, form.next.data)
    return render_template("accounts/sign_in.html", form=form), status


def finish_sign_in(user, next_url: str | None):
    """Every step passed: the browser is signed in (staff who must use two-step sign-in and
    do not yet are sent to turn it on)."""
    forget_half_sign_in()  # another person's, left on this browser: never theirs to finish
    if current_user.is_authenticated:  # the sign-in this browser held ends, whoever's it was
        browser_sessions.end_session(current_user)
    login_user(complete_sign_in(user))
    target = safe_next_url(next_url) or url_for("main.home")
    if must_enrol(user):
        target = url_for("two_step.enrol")
    return auth.remember_device(redirect(target), user.email)


def must_enrol(user) -> bool:
    return (current_app.config["REQUIRE_TWO_STEP_FOR_STAFF"] and user.is_staff
            and not two_step.is_on(user))


def _throttled_page(template: str, refusal: Throttled, **context):
    flash(refusal.message, "error")
    return render_template(template, **context), 429, {
        "Retry-After": str(refusal.retry_after_seconds)}


def _client_address() -> str:
    return request.remote_addr or "unknown"


@blueprint.post("/sign-out")
def sign_out():
    """Sign out; ``next`` (a path on this site) is where the browser goes then, as the link
    that someone else's sign-in held back."""
    if current_user.is_authenticated:
        browser_sessions.end_session(current_user)
    logout_user()
    forget_half_sign_in()
    flash("You are signed out.", "info")
    return redirect(safe_next_url(request.form.get("next")) or url_for("accounts.sign_in"))


@blueprint.post("/account/sign-out-everywhere")
@login_required
def sign_out_everywhere():
    browser_sessions.sign_out_everywhere(current_user)
    logout_user()
    flash("Every session of your account has been signed out.", "info")
    return redirect(url_for("accounts.sign_in"))


@blueprint.route("/reset-password", methods=["GET", "POST"])
def request_password_reset():
    form = PasswordResetRequestForm()
    if form.validate_on_submit():
        try:
            passwords.request_password_reset(form.email.data, _client_address())
        except Throttled as refusal:
            return _throttled_page("accounts/reset_request.html", refusal, form=form)
        flash("If that address has an account, a reset link is on its way.", "info")
        return redirect(url_for("accounts.sign_in"))
    return render_template("accounts/reset_request.html", form=form), 422 if form.errors else 200


@blueprint.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    try:
        purpose, owner = passwords.check_reset_token(token)
    except passwords.LinkRefused as refusal:
        return render_template("errors/error.html", status=refusal.status, title=refusal.title,
                               message=refusal.message), refusal.status
    holder, half = _someone_else_here(owner)
    if holder is not None:
        # a shared computer: nobody chooses another person's password while signed in (or half
        # signed in) as themselves; the link waits, unused, until this browser signs out
        return render_template("accounts/link_for_someone_else.html", owner=owner,
                               holder=holder, half_signed_in=half,
                               invitation=purpose == "invitation"), 409
    form = NewPasswordForm()
    if form.validate_on_submit():
        user = passwords.reset_password(token, form.password.data)
        forget_half_sign_in()  # the owner's own, begun with the password just replaced
        flash("Your password has been changed. Sign in with the new one.", "success")
        return auth.remember_device(redirect(url_for("accounts.sign_in")), user.email)
    return render_template("accounts/reset_password.html", form=form,
                           invitation=purpose == "invitation"), 422 if form.errors else 200


def _someone_else_here(owner: User) -> tuple[User | None, bool]:
    """Whom this browser is signed in as, or half signed in as (the password given, the
    two-step code still to come: ``True``), when that is not ``owner``."""
    if current_user.is_authenticated:
        return (current_user, False) if current_user.id != owner.id else (None, False)
    pending = half_signed_in_user()
    if pending is not None and pending[0].id != owner.id:
        return pending[0], True
    return None, False


@blueprint.route("/account", methods=["GET", "POST"])
@login_required
def account():
    profile = ProfileForm(obj=current_user)
    if profile.validate_on_submit():
        users.update_profile(current_user, profile.name.data or "", profile.time_zone.data)
        flash("Your profile has been saved.", "success")
        return redirect(url_for("accounts.account"))
    return render_account(422 if profile.is_submitted() else 200, profile=profile)


def render_account(status: int = 200, new_token: str | None = None, **forms):
    """The account page; the forms not given start empty (``formdata=None``): they must not
    take the values another form of the page sent (the profile's name as a token's)."""
    forms.setdefault("profile", ProfileForm(formdata=None, obj=current_user))
    forms.setdefault("password_form", ChangePasswordForm(formdata=None))
    forms.setdefault("token_form", TokenForm(formdata=None))
    forms.setdefault("renew_form", RenewRecoveryCodesForm(formdata=None))
    forms.setdefault("two_step_off_form", TwoStepOffForm(formdata=None))
    return render_template(
        "accounts/account.html",
        tokens=queries.tokens_of(current_user), now=utcnow(),
        new_token=new_token,
        two_step_on=two_step.is_on(current_user),
        recovery_codes_left=two_step.recovery_codes_left(current_user),
        **forms,
    ), status


@blueprint.post("/account/password")
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            passwords.change_password(current_user, form.current_password.data, form.password.data)
        except Invalid as refusal:
            form.current_password.errors.append(refusal.message)
        else:
            # a new session for this browser; the user itself, not the proxy, which would then
            # stand for itself
            login_user(browser_sessions.start_session(current_user._get_current_object()))
            flash("Your password has been changed; your other sessions are signed out.", "success")
            return redirect(url_for("accounts.account"))
    return render_account(422, password_form=form)


@blueprint.post("/account/tokens")
@login_required
def create_token():
    form = TokenForm()
    if not form.validate_on_submit():
        return render_account(422, token_form=form)
    _, plain = tokens.create_api_token(current_user, form.name.data, form.expires_in_days())
    return render_account(201, new_token=plain)


@blueprint.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    tokens.revoke_api_token(current_user, token_id)
    flash("The token has been revoked.", "info")
    return redirect(url_for("accounts.account"))


@blueprint.route("/organization/users", methods=["GET", "POST"])
@login_required
def organization_users():
    organization = current_user.organization
    policy.require_manage_users_of(current_user, organization)
    form = InviteUserForm()
    form.role.choices = choices((role, name) for role, name in CUSTOMER_ROLE_PAIRS
                                if policy.may_assign_role(current_user, role))
    status, headers = 422, {}  # a refused form's; 429 while invitations must wait
    if form.validate_on_submit():
        try:
            users.invite_user(current_user, organization, form.email.data,
                                role=form.role.data, name=form.name.data or "")
        except (Conflict, Invalid, Throttled) as refusal:
            field = getattr(refusal, "field", None) or "email"
            getattr(form, field, form.email).errors.append(refusal.message)
            if isinstance(refusal, Throttled):
                status, headers = 429, {"Retry-After": str(refusal.retry_after_seconds)}
        else:
            flash(f"{form.email.data} has been invited.", "success")
            return redirect(url_for("accounts.organization_users"))
    members = queries.users_of(organization)
    return render_template(
        "accounts/organization_users.html", organization=organization, form=form,
        users=members, two_step_on=two_step.users_with_two_step([u.id for u in members]),
        invited=queries.invited_on(members)), status if form.errors else 200, headers


@blueprint.post("/organization/users/<int:user_id>/resend-invitation")
@login_required
def resend_invitation(user_id: int):
    user = queries.get_user(user_id)
    try:
        users.resend_invitation(current_user, user)
    except (Invalid, Throttled) as refusal:
        flash(refusal.message, "error")
    else:
        flash(f"A new invitation is on its way to {user.email}; the earlier link no longer "
              "works.", "success")
    if policy.acts_as_staff(current_user):
        return redirect(url_for("staff.user", user_id=user.id))
    return redirect(url_for("accounts.organization_users"))


@blueprint.post("/organization/users/<int:user_id>/<any(deactivate, reactivate):action>")
@login_required
def set_organization_user_enabled(user_id: int, action: str):
    user = queries.get_user(user_id)
    users.set_user_enabled(current_user, user, enabled=(action == "reactivate"))
    flash(f"{user.email} has been {action}d.", "info")
    if policy.acts_as_staff(current_user):
        return redirect(url_for("staff.user", user_id=user.id))
    return redirect(url_for("accounts.organization_users"))


def init_app(app: Flask) -> None:
    from kb.accounts import commands, staff_views, token_expiry, two_step_views  # noqa: F401
    from kb.web import NavEntry, add_nav_entry

    app.cli.add_command(commands.token_group)
    app.register_blueprint(blueprint)
    app.register_blueprint(staff_views.blueprint)
    two_step_views.init_app(app)
    add_nav_entry(app, NavEntry("My account", "accounts.account", group="Account"))
    add_nav_entry(app, NavEntry("Organisations and users", "staff.organizations",
                                staff_only=True, group="Staff"))
