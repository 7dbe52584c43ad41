"""Build the demo into the database: two organisations, their settings, people, data and a token.

* **Nour Electronics** (slug `demo`, Dubai, English): 6 months of interactions ending today,
  reviews, three teams, 16 agents, a user for every role.
* **مرکز خدمات پارس** (slug `demo-fa`, Tehran, Persian, Jalali calendar, Friday weekend): a small
  organisation the demo owner also belongs to, to show organisation switching and right-to-left.

The demo is for a local machine only: its passwords are printed and known to everyone.
"""

import datetime as dt
import time
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

import jdatetime
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from goaldesk.accounts.models import (
    ApiToken,
    BusinessHours,
    Holiday,
    Organisation,
    Role,
    today_in,
)
from goaldesk.accounts.selectors import business_calendar_for
from goaldesk.accounts.services import (
    api_token_create,
    member_add,
    organisation_create,
    user_get_or_create,
)
from goaldesk.demo.customers import customers_demo_build
from goaldesk.demo.generator import (
    DUBAI,
    TEHRAN,
    DemoProfile,
    generate_interactions,
    generate_reviews,
)
from goaldesk.demo.goals import goals_demo_build
from goaldesk.demo.knowledge import knowledge_demo_build
from goaldesk.demo.pulse import pulse_demo_build
from goaldesk.demo.quality import quality_demo_build
from goaldesk.demo.recognition import recognition_demo_build
from goaldesk.demo.schedule import first_full_week, schedule_demo_build
from goaldesk.demo.skills import skills_demo_build
from goaldesk.demo.surveys import surveys_demo_build
from goaldesk.interactions.models import Category, Interaction, Review
from goaldesk.interactions.records import InteractionData, ReviewData
from goaldesk.interactions.services import (
    category_names_save,
    interactions_upsert,
    reviews_upsert,
)
from goaldesk.team.models import Agent
from goaldesk.team.services import agent_create, team_create

DEMO_SLUG = "demo"
DEMO_FA_SLUG = "demo-fa"
#: Known to everyone who reads this: the demo runs on a local machine only.
DEMO_PASSWORD = "goaldesk-demo"  # noqa: S105
DEMO_TOKEN_NAME = "Demo"  # noqa: S105 - a label, not a secret
DAYS = 182
BATCH_SIZE = 2000

#: (user name, role in `demo`, role in `demo-fa` or None). The agent user is Aisha Rahman.
DEMO_USERS = (
    ("demo", Role.OWNER, Role.OWNER),
    ("demo-manager", Role.MANAGER, None),
    ("demo-agent", Role.AGENT, None),
    ("demo-viewer", Role.VIEWER, None),
    ("demo-fa-agent", None, Role.AGENT),
)
#: Which agent each agent user is.
AGENT_USERS = {
    "demo-agent": DUBAI.agents[0].key,
    "demo-fa-agent": TEHRAN.agents[0].key,
}

#: UAE public holidays (Islamic ones as announced or expected; the moon decides the final day).
UAE_HOLIDAYS = {
    dt.date(2025, 1, 1): "New Year's Day",
    dt.date(2025, 3, 30): "Eid al-Fitr",
    dt.date(2025, 3, 31): "Eid al-Fitr",
    dt.date(2025, 4, 1): "Eid al-Fitr",
    dt.date(2025, 6, 5): "Arafat Day",
    dt.date(2025, 6, 6): "Eid al-Adha",
    dt.date(2025, 6, 26): "Islamic New Year",
    dt.date(2025, 9, 4): "Prophet's Birthday",
    dt.date(2025, 12, 2): "National Day",
    dt.date(2025, 12, 3): "National Day",
    dt.date(2026, 1, 1): "New Year's Day",
    dt.date(2026, 3, 20): "Eid al-Fitr",
    dt.date(2026, 3, 21): "Eid al-Fitr",
    dt.date(2026, 3, 22): "Eid al-Fitr",
    dt.date(2026, 5, 26): "Arafat Day",
    dt.date(2026, 5, 27): "Eid al-Adha",
    dt.date(2026, 5, 28): "Eid al-Adha",
    dt.date(2026, 6, 16): "Islamic New Year",
    dt.date(2026, 8, 25): "Prophet's Birthday",
    dt.date(2026, 12, 2): "National Day",
    dt.date(2026, 12, 3): "National Day",
    dt.date(2027, 1, 1): "New Year's Day",
    dt.date(2027, 3, 9): "Eid al-Fitr",
    dt.date(2027, 3, 10): "Eid al-Fitr",
    dt.date(2027, 5, 15): "Arafat Day",
    dt.date(2027, 5, 16): "Eid al-Adha",
    dt.date(2027, 5, 17): "Eid al-Adha",
    dt.date(2027, 6, 6): "Islamic New Year",
    dt.date(2027, 8, 14): "Prophet's Birthday",
    dt.date(2027, 12, 2): "National Day",
    dt.date(2027, 12, 3): "National Day",
    dt.date(2028, 1, 1): "New Year's Day",
    dt.date(2028, 2, 26): "Eid al-Fitr",
    dt.date(2028, 2, 27): "Eid al-Fitr",
    dt.date(2028, 5, 4): "Arafat Day",
    dt.date(2028, 5, 5): "Eid al-Adha",
    dt.date(2028, 5, 25): "Islamic New Year",
    dt.date(2028, 8, 3): "Prophet's Birthday",
    dt.date(2028, 12, 2): "National Day",
    dt.date(2028, 12, 3): "National Day",
}
#: Iranian holidays fixed in the Solar Hijri calendar: (month, day) → name.
IRAN_HOLIDAYS = {
    (1, 1): "نوروز",
    (1, 2): "نوروز",
    (1, 3): "نوروز",
    (1, 4): "نوروز",
    (1, 12): "روز جمهوری اسلامی",
    (1, 13): "روز طبیعت",
    (3, 14): "رحلت امام خمینی",
    (3, 15): "قیام ۱۵ خرداد",
    (11, 22): "پیروزی انقلاب اسلامی",
    (12, 29): "ملی شدن صنعت نفت",
}

Progress = Callable[[str], None]


def _quiet(message: str) -> None:
    pass


def token_file() -> Path:
    """Where the demo's API token is kept so a restart can print it again (only its hash is in
    the database)."""
    return Path(settings.DATA_DIR) / "demo_api_token"


def holidays_between(profile: DemoProfile, first: dt.date, last: dt.date) -> dict[dt.date, str]:
    """The profile's public holidays from `first` to `last` (both included)."""
    if profile is TEHRAN:
        found = {}
        for year in range(
            jdatetime.date.fromgregorian(date=first).year,
            jdatetime.date.fromgregorian(date=last).year + 1,
        ):
            for (month, day), name in IRAN_HOLIDAYS.items():
                try:
                    gregorian = jdatetime.date(year, month, day).togregorian()
                except ValueError:  # 29 Esfand does not exist in every year
                    continue
                if first <= gregorian <= last:
                    found[gregorian] = name
        return dict(sorted(found.items()))
    return {day: name for day, name in UAE_HOLIDAYS.items() if first <= day <= last}


def _spans(profile: DemoProfile) -> list[tuple[int, dt.time, dt.time]]:
    def clock(hours: float) -> dt.time:
        minutes = round(hours * 60)
        return dt.time(minutes // 60, minutes % 60) if minutes < 1440 else dt.time()

    return [
        (weekday, clock(opens), clock(closes))
        for weekday, spans in sorted(profile.hours.items())
        for opens, closes in spans
    ]


def _batches(items: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _demo_is_complete() -> bool:
    return (
        ApiToken.objects.filter(organisation__slug=DEMO_SLUG, name=DEMO_TOKEN_NAME).exists()
        and Organisation.objects.filter(slug=DEMO_FA_SLUG).exists()
    )


def demo_delete() -> None:
    """Remove both demo organisations (with everything in them) and the demo users."""
    from django.contrib.auth import get_user_model

    Organisation.objects.filter(slug__in=(DEMO_SLUG, DEMO_FA_SLUG)).delete()
    get_user_model().objects.filter(username__in=[name for name, *_roles in DEMO_USERS]).delete()
    token_file().unlink(missing_ok=True)


def _organisation_build(
    *, profile: DemoProfile, slug: str, seed: int, size: int | None, progress: Progress
) -> tuple[Organisation, int, int]:
    """One demo organisation with settings, teams, agents, interactions and reviews."""
    org = organisation_create(
        name=profile.name, timezone=profile.timezone, language=profile.language, slug=slug,
        weekend_days=list(profile.weekend_days),
    )  # fmt: skip
    last = today_in(org)
    first = last - dt.timedelta(days=DAYS - 1)
    holidays = holidays_between(profile, first, last + dt.timedelta(days=30))
    # Settings written directly, not through business_hours_replace / holiday_add: those also
    # recompute derived columns of existing interactions, and this organisation has none yet.
    with transaction.atomic():
        BusinessHours.objects.bulk_create(
            BusinessHours(organisation=org, weekday=weekday, opens=opens, closes=closes)
            for weekday, opens, closes in _spans(profile)
        )
        Holiday.objects.bulk_create(
            Holiday(organisation=org, date=day, name=name) for day, name in holidays.items()
        )
        teams = {}
        for agent in profile.agents:
            if agent.team not in teams:
                teams[agent.team] = team_create(organisation=org, name=agent.team)
            agent_create(organisation=org, key=agent.key, name=agent.name, team=teams[agent.team])

    calendar = business_calendar_for(org)
    rows = generate_interactions(
        seed=seed, start=first, days=DAYS, size=size, timezone=profile.timezone,
        profile=profile, now=timezone.now(), closed_dates=holidays.keys(),
    )  # fmt: skip
    written = 0
    for batch in _batches(rows, BATCH_SIZE):
        interactions_upsert(
            organisation=org, records=[InteractionData(**row) for row in batch], calendar=calendar
        )
        written += len(batch)
        progress(f"{org.slug}: {written} interactions")
    _categories_name(org)
    reviews = [
        ReviewData(**row)
        for row in generate_reviews(seed=seed, start=first, days=DAYS, profile=profile, until=last)
    ]
    reviews_upsert(organisation=org, records=reviews)
    progress(f"{org.slug}: {len(reviews)} reviews")
    return org, written, len(reviews)


#: The demo's categories named as a desk would name them (the default categories already have
#: translated names). A person's own words, so not in the translation catalogue.
DEMO_CATEGORY_NAMES = {
    "delivery": {"en": "Delivery", "de": "Lieferung", "fa": "ارسال کالا", "ar": "التوصيل"},
    "account": {"en": "Customer account", "de": "Kundenkonto", "fa": "حساب کاربری", "ar": "حساب العميل"},
    "product_question": {
        "en": "Product question", "de": "Produktfrage", "fa": "پرسش درباره کالا", "ar": "سؤال عن منتج",
    },
    "warranty": {"en": "Warranty", "de": "Garantie", "fa": "گارانتی", "ar": "الضمان"},
    "installation": {"en": "Installation", "de": "Installation", "fa": "نصب", "ar": "التركيب"},
}  # fmt: skip


def _categories_name(org: Organisation) -> None:
    ids = dict(
        Category.objects.filter(organisation=org, key__in=list(DEMO_CATEGORY_NAMES)).values_list(
            "key", "pk"
        )
    )
    category_names_save(
        organisation=org, names={pk: DEMO_CATEGORY_NAMES[key] for key, pk in ids.items()}
    )


def demo_build(
    *,
    seed: int = 7,
    reset: bool = False,
    size: int | None = None,
    progress: Progress | None = None,
) -> dict[str, object]:
    """Create the demo unless it exists (`reset` rebuilds it); return what there is to sign in with.

    `size` fixes the number of interactions of the main organisation (default: its natural
    volume, about 40,000); the Persian one gets a sixth of it. The result: `built` (bool),
    `seconds`, `organisations` [{slug, name, interactions, reviews}], `users`
    [{username, password, roles: {slug: role}}], `api_token` (raw, or None when unknown).
    """
    progress = progress or _quiet
    started = time.perf_counter()
    if reset or (Organisation.objects.filter(slug=DEMO_SLUG).exists() and not _demo_is_complete()):
        progress("removing the previous demo")
        demo_delete()
    built = not Organisation.objects.filter(slug=DEMO_SLUG).exists()
    if built:
        _organisation_build(profile=DUBAI, slug=DEMO_SLUG, seed=seed, size=size, progress=progress)
        _organisation_build(
            profile=TEHRAN, slug=DEMO_FA_SLUG, seed=seed + 1,
            size=None if size is None else max(size // 6, 1), progress=progress,
        )  # fmt: skip
        _members_add()
        demo_org = Organisation.objects.get(slug=DEMO_SLUG)
        goals_demo_build(organisation=demo_org, today=today_in(demo_org))
        recognition_demo_build(organisation=demo_org, today=today_in(demo_org), seed=seed)
        fa_org = Organisation.objects.get(slug=DEMO_FA_SLUG)
        recognition_demo_build(
            organisation=fa_org, today=today_in(fa_org), language="fa", seed=seed
        )
        for slug, profile in ((DEMO_SLUG, DUBAI), (DEMO_FA_SLUG, TEHRAN)):
            org = Organisation.objects.get(slug=slug)
            progress(f"{org.slug}: forecast and a week's schedule")
            today = today_in(org)
            schedule_demo_build(
                organisation=org, today=today, week_start=first_full_week(org, today),
                profile=profile,
            )  # fmt: skip
            skills_demo_build(organisation=org, today=today)
            pulse_demo_build(organisation=org, today=today)
            progress(f"{org.slug}: help centre")
            knowledge_demo_build(
                organisation=org, today=today, seed=seed,
                languages=("en", "ar") if slug == DEMO_SLUG else ("fa", "en"),
            )  # fmt: skip
            progress(f"{org.slug}: customers, segments and personas")
            customers_demo_build(
                organisation=org, today=today, language=profile.language, seed=seed
            )
        for slug in (DEMO_SLUG, DEMO_FA_SLUG):
            org = Organisation.objects.get(slug=slug)
            progress(f"{org.slug}: quality reviews")
            quality_demo_build(organisation=org, today=today_in(org), seed=seed)
            progress(f"{org.slug}: customer surveys")
            surveys_demo_build(organisation=org, today=today_in(org), seed=seed)
        _token_create()
    return {
        "built": built,
        "seconds": round(time.perf_counter() - started, 1),
        "organisations": [
            {
                "slug": org.slug,
                "name": org.name,
                "interactions": Interaction.objects.filter(organisation=org).count(),
                "reviews": Review.objects.filter(organisation=org).count(),
            }
            for org in Organisation.objects.filter(slug__in=(DEMO_SLUG, DEMO_FA_SLUG)).order_by(
                "slug"
            )
        ],
        "users": [
            {
                "username": username,
                "password": DEMO_PASSWORD,
                "roles": {
                    slug: str(role)
                    for slug, role in ((DEMO_SLUG, main_role), (DEMO_FA_SLUG, fa_role))
                    if role
                },
            }
            for username, main_role, fa_role in DEMO_USERS
        ],
        "api_token": _token_read(),
    }


@transaction.atomic
def _members_add() -> None:
    orgs = {
        org.slug: org for org in Organisation.objects.filter(slug__in=(DEMO_SLUG, DEMO_FA_SLUG))
    }
    for username, main_role, fa_role in DEMO_USERS:
        # An address for each, so the demo's digests and notifications have somewhere to go.
        user = user_get_or_create(
            username=username, password=DEMO_PASSWORD, email=f"{username}@example.com"
        )
        for slug, role in ((DEMO_SLUG, main_role), (DEMO_FA_SLUG, fa_role)):
            if role:
                member_add(organisation=orgs[slug], user=user, role=role)
        if username in AGENT_USERS:
            Agent.objects.filter(key=AGENT_USERS[username], organisation__slug__in=orgs).update(
                user=user
            )


def _token_create() -> None:
    from django.contrib.auth import get_user_model

    org = Organisation.objects.get(slug=DEMO_SLUG)
    owner = get_user_model().objects.get(username="demo")
    _token, raw = api_token_create(
        organisation=org, name=DEMO_TOKEN_NAME, role=Role.MANAGER, created_by=owner
    )
    path = token_file()
    path.write_text(raw)
    path.chmod(0o600)


def _token_read() -> str | None:
    """The demo token when this data directory made it and it is still valid."""
    from goaldesk.accounts.models import hash_token

    path = token_file()
    if not path.exists():
        return None
    raw = path.read_text().strip()
    valid = ApiToken.objects.filter(
        organisation__slug=DEMO_SLUG, token_hash=hash_token(raw), revoked_at__isnull=True
    ).exists()
    return raw if valid else None
