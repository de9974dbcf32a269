"""Staff pages: organisations (plan, term, products, administrator), users and the audit log."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from kb import policy
from kb.accounts import two_step
from kb.accounts.forms import ALL_ROLE_PAIRS, OrganizationForm, RoleForm, StaffUserForm
from kb.accounts.organizations import (
    PlanLoweringUnconfirmed,
    create_organization,
    parse_installed_products,
    update_organization,
)
from kb.accounts.queries import (
    all_organizations,
    audit_entries,
    get_organization,
    get_user,
    invited_on,
    users_of,
)
from kb.accounts.users import change_role, create_user
from kb.errors import Conflict, Invalid
from kb.forms import choices, optional_database_id

blueprint = Blueprint("staff", __name__, url_prefix="/staff")


@blueprint.before_request
@login_required
def _staff_only():
    policy.require_staff(current_user)


@blueprint.get("/")
def organizations():
    return render_template(
        "staff/organizations.html", organizations=all_organizations()
    )


def _organization_fields(form: OrganizationForm) -> dict:
    return {
        "name": form.name.data,
        "plan": form.plan.data,
        "term_start": form.term_start.data,
        "term_end": form.term_end.data,
        "installed": parse_installed_products(form.products.data or ""),
        "time_zone": form.time_zone.data,
        "holiday_country": form.holiday_country.data,
    }


@blueprint.route("/organizations/new", methods=["GET", "POST"])
def new_organization():
    form = OrganizationForm()
    if form.validate_on_submit():
        try:
            organization = create_organization(current_user, **_organization_fields(form))
        except (Conflict, Invalid) as refusal:
            _field_refused(form, refusal).errors.append(refusal.message)
        else:
            flash(f"{organization.name} has been created.", "success")
            return redirect(url_for("staff.organization", organization_id=organization.id))
    return render_template("staff/organization_form.html", form=form,
                           organization=None), 422 if form.errors else 200


@blueprint.route("/organizations/<int:organization_id>", methods=["GET", "POST"])
def organization(organization_id: int):
    organization = get_organization(organization_id)
    form = OrganizationForm(obj=organization)
    form.administrator.choices = choices([("", "(none)")] + [
        (str(user.id), user.email) for user in users_of(organization)
    ])
    if not form.is_submitted():
        form.products.data = _installed_text(organization)
        form.administrator.data = organization.administrator_id
    lowering = None
    if form.validate_on_submit():
        administrator_id = form.administrator.data
        try:
            update_organization(
                current_user, organization, **_organization_fields(form),
                administrator=get_user(administrator_id) if administrator_id else None,
                lowering_confirmed_to=_confirmed_lowering(form),
            )
        except PlanLoweringUnconfirmed as refusal:
            lowering = _ask_to_confirm(form, refusal)
        except (Conflict, Invalid) as refusal:
            _field_refused(form, refusal).errors.append(refusal.message)
        else:
            flash("The organisation has been saved.", "success")
            return redirect(url_for("staff.organization", organization_id=organization.id))
    return render_template(
        "staff/organization_form.html", form=form, organization=organization,
        users=users_of(organization), lowering=lowering), \
        422 if lowering or form.errors else 200


def _field_refused(form: OrganizationForm, refusal: Conflict | Invalid):
    """The field a refusal is about (the name, unless it names another)."""
    return getattr(form, getattr(refusal, "field", None) or "name", form.name)


def _confirmed_lowering(form: OrganizationForm) -> str | None:
    """The change staff confirmed (the one the confirmation was shown for), if ticked."""
    if not form.confirm_lowering.data:
        return None
    return form.lowering_plan.data or None


def _ask_to_confirm(form: OrganizationForm, refusal: PlanLoweringUnconfirmed):
    """The form again, asking to confirm the loss of exactly these features: a tick given
    for another change does not count."""
    form.lowering_plan.data, form.confirm_lowering.data = refusal.change, False
    form.confirm_lowering.errors.append(refusal.message)
    return refusal


def _installed_text(organization) -> str:
    by_product: dict[str, list[str]] = {}
    for item in organization.installed:
        versions = by_product.setdefault(item.product.name, [])
        if item.version:
            versions.append(item.version.name)
    return "\n".join(
        f"{name}: {', '.join(versions)}" if versions else name
        for name, versions in by_product.items()
    )


@blueprint.route("/users", methods=["GET", "POST"])
def users():
    form = StaffUserForm()
    form.role.choices = choices((role, name) for role, name in ALL_ROLE_PAIRS
                                if policy.may_assign_role(current_user, role))
    form.organization.choices = choices([("", "(staff)")] + [
        (str(o.id), o.name) for o in all_organizations()
    ])
    if form.validate_on_submit():
        organization_id = optional_database_id(form.organization.data)  # one of the list
        try:
            user = create_user(
                current_user, form.email.data, role=form.role.data, name=form.name.data or "",
                organization=get_organization(organization_id)
                if organization_id else None,
                send_invitation=True,
            )
        except (Conflict, Invalid) as refusal:
            field = form.role if getattr(refusal, "field", None) == "role" else form.email
            field.errors.append(refusal.message)
        else:
            flash(f"{user.email} has been invited.", "success")
            return redirect(url_for("staff.user", user_id=user.id))
    listed = users_of(None)
    return render_template("staff/users.html", users=listed, form=form,
                           invited=invited_on(listed)), 422 if form.errors else 200


@blueprint.route("/users/<int:user_id>", methods=["GET", "POST"])
def user(user_id: int):
    subject = get_user(user_id)
    form = RoleForm(obj=subject)
    if form.validate_on_submit():
        try:
            change_role(current_user, subject, form.role.data)
        except Invalid as refusal:
            form.role.errors.append(refusal.message)
        else:
            flash("The role has been saved.", "success")
            return redirect(url_for("staff.user", user_id=subject.id))
    return render_template(
        "staff/user.html", subject=subject, form=form, subject_two_step=two_step.is_on(subject),
        invited=invited_on([subject])), 422 if form.errors else 200


@blueprint.get("/audit")
def audit():
    return render_template("staff/audit.html", entries=audit_entries())
