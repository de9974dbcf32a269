"""The support plans and their 23 features: the brochure's matrix as data, kept only here."""

from __future__ import annotations

from dataclasses import dataclass

PLANS: tuple[str, ...] = ("xtreme", "premium", "elite")
LOWEST_PLAN = PLANS[0]  # the default minimum plan of every gated item
PLAN_NAMES = {"xtreme": "Xtreme", "premium": "Premium", "elite": "Elite"}

ALL, PREMIUM_UP, ELITE_ONLY = PLANS, ("premium", "elite"), ("elite",)


@dataclass(frozen=True)
class Feature:
    key: str
    group: str
    name: str
    plans: tuple[str, ...]
    description: str = ""

    @property
    def lowest_plan(self) -> str:
        return self.plans[0]


FEATURES: tuple[Feature, ...] = (
    Feature("workaround_alerts", "Updates", "Critical-issue workaround alerts", ALL,
            "Advance notice when a workaround for a critical issue is ready."),
    Feature("updates_and_docs", "Updates", "System updates and documentation", ALL,
            "Release notes, enhancements and updated documentation."),
    Feature("patches", "Updates", "System patches and service packs", ALL,
            "Patches, service packs, legal and regulatory updates."),
    Feature("activity_review", "Updates", "Support activity review", ELITE_ONLY,
            "Regular reviews of your incidents with your customer success manager."),
    Feature("early_adopter", "Updates", "Early adopter program", ELITE_ONLY,
            "Priority for beta and early-adopter programs."),
    Feature("unlimited_incidents", "Support", "Unlimited incidents", ALL,
            "No limit on the number of incidents you log."),
    Feature("online_portal", "Support", "24x7 online support portal", ALL,
            "Log incidents, download patches and search the knowledge base at any hour."),
    Feature("phone_support", "Support", "Phone support", ALL,
            "Call support within your plan's hours."),
    Feature("remote_access", "Support", "Remote access", ALL,
            "Support connects to your system with your permission."),
    Feature("dedicated_csm", "Support", "Dedicated customer success manager", ELITE_ONLY,
            "A named CSM works with your named contacts."),
    Feature("senior_consultation", "Support",
            "Consultation with senior support and development staff", ELITE_ONLY,
            "Meetings with senior support and development staff, arranged by your CSM."),
    Feature("response_targets", "Responsiveness", "Incident response targets", ALL,
            "Know how soon support responds, by severity, product and plan."),
    Feature("severity_priority", "Responsiveness", "Incident priority by severity", ALL,
            "Incidents are prioritised by severity."),
    Feature("critical_support", "Responsiveness", "Critical incident support", ALL,
            "Severity 1 problems picked up within hours, weekdays."),
    Feature("extended_critical_support", "Responsiveness", "Extended critical incident support",
            PREMIUM_UP, "Severity 1 support around the clock, weekends included."),
    Feature("plan_priority", "Responsiveness", "Plan prioritization", PREMIUM_UP,
            "Within one severity, incidents are prioritised by plan level."),
    Feature("how_to", "Knowledge sharing", "Support methods: how-to answers", ALL,
            "Answers to procedural questions about standard components."),
    Feature("community", "Knowledge sharing", "Online community", ALL,
            "Talk to peers who run the same components."),
    Feature("recorded_sessions", "Knowledge sharing", "Recorded sessions", ALL,
            "Recordings of support-led sessions; ask for new topics."),
    Feature("interactive_sessions", "Knowledge sharing", "Interactive sessions (WebEx format)",
            PREMIUM_UP, "Live sessions where you talk with support staff and ask questions."),
    Feature("campus_discount", "Knowledge sharing", "Education incentive: Campus discount",
            ELITE_ONLY, "A discount on the Campus learning card."),
    Feature("update_planning", "Planning", "Update planning assistance", ELITE_ONLY,
            "Support calls you ahead of an update to plan it."),
    Feature("special_event_support", "Planning", "Special event support", ELITE_ONLY,
            "One weekend a year with a dedicated support person."),
)

FEATURES_BY_KEY: dict[str, Feature] = {feature.key: feature for feature in FEATURES}
GROUPS: tuple[str, ...] = tuple(dict.fromkeys(feature.group for feature in FEATURES))
FOOTNOTES = {
    "critical_support": "Not available for some products.",
    "extended_critical_support": "Not available for some products.",
    "special_event_support": "Not available for some products.",
    "campus_discount": "At the vendor's sole discretion.",
}


def feature(key: str) -> Feature:
    """The feature with this key; KeyError for an unknown key (a programming error)."""
    return FEATURES_BY_KEY[key]


def plan_rank(plan: str) -> int:
    return PLANS.index(plan)


def plan_includes(plan: str, other: str) -> bool:
    """Whether ``plan`` includes everything of ``other`` (each plan includes those below it)."""
    return plan_rank(plan) >= plan_rank(other)


def features_of_plan(plan: str) -> tuple[str, ...]:
    return tuple(f.key for f in FEATURES if plan in f.plans)


def features_lost(plan: str, new_plan: str) -> tuple[Feature, ...]:
    """What an organisation's users lose when its plan goes from ``plan`` to ``new_plan``
    (nothing when the new plan is the same or higher)."""
    return tuple(f for f in FEATURES if plan in f.plans and new_plan not in f.plans)


def plans_from(plan: str) -> tuple[str, ...]:
    """This plan and every plan above it."""
    return PLANS[plan_rank(plan):]


def plan_name(plan: str) -> str:
    return PLAN_NAMES[plan]


def plans_below_phrase(plan: str) -> str:
    """'Xtreme' or 'Xtreme and Premium': the plans under this one."""
    return " and ".join(plan_name(p) for p in PLANS[:plan_rank(plan)])


def plans_phrase(plan: str, *, sentence_start: bool = False) -> str:
    """'Premium and Elite', 'Elite' or 'every plan': who has a feature whose lowest plan this is.
    ``sentence_start`` gives 'Every plan' and leaves the plan names alone (Jinja's
    ``capitalize`` lowered them: 'Premium and elite')."""
    names = [plan_name(p) for p in plans_from(plan)]
    if len(names) == len(PLANS):
        return "Every plan" if sentence_start else "every plan"
    return " and ".join(names)
