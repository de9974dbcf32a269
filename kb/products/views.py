"""Staff pages for products and versions: list, create, rename, add and remove versions."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from kb import policy
from kb.errors import Conflict, Invalid
from kb.products import service
from kb.products.forms import ProductForm, VersionForm

blueprint = Blueprint("products", __name__, url_prefix="/staff/products")


@blueprint.before_request
@login_required
def _staff_only():
    policy.require_staff(current_user)


@blueprint.route("/", methods=["GET", "POST"])
def index():
    form = ProductForm()
    if form.validate_on_submit():
        try:
            product = service.create_product(current_user, form.name.data,
                                             form.description.data or "")
        except (Conflict, Invalid) as refusal:
            form.name.errors.append(refusal.message)
        else:
            flash(f"{product.name} has been added.", "success")
            return redirect(url_for("products.product", product_id=product.id))
    status = 422 if form.errors else 200
    return render_template("products/index.html", products=service.all_products(),
                           form=form), status


@blueprint.route("/<int:product_id>", methods=["GET", "POST"])
def product(product_id: int):
    subject = service.get_product(product_id)
    form = ProductForm(obj=subject)
    if form.validate_on_submit():
        try:
            service.rename_product(current_user, subject, form.name.data,
                                   form.description.data or "")
        except (Conflict, Invalid) as refusal:
            form.name.errors.append(refusal.message)
        else:
            flash("The product has been saved.", "success")
            return redirect(url_for("products.product", product_id=subject.id))
    return _render_product(subject, form, VersionForm(formdata=None))


def _render_product(subject, form, version_form):
    status = 422 if form.errors or version_form.errors else 200
    return render_template("products/product.html", product=subject, form=form,
                           version_form=version_form), status


@blueprint.post("/<int:product_id>/versions")
def add_version(product_id: int):
    subject = service.get_product(product_id)
    version_form = VersionForm()
    if version_form.validate_on_submit():
        try:
            version = service.add_version(current_user, subject,
                                          version_form.version_name.data,
                                          version_form.released_on.data)
        except Invalid as refusal:  # the version as typed again, the reason beside it
            version_form.version_name.errors.append(refusal.message)
        else:
            flash(f"{version} has been saved.", "success")
            return redirect(url_for("products.product", product_id=subject.id))
    return _render_product(subject, ProductForm(obj=subject, formdata=None), version_form)


@blueprint.post("/<int:product_id>/versions/<int:version_id>/remove")
def remove_version(product_id: int, version_id: int):
    version = service.get_version(version_id)
    subject = service.get_product(product_id)
    try:
        service.remove_version(current_user, version)
    except Conflict as refusal:
        flash(refusal.message, "error")
    else:
        flash(f"Version {version.name} has been removed.", "success")
    return redirect(url_for("products.product", product_id=subject.id))
