"""The filters of the patch list, read alike by its page and the API: one who may not list
patches (a lapsed term, a plan without them) is told that first, whatever the filters; then a
value no patch can have is refused (``kb.filter_values.UnknownFilter``), never answered with
an empty list."""

from __future__ import annotations

from kb import filter_values, policy
from kb.forms import sent_value
from kb.patches.models import KINDS

FIELDS = ("product", "version", "kind")


def checked(user, arguments) -> dict[str, str]:
    """The ``product`` (its slug), ``version`` and ``kind`` filters ``arguments`` ask for, each
    one a patch ``user`` may list can have."""
    policy.require(user, "patches")
    return {**filter_values.product_and_version_of(user, arguments),
            "kind": filter_values.one_of("kind", sent_value(arguments, "kind"), KINDS)}

