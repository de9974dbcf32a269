"""``kb token create``: a personal API token from the shell."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from kb.accounts.queries import user_by_email
from kb.accounts.tokens import LONGEST_EXPIRY, create_api_token


@click.group("token")
def token_group() -> None:
    """Personal API tokens."""


@token_group.command("create")
@click.argument("email")
@click.option("--name", default="command line", show_default=True, help="What the token is for.")
@click.option("--expires-in-days", type=click.IntRange(1, LONGEST_EXPIRY), default=None,
              help="Days until the token stops working (default: it never expires).")
@with_appcontext
def create_token_command(email: str, name: str, expires_in_days: int | None) -> None:
    """Create a personal API token for EMAIL; the token alone is the last line."""
    user = user_by_email(email)
    if user is None:
        raise click.ClickException(f"No user with the address {email}.")
    if not user.is_enabled:
        raise click.ClickException(f"{email} is deactivated.")
    token, plain = create_api_token(user, name, expires_in_days)
    until = f", expiring {token.expires_at:%Y-%m-%d %H:%M} UTC" if token.expires_at else ""
    click.echo(f"Created token {token.name!r} for {user.email}{until}. "
               "It is shown only this once:")
    click.echo(plain)
