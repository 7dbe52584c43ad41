"""Writes of the team pulse: its settings, opening rounds (by the worker's clock or a
manager), and answers — counted into tallies, with a receipt that the person answered."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _

from goaldesk.accounts.models import Organisation, today_in
from goaldesk.notifications.services import notify

from .models.pulse import (
    PULSE_SCALES,
    PulseQuestion,
    PulseReceipt,
    PulseRound,
    PulseSettings,
    PulseTally,
)
from .pulse_selectors import people_asked, pulse_settings_for, round_open


class PulseRefused(Exception):
    """An action the pulse does not allow; the message is translated, for the person."""


def pulse_settings_save(
    *, organisation: Organisation, enabled: bool, every_weeks: int, open_days: int
) -> PulseSettings:
    with transaction.atomic():
        saved, _created = PulseSettings.objects.update_or_create(
            organisation=organisation,
            defaults={"enabled": enabled, "every_weeks": every_weeks, "open_days": open_days},
        )
    return saved


def pulse_round_create(
    *,
    organisation: Organisation,
    opens_on: dt.date,
    open_days: int,
    asked: int | None = None,
    tell: bool = True,
) -> tuple[PulseRound, bool]:
    """The round of `organisation` opening on `opens_on` (created with its empty tallies if
    new; `created` says so). When created and `tell`, each person asked is told once.
    `asked` overrides the number of people asked (the demo's team has few logins)."""
    people = list(people_asked(organisation=organisation))
    pulse_round, created = PulseRound.objects.get_or_create(
        organisation=organisation,
        opens_on=opens_on,
        defaults={
            "closes_on": opens_on + dt.timedelta(days=open_days - 1),
            "asked": len(people) if asked is None else asked,
        },
    )
    if created:
        PulseTally.objects.bulk_create(
            PulseTally(round=pulse_round, question=question, value=value)
            for question, values in PULSE_SCALES.items()
            for value in values
        )
        if tell:
            notify(
                kind="pulse_open",
                recipients=people,
                organisation=organisation,
                params={"closes": pulse_round.closes_on.isoformat()},
                url=reverse("coaching:pulse_answer", kwargs={"org_slug": organisation.slug}),
            )
    return pulse_round, created


def pulse_round_open(*, organisation: Organisation, today: dt.date | None = None) -> PulseRound:
    """Open a round today (a manager's "open a round now"); the people asked are told once.
    Refused when the pulse is off or a round is already open."""
    today = today or today_in(organisation)
    settings = pulse_settings_for(organisation)
    if not settings.enabled:
        raise PulseRefused(_("The pulse is off: switch it on in its settings first."))
    with transaction.atomic():
        if round_open(organisation=organisation, today=today) is not None:
            raise PulseRefused(_("A round of the pulse is already open."))
        pulse_round, _created = pulse_round_create(
            organisation=organisation, opens_on=today, open_days=settings.open_days
        )
    return pulse_round


def pulse_round_open_if_due(
    *, organisation: Organisation, today: dt.date | None = None
) -> PulseRound | None:
    """Open the organisation's next round when the pulse is on and its time has come (a round
    every one or two weeks after the last one opened). Safe to run any number of times, by
    several workers: a round is one per organisation and day, and told once. Returns the round
    opened, else None."""
    settings = pulse_settings_for(organisation)
    if not settings.enabled:
        return None
    today = today or today_in(organisation)
    with transaction.atomic():
        last = (
            PulseRound.objects.filter(organisation=organisation, opens_on__lte=today)
            .order_by("-opens_on")
            .first()
        )
        if last is not None and (
            last.closes_on >= today
            or today < last.opens_on + dt.timedelta(weeks=settings.every_weeks)
        ):
            return None
        pulse_round, created = pulse_round_create(
            organisation=organisation, opens_on=today, open_days=settings.open_days
        )
    return pulse_round if created else None


def pulse_rounds_open_due() -> int:
    """The worker's clock: open the rounds that are due in every organisation. Returns how
    many opened."""
    opened = 0
    for settings in PulseSettings.objects.filter(enabled=True).select_related("organisation"):
        if pulse_round_open_if_due(organisation=settings.organisation) is not None:
            opened += 1
    return opened


def _tallies_add(pulse_round: PulseRound, answers: Iterable[dict[str, int]]) -> int:
    added = 0
    for answer in answers:
        for question, values in PULSE_SCALES.items():
            value = answer[question]
            if value not in values:
                raise PulseRefused(_("Please choose one of the offered answers."))
            PulseTally.objects.filter(round=pulse_round, question=question, value=value).update(
                count=F("count") + 1
            )
        added += 1
    PulseRound.objects.filter(pk=pulse_round.pk).update(answers=F("answers") + added)
    return added


def pulse_answer_submit(
    *,
    organisation: Organisation,
    user: Any,
    workload: int,
    fairness: int,
    recommend: int,
    today: dt.date | None = None,
) -> PulseRound:
    """Count one person's answer to the open round. Refused when no round is open, the person
    is not asked, or they already answered it. Nothing of the answer is stored with them."""
    today = today or today_in(organisation)
    with transaction.atomic():
        pulse_round = round_open(organisation=organisation, today=today)
        if pulse_round is None:
            raise PulseRefused(_("No round of the pulse is open now."))
        if not people_asked(organisation=organisation).filter(pk=user.pk).exists():
            raise PulseRefused(_("The pulse asks agents only; you are not asked."))
        try:
            with transaction.atomic():
                PulseReceipt.objects.create(round=pulse_round, user=user)
        except IntegrityError:
            raise PulseRefused(_("You have already answered this round. Thank you!")) from None
        _tallies_add(
            pulse_round,
            [
                {
                    PulseQuestion.WORKLOAD: workload,
                    PulseQuestion.FAIRNESS: fairness,
                    PulseQuestion.RECOMMEND: recommend,
                }
            ],
        )
    return pulse_round


def pulse_answers_record(*, pulse_round: PulseRound, answers: Iterable[dict[str, int]]) -> int:
    """Count answers given outside the app (the demo's team, a paper round), without
    receipts. Returns how many were counted."""
    with transaction.atomic():
        return _tallies_add(pulse_round, list(answers))
