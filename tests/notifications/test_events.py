"""Background jobs tell the person who started them when they finish or fail (core sends
`job_ended`; notifications listens), in that person's language."""

import datetime as dt

from django.core import mail

from goaldesk.accounts.models import Profile, Role
from goaldesk.engine.rostering import Requirement
from goaldesk.interactions.importing import import_job_fail
from goaldesk.interactions.models import ImportJob
from goaldesk.notifications.models import Notification
from goaldesk.scheduling.models import Schedule
from goaldesk.scheduling.services import schedule_create, scheduling_rules_save
from tests.factories import AgentFactory, MembershipFactory, UserFactory
from tests.forecasting.conftest import make_run, planned_org

__all__ = ["make_run", "planned_org"]

SATURDAY = dt.date(2026, 3, 7)


def starter_and_colleague(org):
    starter = UserFactory(username="anna", email="anna@example.org")
    Profile.objects.create(user=starter, language="de", calendar="gregorian")
    MembershipFactory(user=starter, organisation=org, role=Role.MANAGER)
    colleague = UserFactory(username="omid", email="omid@example.org")
    MembershipFactory(user=colleague, organisation=org, role=Role.OWNER)
    return starter, colleague


def requirement(org):
    start = dt.datetime(2026, 3, 7, 9, tzinfo=org.tzinfo)
    return [Requirement(start=start, interval_minutes=60, required={"phone": 1})]


def test_a_failed_import_tells_its_starter_by_email_in_their_language(
    org, django_capture_on_commit_callbacks
):
    starter, _colleague = starter_and_colleague(org)
    job = ImportJob.objects.create(
        organisation=org, created_by=starter, original_name="calls.csv", file="imports/calls.csv"
    )
    with django_capture_on_commit_callbacks(execute=True):
        import_job_fail(job=job, error="The file has no data rows.")
    notification = Notification.objects.get()
    assert (notification.recipient, notification.kind) == (starter, "job_failed")
    assert notification.params == {
        "job": "import",
        "file": "calls.csv",
        "reason": "The file has no data rows.",
    }
    assert notification.url == f"/o/{org.slug}/import/{job.pk}/"
    assert (
        notification.text() == "Import of \u2068calls.csv\u2069 failed: The file has no data rows."
    )
    [message] = mail.outbox
    assert message.to == ["anna@example.org"]
    assert message.extra_headers["Content-Language"] == "de"
    assert f"/o/{org.slug}/import/{job.pk}/" in message.body


def test_a_schedule_solve_tells_its_starter_whether_it_finished_or_failed(
    org, django_capture_on_commit_callbacks
):
    starter, _colleague = starter_and_colleague(org)
    # No agents: the solver stops with the reason.
    with django_capture_on_commit_callbacks(execute=True):
        failed = schedule_create(
            organisation=org,
            week_start=SATURDAY,
            requirement=requirement(org),
            created_by=starter,
            run_now=True,
        )
    assert failed.state == Schedule.State.FAILED
    notification = Notification.objects.get()
    assert (notification.recipient, notification.kind) == (starter, "job_failed")
    assert notification.text() == (
        "Schedule for the week of 7 Mar 2026 failed: "
        "The organisation has no active agents to schedule."
    )
    assert len(mail.outbox) == 1
    AgentFactory(organisation=org, key="sara", name="Sara")
    scheduling_rules_save(
        organisation=org,
        values={"shift_lengths_minutes": [480], "break_minutes": 0, "within_opening_hours": False},
    )
    with django_capture_on_commit_callbacks(execute=True):
        done = schedule_create(
            organisation=org,
            week_start=SATURDAY,
            requirement=requirement(org),
            created_by=starter,
            run_now=True,
        )
    assert done.state == Schedule.State.DONE
    finished = Notification.objects.get(kind="job_finished")
    assert finished.recipient == starter
    assert finished.params == {"job": "schedule", "week": "2026-03-07"}
    assert finished.url == f"/o/{org.slug}/planning/schedule/{done.pk}/"
    assert len(mail.outbox) == 1  # "finished" is told in the app only, by default
    # The colleague heard of neither.
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"anna"}


def test_a_finished_forecast_tells_its_starter_and_a_job_nobody_started_tells_nobody(
    planned_org, make_run
):
    starter, _colleague = starter_and_colleague(planned_org)
    run = make_run(
        organisation=planned_org, interval_minutes=30, horizon_days=7, created_by=starter
    )
    assert run.state == "done"
    notification = Notification.objects.get()
    assert (notification.recipient, notification.kind) == (starter, "job_finished")
    assert notification.text() == "Forecast finished."
    assert notification.url == f"/o/{planned_org.slug}/planning/forecast/{run.pk}/"
    make_run(organisation=planned_org, interval_minutes=30, horizon_days=7)  # the command line
    assert Notification.objects.count() == 1
