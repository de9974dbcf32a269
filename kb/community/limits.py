"""Rate limits against spam: each customer may post a few questions and answers at once, then
must wait before each further post, longer and longer, until they have left the community
alone for a while. Staff are not limited. Counted with the sign-in throttle's counters
(``kb.accounts.throttle``), so parallel requests cannot slip past the limit."""

from __future__ import annotations

from kb import policy
from kb.accounts.throttle import Rule, count_attempt

# ten posts pass at once; then 30 s before the next, doubling up to 10 minutes; the count
# starts over after 20 minutes without a post
POSTS = Rule("community.post", free=10, first_wait=30, max_wait=600)
MESSAGE = ("You have posted a lot in a short time. To keep the community free of spam, "
           "please wait {wait} before posting again.")


def count_post(user) -> None:
    """Count one question or answer by ``user``; ``Throttled`` (429) while they must wait. The
    caller's commit keeps the count (a post refused for another reason is not counted)."""
    if policy.acts_as_staff(user):
        return
    count_attempt([(POSTS, f"user:{user.id}")], MESSAGE, commit=False)
