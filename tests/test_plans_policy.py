"""The plan matrix against the brochure's table, and the policy for every feature and plan."""

from __future__ import annotations

import itertools

import pytest

from kb import plans, policy
from kb.accounts.models import Organization, User
from tests.conftest import needs_shared
from tests.seed_table import SEED_TABLE, SHARED_SEED_TABLE, seed_features

SEED = seed_features()


class FakeItem:
    def __init__(self, feature: str, min_plan: str, published: bool = True):
        self.access_feature = feature
        self.min_plan = min_plan
        self.is_published = published


def customer(plan: str, lapsed: bool = False) -> User:
    organization = Organization(name="o", plan=plan, term_start=policy.today(),
                                term_end=policy.today())
    if lapsed:
        organization.term_start = organization.term_end = policy.today().replace(year=2000)
    return User(email="c@example.test", role="customer", organization=organization,
                is_enabled=True)


def staff(viewing_as: str | None = None) -> User:
    user = User(email="s@example.test", role="staff", is_enabled=True)
    user.viewing_as_plan = viewing_as
    return user


class Anonymous:
    is_authenticated = False


def test_seed_table_is_found_and_complete():
    assert SEED_TABLE.exists(), f"the brochure's table is missing at {SEED_TABLE}"
    assert len(SEED) == 23


@needs_shared(SHARED_SEED_TABLE)
def test_the_projects_copy_of_the_seed_table_is_the_shared_one():
    assert seed_features(SHARED_SEED_TABLE) == SEED


def test_plan_data_matches_the_seed_table_exactly():
    assert [(f.key, f.group, f.plans) for f in plans.FEATURES] == [
        (f.key, f.group, f.plans) for f in SEED
    ]


@pytest.mark.parametrize(("feature", "plan"), list(itertools.product(SEED, plans.PLANS)),
                         ids=lambda v: getattr(v, "key", v))
def test_customer_may_use_exactly_the_features_of_their_plan(feature, plan):
    user = customer(plan)
    assert policy.can(user, feature.key) is (plan in feature.plans)
    denial = policy.feature_denial(user, feature.key)
    if plan not in feature.plans:
        assert denial.reason == "plan"
        assert denial.required_plan == feature.plans[0]
        assert plans.plan_name(feature.plans[0]) in denial.message


@pytest.mark.parametrize("feature", SEED, ids=lambda f: f.key)
@pytest.mark.parametrize("plan", plans.PLANS)
def test_lapsed_organisation_has_no_feature(feature, plan):
    denial = policy.feature_denial(customer(plan, lapsed=True), feature.key)
    assert denial is not None and denial.reason == "term_lapsed"


@pytest.mark.parametrize("feature", SEED, ids=lambda f: f.key)
def test_anonymous_has_no_feature(feature):
    denial = policy.feature_denial(Anonymous(), feature.key)
    assert denial.reason == "anonymous"


@pytest.mark.parametrize("feature", SEED, ids=lambda f: f.key)
def test_staff_have_every_feature(feature):
    assert policy.can(staff(), feature.key)


@pytest.mark.parametrize(("feature", "plan"), list(itertools.product(SEED, plans.PLANS)),
                         ids=lambda v: getattr(v, "key", v))
def test_staff_viewing_as_a_plan_see_what_that_plan_sees(feature, plan):
    assert policy.can(staff(viewing_as=plan), feature.key) is (plan in feature.plans)


def test_customer_without_organisation_has_nothing():
    user = User(email="x@example.test", role="customer", is_enabled=True)
    assert policy.features_of(user) == []


@pytest.mark.parametrize(("reader", "min_plan"), list(itertools.product(plans.PLANS, plans.PLANS)))
def test_item_minimum_plan(reader, min_plan):
    item = FakeItem("how_to", min_plan)
    allowed = plans.plan_includes(reader, min_plan)
    assert policy.can_read(customer(reader), item) is allowed
    if not allowed:
        denial = policy.read_denial(customer(reader), item, "article")
        assert denial.required_plan == min_plan
        assert "article" in denial.message


def test_unpublished_items_only_for_staff():
    draft = FakeItem("how_to", "xtreme", published=False)
    assert policy.read_denial(customer("elite"), draft).reason == "not_found"
    assert policy.can_read(staff(), draft)
    assert not policy.can_read(staff(viewing_as="elite"), draft)


def test_lapsed_customer_sees_titles_but_cannot_read():
    item = FakeItem("how_to", "xtreme")
    lapsed = customer("elite", lapsed=True)
    assert policy.can_see_title(lapsed, item)
    assert not policy.can_read(lapsed, item)


@pytest.mark.parametrize("plan", plans.PLANS)
def test_read_scope_lists_reachable_minimum_plans(plan):
    scope = policy.read_scope(customer(plan))
    assert scope.plans == plans.PLANS[: plans.PLANS.index(plan) + 1]
    assert scope.features == frozenset(plans.features_of_plan(plan))
    assert not scope.everything


def test_read_scope_of_lapsed_and_anonymous_is_nothing():
    assert policy.read_scope(customer("elite", lapsed=True)).nothing
    assert policy.read_scope(Anonymous()).nothing
    assert policy.read_scope(staff()).everything
