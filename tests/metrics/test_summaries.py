"""Day stamps and agent day summaries: the database notices every change to a day's
interactions, whoever writes it; the worker builds the changed days; the rebuild command."""

import datetime as dt
import io
import threading
from contextlib import contextmanager

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone

from goaldesk.core.models import JobState
from goaldesk.interactions.models import ImportJob, Interaction
from goaldesk.metrics.models import AgentDaySummary, DayStamp
from goaldesk.metrics.summaries import summaries_build, summaries_build_due
from tests.factories import AgentFactory, OrganisationFactory, TeamFactory
from tests.metrics.conftest import at, make_interaction

pytestmark = pytest.mark.django_db

MON, TUE = dt.date(2026, 3, 2), dt.date(2026, 3, 3)


def due(organisation):
    return {
        day
        for day, done, version in DayStamp.objects.filter(
            organisation_id=organisation.pk
        ).values_list("day", "built_version", "version")
        if done != version
    }


def built(organisation):
    return {
        day
        for day, done, version in DayStamp.objects.filter(
            organisation_id=organisation.pk
        ).values_list("day", "built_version", "version")
        if done == version
    }


def test_every_write_to_a_day_makes_it_due_whoever_makes_it(desk):
    first = make_interaction(desk, external_id="A", created_at=at("2026-03-02"))
    make_interaction(desk, external_id="B", created_at=at("2026-03-02", "10:00"))
    assert due(desk) == {MON}
    summaries_build(desk)
    assert due(desk) == set()
    # A bulk update that bypasses every service still counts.
    Interaction.objects.filter(pk=first.pk).update(csat=5)
    assert due(desk) == {MON}
    summaries_build(desk)
    # Moving an interaction to another day changes both days.
    Interaction.objects.filter(pk=first.pk).update(local_date=TUE)
    assert due(desk) == {MON, TUE}
    summaries_build(desk)
    Interaction.objects.filter(pk=first.pk).delete()
    assert due(desk) == {TUE}
    assert built(desk) == {MON}


def test_the_worker_builds_only_the_days_that_changed(desk):
    team = TeamFactory(organisation=desk, name="North")
    agent = AgentFactory(organisation=desk, key="sara", team=team)
    make_interaction(desk, external_id="A", created_at=at("2026-03-02"), agent=agent, team=team)
    make_interaction(desk, external_id="B", created_at=at("2026-03-03"), agent=agent, team=team)
    make_interaction(desk, external_id="C", created_at=at("2026-03-03"))
    assert built(desk) == set()
    assert summaries_build_due() == 2
    assert built(desk) == {MON, TUE}
    # Tuesday has two groups: Sara in North, and nobody in no team; each on every channel
    # ("") and on its one channel.
    rows = AgentDaySummary.objects.filter(organisation_id=desk.pk)
    assert sorted((r.day, r.agent_id, r.team_id, r.channel) for r in rows) == [
        (MON, agent.pk, team.pk, ""),
        (MON, agent.pk, team.pk, "email"),
        (TUE, 0, 0, ""),
        (TUE, 0, 0, "email"),
        (TUE, agent.pk, team.pk, ""),
        (TUE, agent.pk, team.pk, "email"),
    ]
    assert summaries_build_due() == 0  # nothing changed
    Interaction.objects.filter(external_id="C").update(csat=2)
    assert built(desk) == {MON}
    assert summaries_build_due() == 1
    assert built(desk) == {MON, TUE}


def test_a_settings_change_makes_every_day_due_again(desk):
    make_interaction(desk, external_id="A", created_at=at("2026-03-02"), channel="phone")
    make_interaction(desk, external_id="B", created_at=at("2026-03-03"), channel="phone")
    assert summaries_build(desk) == 2
    assert summaries_build(desk) == 0
    desk.answer_target_seconds = 45  # the service level's aggregate changes with it
    desk.save()
    assert summaries_build(desk) == 2


def test_the_stamps_of_a_deleted_organisation_are_dropped(desk):
    other = OrganisationFactory(slug="gone")
    make_interaction(other, external_id="A", created_at=at("2026-03-02"))
    make_interaction(desk, external_id="B", created_at=at("2026-03-02"))
    summaries_build_due()
    other.delete()
    summaries_build_due()
    assert set(DayStamp.objects.values_list("organisation_id", flat=True)) == {desk.pk}
    assert set(AgentDaySummary.objects.values_list("organisation_id", flat=True)) == {desk.pk}


def test_the_rebuild_command_builds_every_day_and_names_an_unknown_organisation(desk):
    make_interaction(desk, external_id="A", created_at=at("2026-03-02"))
    make_interaction(desk, external_id="B", created_at=at("2026-03-05"))
    summaries_build(desk)
    out, err = io.StringIO(), io.StringIO()
    call_command("summaries_rebuild", org=desk.slug, stdout=out, stderr=err)
    assert f"{desk.slug}: 2 days built." in out.getvalue()
    assert built(desk) == {MON, dt.date(2026, 3, 5)}
    with pytest.raises(CommandError, match="no organisation “nope”"):
        call_command("summaries_rebuild", org="nope")


def test_the_worker_leaves_an_organisations_days_to_its_running_import_and_builds_them_after(desk):
    """Each batch of an import changes its days again: building them meanwhile is work thrown
    away. The figures stay exact all along (they read days not built from the interactions)."""
    make_interaction(desk, external_id="A", created_at=at("2026-03-02"))
    other = OrganisationFactory(slug="other", timezone="UTC")
    make_interaction(other, external_id="B", created_at=at("2026-03-03"))
    job = ImportJob.objects.create(
        organisation=desk,
        original_name="calls.csv",
        state=JobState.RUNNING,
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
    )
    summaries_build_due()
    assert (due(desk), built(other)) == ({MON}, {TUE})  # the other organisation is built
    # A dry run writes no interactions, and an import whose process is gone holds nothing.
    ImportJob.objects.filter(pk=job.pk).update(dry_run=True)
    summaries_build_due()
    assert built(desk) == {MON}
    make_interaction(desk, external_id="C", created_at=at("2026-03-03"))
    ImportJob.objects.filter(pk=job.pk).update(
        dry_run=False, heartbeat_at=timezone.now() - dt.timedelta(minutes=10)
    )
    summaries_build_due()
    assert due(desk) == set()
    make_interaction(desk, external_id="D", created_at=at("2026-03-03", "12:00"))
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now())
    summaries_build_due()
    assert due(desk) == {TUE}
    ImportJob.objects.filter(pk=job.pk).update(state=JobState.DONE, finished_at=timezone.now())
    summaries_build_due()
    assert due(desk) == set()


@contextmanager
def held_by_another_transaction(hold):
    """For the block's length, another connection keeps open the transaction in which it ran
    hold() (a writer's batch, a lock)."""
    holding, release = threading.Event(), threading.Event()

    def run() -> None:
        try:
            with transaction.atomic():
                hold()
                holding.set()
                release.wait(30)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    try:
        assert holding.wait(30)
        yield
    finally:
        release.set()
        thread.join(30)


def built_in_time(organisation, seconds: float = 10) -> bool:
    """Whether summaries_build(organisation), run on another connection, ends within `seconds`
    (a build that waits for the holder would still be stuck when it goes on)."""
    finished = threading.Event()

    def build() -> None:
        try:
            summaries_build(organisation)
            finished.set()
        finally:
            connection.close()

    builder = threading.Thread(target=build)
    builder.start()
    builder.join(seconds)
    return finished.is_set()


@pytest.mark.django_db(transaction=True)
def test_a_build_leaves_a_day_due_rather_than_wait_for_a_writer_that_holds_it():
    """On PostgreSQL an import's batch bumps its days' stamps, then more (the next contacts it
    refreshed); a build that waited for one of them while holding another would deadlock with
    it and fail the import. The build marks what is free and leaves the held day due."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "Needs PostgreSQL (set GOALDESK_DATABASE_URL=postgres://…): on SQLite a build holds "
            "the only write lock, so no writer can hold a day meanwhile."
        )
    desk = OrganisationFactory(name="Desk", slug="desk", timezone="UTC")
    make_interaction(desk, external_id="A", created_at=at("2026-03-02"))
    make_interaction(desk, external_id="B", created_at=at("2026-03-03"))
    # an import's batch, still open, has stamped Tuesday
    with held_by_another_transaction(
        lambda: make_interaction(desk, external_id="C", created_at=at("2026-03-03", "11:00"))
    ):
        assert built_in_time(desk)
        assert built(desk) == {MON}
    assert due(desk) == {TUE}  # built at the next round, with the writer's row
    summaries_build(desk)
    assert due(desk) == set()
    assert AgentDaySummary.objects.filter(organisation_id=desk.pk, day=TUE).exists()


@pytest.mark.django_db(transaction=True)
def test_a_build_gives_up_a_lock_it_cannot_get_and_leaves_its_days_due():
    """A deletion, a schema change or the tests' own flush may hold a summary table: the build
    stops within moments (rather than wait, or deadlock with it) and builds the days later."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "Needs PostgreSQL (set GOALDESK_DATABASE_URL=postgres://…): on SQLite a build holds "
            "the only write lock, so nothing else can hold a table meanwhile."
        )
    desk = OrganisationFactory(name="Desk", slug="desk", timezone="UTC")
    make_interaction(desk, external_id="A", created_at=at("2026-03-02"))

    def lock() -> None:
        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE metrics_daysummary IN ACCESS EXCLUSIVE MODE")

    with held_by_another_transaction(lock):
        assert built_in_time(desk)
        assert due(desk) == {MON}
    summaries_build(desk)
    assert due(desk) == set()
