"""/campus: an Elite organisation's discount code; staff set the offer and see the codes."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from kb import policy
from kb.sessions.campus import service as campus
from kb.sessions.campus.forms import CampusOfferForm

blueprint = Blueprint("campus", __name__, url_prefix="/campus")


@blueprint.get("")
def index():
    policy.require(current_user, "campus_discount")
    offer = campus.current_offer()
    if not campus.offer_is_valid(offer):
        return render_template("sessions/campus.html", reveal=None, offer=None)
    reveal = campus.reveal(current_user, "page")
    return render_template("sessions/campus.html", reveal=reveal, offer=reveal.offer,
                           terms=offer.terms_html, how_to_redeem=offer.how_to_redeem_html)


@blueprint.route("/offer", methods=["GET", "POST"])
def offer():
    policy.require_staff(current_user)
    current = campus.current_offer()
    form = CampusOfferForm(obj=current)
    if form.validate_on_submit():
        campus.set_offer(current_user, percentage=form.percentage.data,
                         terms=form.terms.data or "", how_to_redeem=form.how_to_redeem.data or "",
                         redeem_url=form.redeem_url.data or "",
                         valid_until=form.valid_until.data)
        flash("The Campus offer is saved.", "success")
        return redirect(url_for("campus.offer"))
    return render_template("sessions/campus_offer.html", form=form,
                           codes=campus.codes_overview(current_user)), \
        422 if form.errors else 200
