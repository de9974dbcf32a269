"""``kb support target`` (the contract's command) and ``kb support table``."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask import current_app
from flask.cli import with_appcontext

from kb import plans
from kb.errors import DomainError
from kb.support import clock, service
from kb.support.models import SEVERITIES


@click.group("support")
def support_group() -> None:
    """The support desk: response targets."""


@support_group.command("target")
@click.option("--plan", required=True, type=click.Choice(plans.PLANS, case_sensitive=False))
@click.option("--severity", required=True, type=click.IntRange(1, 4))
@click.option("--product", required=True, help="Product name (or its slug).")
@click.option("--at", "at", required=True,
              help="When the incident is logged, ISO 8601; without an offset it is read in "
                   "the --time-zone.")
@click.option("--time-zone", help="The organisation's IANA time zone (default: the "
                                  "SUPPORT_TIME_ZONE setting).")
@click.option("--holidays", "holiday_country",
              help='Public holidays of this country, "US" or "DE-BY" ("none": none; default: '
                   "the SUPPORT_HOLIDAYS setting).")
@with_appcontext
def target_command(plan, severity, product, at, time_zone, holiday_country) -> None:
    """Print the response target of an incident logged at --at; the target in UTC, ISO 8601,
    alone on the last line. Exits 1 when no target is available for that product."""
    time_zone = time_zone or current_app.config["SUPPORT_TIME_ZONE"]
    if holiday_country is None:
        holiday_country = current_app.config["SUPPORT_HOLIDAYS"]
    holiday_country = None if holiday_country.lower() in ("", "none") else holiday_country
    try:
        logged_at = _parse_time(at, time_zone)
        due = service.target_for(plan.lower(), severity, product, logged_at, time_zone,
                                 holiday_country)
    except DomainError as refusal:
        raise click.ClickException(refusal.message) from None
    if due is None:
        raise click.ClickException(
            f"No response target: severity {severity} on {plans.plan_name(plan.lower())} is "
            f"not available for {product}.")
    click.echo(f"Logged {logged_at.astimezone(UTC).isoformat()} ({time_zone}, holidays: "
               f"{holiday_country or 'none'}); response due:")
    click.echo(due.isoformat())


@support_group.command("table")
@with_appcontext
def table_command() -> None:
    """Print the target table: each plan's calendar and its targets by severity and product."""
    table = service.load_table()
    for plan in plans.PLANS:
        calendar = table.calendars[plan]
        days = "".join(str(day) for day in sorted(calendar.business_days))
        click.echo(f"{plans.plan_name(plan)}: business days {days}, "
                   f"{calendar.opens:%H:%M}-{calendar.closes:%H:%M} local")
        for (rule_plan, severity, product), rule in sorted(
                table.rules.items(), key=lambda item: (item[0][1], item[0][2] or "")):
            if rule_plan == plan and severity in SEVERITIES:
                minutes = rule.response_minutes
                figure = f"{minutes} min" if minutes is not None else "not available"
                click.echo(f"  severity {severity} {product or 'every product':<22} "
                           f"{figure:>14}  {rule.clock}")


def _parse_time(text: str, time_zone: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise DomainError(f"--at {text!r} is no ISO 8601 time, such as "
                          "2026-12-05T10:30:00+01:00.") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=clock.zone_named(time_zone))
    return moment
