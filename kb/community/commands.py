"""``kb community space add|gate|list``: community spaces from the server's command line."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from kb import db, plans
from kb.community import spaces
from kb.community.models import Space
from kb.errors import DomainError


@click.group("community")
def community_group() -> None:
    """The online community: Q&A spaces."""


@community_group.group("space")
def space_group() -> None:
    """Community spaces."""


@space_group.command("add")
@click.option("--name", required=True)
@click.option("--product", default="", help="The product the space is about (created when new).")
@click.option("--min-plan", default=plans.LOWEST_PLAN,
              type=click.Choice(plans.PLANS, case_sensitive=False))
@click.option("--description", default="")
@click.option("--slug", default="", help="Its address under /community/ (default: from the name).")
@with_appcontext
def add_command(name, product, min_plan, description, slug) -> None:
    """Open a space; its address alone is the last line."""
    try:
        space = spaces.create_space(None, spaces.SpaceFields(
            name=name, description=description, product=product, min_plan=min_plan.lower(),
            slug=slug))
    except DomainError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"/community/{space.slug}")


@space_group.command("gate")
@click.argument("slug")
@click.option("--min-plan", required=True, type=click.Choice(plans.PLANS, case_sensitive=False))
@with_appcontext
def gate_command(slug, min_plan) -> None:
    """Change the lowest plan that may read a space (its questions follow)."""
    space = db.session.scalar(select(Space).where(Space.slug == slug))
    if space is None:
        raise click.ClickException(f"There is no space {slug!r}.")
    spaces.set_min_plan(None, space, min_plan.lower())
    click.echo(f"/community/{space.slug}: {plans.plans_phrase(space.min_plan)}")


@space_group.command("list")
@with_appcontext
def list_command() -> None:
    for space in db.session.scalars(select(Space).order_by(Space.slug)):
        click.echo(f"{space.slug}\t{space.min_plan}\t{space.name}")
