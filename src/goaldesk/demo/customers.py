"""Customers of the demo: a name, a city, a tier and a language for every customer key the
demo's interactions carry (their records exist already: the interactions' write path made
them); three segments — gold tier, frequent callers, unhappy last time — each with a persona
card; and, in the main organisation, a goal for the gold customers' satisfaction.

Deterministic: every choice is drawn from a random generator seeded with `seed` over the keys
in order.
"""

import datetime as dt
import math
import random

from django.db import transaction

from goaldesk.accounts.models import Organisation
from goaldesk.customers.models import Customer, Segment
from goaldesk.customers.services import segment_save
from goaldesk.feedback.persona_services import persona_save
from goaldesk.goals.models import Goal, GoalType
from goaldesk.goals.selectors import goal_series, metric_value

CITIES = {
    "en": ["Dubai", "Sharjah", "Abu Dhabi", "Ajman", "Al Ain"],
    "fa": ["تهران", "کرج", "اصفهان", "شیراز", "تبریز"],
}
FIRST_NAMES = {
    "en": ["Aisha", "Omar", "Fatima", "Rahul", "Maria", "Yusuf", "Layla", "John", "Priya", "Ali"],
    "fa": ["مریم", "علی", "زهرا", "رضا", "سارا", "حسین", "نگار", "امیر", "لیلا", "مهدی"],
}
LAST_NAMES = {
    "en": ["Khan", "Haddad", "Nair", "Santos", "Rahman", "Smith", "Farouk", "Das", "Saleh"],
    "fa": ["احمدی", "محمدی", "رضایی", "کریمی", "حسینی", "موسوی", "جعفری", "صادقی", "نوری"],
}
#: (tier, weight): a few gold, more silver, most bronze.
TIERS = (("gold", 15), ("silver", 30), ("bronze", 55))

SEGMENTS = {
    "en": [
        (
            "Gold tier",
            [{"kind": "attribute", "field": "tier", "value": "gold"}],
            "Gold Gina",
            "Our loyalty-card holders: they buy often, expect to be known by name and "
            "notice when a promise is not kept.",
        ),
        (
            "Frequent callers",
            [{"kind": "contacts", "at_least": 3, "days": 90}],
            "Returning Rami",
            "Three or more contacts in three months: often the same problem again. Solving "
            "it the first time is what they need most.",
        ),
        (
            "Unhappy last time",
            [{"kind": "last_csat", "at_most": 2}],
            "Disappointed Dana",
            "Their last rating was 1 or 2. A call back from a lead within a day wins most "
            "of them back.",
        ),
    ],
    "fa": [
        (
            "مشتریان طلایی",
            [{"kind": "attribute", "field": "tier", "value": "gold"}],
            "گلاره‌ی طلایی",
            "دارندگان کارت وفاداری: زیاد خرید می‌کنند و انتظار دارند با نام شناخته شوند.",
        ),
        (
            "تماس‌گیرندگان پرتکرار",
            [{"kind": "contacts", "at_least": 3, "days": 90}],
            "رامین همیشگی",
            "سه تماس یا بیشتر در سه ماه؛ بیشتر همان مشکل دوباره. حل در اولین تماس مهم‌ترین "
            "نیاز آن‌هاست.",
        ),
        (
            "ناراضیان دفعه‌ی قبل",
            [{"kind": "last_csat", "at_most": 2}],
            "دنیای دلخور",
            "آخرین امتیازشان ۱ یا ۲ بود. تماس سرپرست در همان روز بیشترشان را برمی‌گرداند.",
        ),
    ],
}


@transaction.atomic
def customers_demo_build(
    *, organisation: Organisation, today: dt.date, language: str = "en", seed: int = 7
) -> int:
    """Fill the organisation's customer records, add the segments and personas; returns the
    number of customers filled."""
    rng = random.Random(seed)
    words = "fa" if language == "fa" else "en"
    tiers, weights = zip(*TIERS, strict=True)
    customers = list(Customer.objects.filter(organisation=organisation).order_by("key"))
    for customer in customers:
        first, last = rng.choice(FIRST_NAMES[words]), rng.choice(LAST_NAMES[words])
        customer.name = f"{first} {last}"
        if words == "en":
            customer.email = f"{first.lower()}.{customer.key.lower()}@example.com"
        customer.phone = f"+{'98' if words == 'fa' else '971'}5{rng.randrange(10**7, 10**8)}"
        customer.language = language
        customer.attributes = {
            "tier": rng.choices(tiers, weights)[0],  # type: ignore[arg-type]
            "city": rng.choice(CITIES[words]),
        }
    Customer.objects.bulk_update(
        customers, ["name", "email", "phone", "language", "attributes"], batch_size=500
    )
    segments: list[Segment] = []
    for name, rules, persona, description in SEGMENTS[words]:
        segment = segment_save(organisation=organisation, name=name, rules=rules)  # type: ignore[arg-type]
        persona_save(segment=segment, name=persona, description=description)
        segments.append(segment)
    _gold_goal(organisation, segments[0], today, words)
    return len(customers)


GOAL_WORDS = {
    "en": ("Keep gold customers delighted", "Gold customers bring most of the repeat sales."),
    "fa": ("رضایت مشتریان طلایی", "مشتریان طلایی بیشتر خریدهای تکراری را می‌آورند."),
}


def _gold_goal(organisation: Organisation, segment: Segment, today: dt.date, words: str) -> None:
    """A goal for the gold customers' satisfaction, beside an existing goal of the demo (its
    business goal and owner); none when the organisation has no goal to stand beside."""
    model = Goal.objects.filter(organisation=organisation).order_by("pk").first()
    if model is None:
        return
    baseline_from, baseline_to = today - dt.timedelta(days=56), today - dt.timedelta(days=29)
    scope = {"segment": segment.name}
    baseline = metric_value(
        organisation=organisation,
        metric_key="csat_pct",
        date_from=baseline_from,
        date_to=baseline_to,
        scope=scope,
    )
    if baseline is None:
        return
    goal = Goal.objects.create(
        organisation=organisation,
        title=GOAL_WORDS[words][0],
        goal_type=GoalType.SATISFACTION,
        metric_key="csat_pct",
        scope=scope,
        baseline_from=baseline_from,
        baseline_to=baseline_to,
        baseline_value=baseline,
        baseline_sample=28,
        target=min(100.0, float(math.ceil(baseline + 5))),
        start=today - dt.timedelta(days=28),
        deadline=today + dt.timedelta(days=62),
        business_goal=model.business_goal,
        reason=GOAL_WORDS[words][1],
        owner=model.owner,
    )
    # Still to reach, whatever the random days gave: five points over the best value its
    # tracking window has shown since it started (the demo's story for this goal).
    seen = [value for _day, value in goal_series(goal, as_of=today) if value is not None]
    if seen and max(seen) + 5 > goal.target:
        goal.target = min(100.0, float(math.ceil(max(seen) + 5)))
        goal.save(update_fields=["target"])
