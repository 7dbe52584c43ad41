"""Event logs and message threads: one interaction per case or conversation (reduction.py).

The samples in samples/ are /work/helpers/issue20/samples/*.csv; every expected figure below is
worked out by hand in the research notes (eventlog.md, twitter.md, chatwoot.md, helpscout.md)
and repeated here as arithmetic.
"""

import csv
import datetime as dt
import random
import statistics
from pathlib import Path

import pytest

from goaldesk.core.tabular import sample_rows
from goaldesk.interactions.importing import import_run, mapping_for_job
from goaldesk.interactions.mapping import guess_mapping, load_preset
from goaldesk.interactions.models import ImportCase, ImportJob, ImportRejection, Interaction
from goaldesk.interactions.reduction import mapping_with_choices
from tests.factories import OrganisationFactory

SAMPLES = Path(__file__).parent / "samples"
HELPDESK = Path("/work/shared/data/helpdesk_eventlog/helpdesk.csv")
UTC = dt.UTC


class Crash(Exception):
    pass


@pytest.fixture
def utc_org(db):
    return OrganisationFactory(name="Rome Desk", slug="rome", timezone="UTC")


def make_job(org, path, preset, *, dry_run=False, fixed=None, final=None):
    preset_obj = load_preset(preset)
    headers, _ = sample_rows(path, count=1)
    mapping = mapping_for_job(
        guess_mapping(headers, preset_obj), preset=preset_obj, headers=headers
    )
    if fixed or final is not None:
        mapping = mapping_with_choices(
            mapping, channel=(fixed or {}).get("channel"), final_activities=final
        )
    return ImportJob.objects.create(
        organisation=org, original_name=path.name, mapping=mapping, dry_run=dry_run
    )


def run(org, path, preset, *, batch_size=5000, progress=None, **kwargs):
    job = make_job(org, path, preset, **kwargs)
    return import_run(job.pk, source=path, batch_size=batch_size, progress=progress)


def seconds(a, b):
    return (b - a).total_seconds()


def by_id(org):
    return {i.external_id: i for i in Interaction.objects.filter(organisation=org)}


def write_rows(path, header, rows):
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
    return path


# --- eventlog ------------------------------------------------------------------------------


def test_eventlog_sample_makes_one_interaction_per_case(utc_org):
    job = run(utc_org, SAMPLES / "eventlog.csv", "eventlog")
    assert job.state == ImportJob.State.DONE
    assert (job.rows_done, job.accepted, job.updated, job.rejected) == (14, 4, 0, 0)
    found = by_id(utc_org)
    assert sorted(found) == ["2", "3", "4", "5"]
    durations = {k: seconds(i.created_at, i.resolved_at) for k, i in found.items()}
    # 2 d 00:20:14, 5 d 07:07:11, 17:36:26, and case 5 to its *second* 6 (02:58:56)
    assert durations == {"2": 174_014, "3": 457_631, "4": 63_386, "5": 10_736}
    assert statistics.median(durations.values()) == (63_386 + 174_014) / 2 == 118_700
    assert {i.status for i in found.values()} == {"resolved"}
    assert {i.channel for i in found.values()} == {"web"}  # the file has none: the default
    assert found["2"].created_at == dt.datetime(2012, 4, 3, 16, 55, 38, tzinfo=UTC)
    assert not ImportCase.objects.exists()  # the staging rows are removed at the end


def test_eventlog_channel_and_final_activity_are_chosen(utc_org):
    run(utc_org, SAMPLES / "eventlog.csv", "eventlog", fixed={"channel": "phone"}, final=["8"])
    found = by_id(utc_org)
    assert {i.channel for i in found.values()} == {"phone"}
    # resolved by the LAST 8: case 5 at 22:15:02, opened 21:08:32 → 1:06:30 = 3,990 s
    assert seconds(found["5"].created_at, found["5"].resolved_at) == 3_990
    # case 2: 16:55:38 → 16:55:53
    assert seconds(found["2"].created_at, found["2"].resolved_at) == 15


def test_eventlog_case_without_the_final_activity_stays_open(utc_org, tmp_path):
    path = write_rows(
        tmp_path / "log.csv",
        ["Case ID", "Activity", "Complete Timestamp"],
        [
            ["A", "Insert ticket", "2024-01-01 09:00:00"],
            ["A", "Closed", "2024-01-01 10:00:00"],
            ["B", "Insert ticket", "2024-01-02 09:00:00"],
            ["B", "Take in charge ticket", "2024-01-02 09:30:00"],
        ],
    )
    job = run(utc_org, path, "eventlog")
    assert job.accepted == 2
    found = by_id(utc_org)
    assert (found["A"].status, seconds(found["A"].created_at, found["A"].resolved_at)) == (
        "resolved",
        3600,
    )
    assert (found["B"].status, found["B"].resolved_at) == ("open", None)
    assert found["B"].created_at == dt.datetime(2024, 1, 2, 9, tzinfo=UTC)


def test_eventlog_rows_of_a_case_anywhere_in_the_file(utc_org, tmp_path):
    """The sample's rows shuffled, read two at a time: a case's rows fall in different
    batches, its first event is not its first row; same interactions."""
    with (SAMPLES / "eventlog.csv").open(encoding="utf-8") as source:
        header, *rows = list(csv.reader(source))
    random.Random(20).shuffle(rows)
    path = write_rows(tmp_path / "shuffled.csv", header, rows)
    job = run(utc_org, path, "eventlog", batch_size=2)
    assert (job.rows_done, job.accepted) == (14, 4)
    durations = {k: seconds(i.created_at, i.resolved_at) for k, i in by_id(utc_org).items()}
    assert durations == {"2": 174_014, "3": 457_631, "4": 63_386, "5": 10_736}


def test_eventlog_bad_rows_are_rejected_with_number_and_column(utc_org, tmp_path):
    path = write_rows(
        tmp_path / "log.csv",
        ["CaseID", "ActivityID", "CompleteTimestamp"],
        [
            ["1", "1", "2024-01-01 09:00:00"],
            ["1", "6", "yesterday"],
            ["", "1", "2024-01-01 09:00:00"],
            ["1", "6", "2024-01-01 09:10:00"],
        ],
    )
    job = run(utc_org, path, "eventlog")
    assert (job.rows_done, job.accepted, job.rejected) == (4, 1, 2)
    rejected = list(ImportRejection.objects.values_list("row_number", "column"))
    assert rejected == [(2, "CompleteTimestamp"), (3, "CaseID")]
    found = by_id(utc_org)["1"]
    assert seconds(found.created_at, found.resolved_at) == 600


@pytest.mark.parametrize("preset", ["eventlog", "canonical"])
def test_a_row_wider_than_the_header_is_rejected_not_cut(utc_org, tmp_path, preset):
    header = (
        ["CaseID", "ActivityID", "CompleteTimestamp"]
        if preset == "eventlog"
        else ["external_id", "channel", "created_at"]
    )
    first = (
        ["1", "1", "2024-01-01 09:00:00"]
        if preset == "eventlog"
        else ["1", "phone", "2024-01-01 09:00:00"]
    )
    path = write_rows(
        tmp_path / "wide.csv", header, [first, [*first[:2], "2024-01-01 09:10:00", "extra"]]
    )
    job = run(utc_org, path, preset)
    assert (job.rows_done, job.rejected) == (2, 1)
    reason = ImportRejection.objects.get().reason
    assert reason == (
        "This row has 4 values but the header has 3 columns; check the delimiter and quotes."
    )


def test_eventlog_dry_run_counts_and_writes_nothing(utc_org):
    from goaldesk.interactions.importing import import_job_repeat

    job = run(utc_org, SAMPLES / "eventlog.csv", "eventlog", dry_run=True)
    assert (job.state, job.accepted, job.updated) == (ImportJob.State.DONE, 4, 0)
    assert job.shaped_counts() == {"cases": 4, "absorbed": 0, "unopened": 0}
    assert not Interaction.objects.exists()
    assert not ImportCase.objects.exists()
    # "Import for real" after the dry run starts from the file's first row again
    real = import_job_repeat(job=job)
    real = import_run(real.pk, source=SAMPLES / "eventlog.csv")
    assert (real.rows_done, real.accepted) == (14, 4)
    Interaction.objects.all().delete()
    # imported, then the same file again: four updates, no duplicates
    run(utc_org, SAMPLES / "eventlog.csv", "eventlog")
    again = run(utc_org, SAMPLES / "eventlog.csv", "eventlog")
    assert (again.accepted, again.updated) == (0, 4)
    assert Interaction.objects.count() == 4


@pytest.mark.parametrize("crash_at", ["rows", "cases"])
def test_eventlog_resumes_after_a_crash_without_duplicates(utc_org, crash_at):
    path = SAMPLES / "eventlog.csv"
    job = make_job(utc_org, path, "eventlog")
    seen = []

    def crash(progress_job):
        seen.append(progress_job.progress_counts())
        phase = progress_job.reducing_phase()
        if crash_at == "rows" and phase is None and progress_job.rows_done == 6:
            raise Crash
        if crash_at == "cases" and phase is not None and phase[0] == 3:
            raise Crash

    with pytest.raises(Crash):
        import_run(job.pk, source=path, batch_size=3, progress=crash)
    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED
    if crash_at == "rows":
        assert job.rows_done == 6 and not Interaction.objects.exists()
    else:
        # the first batch of three cases is written; the progress bar counts cases now
        assert job.rows_done == 14 and Interaction.objects.count() == 3
        assert seen[-1] == (3, 4)
    job = import_run(job.pk, source=path, batch_size=3)
    assert (job.state, job.rows_done, job.accepted, job.updated) == (
        ImportJob.State.DONE,
        14,
        4,
        0,
    )
    durations = {k: seconds(i.created_at, i.resolved_at) for k, i in by_id(utc_org).items()}
    assert durations == {"2": 174_014, "3": 457_631, "4": 63_386, "5": 10_736}


@pytest.mark.skipif(not HELPDESK.is_file(), reason="the shared helpdesk event log is absent")
def test_helpdesk_event_log_median_case_duration(utc_org):
    """Done-when: 3,804 cases; median (first event → last event with activity 6) = 339,363 s,
    as /work/helpers/issue20/scripts/eventlog_median.py computes it independently."""
    job = run(utc_org, HELPDESK, "eventlog")
    assert (job.rows_done, job.accepted, job.rejected) == (13_710, 3_804, 0)
    values = [
        seconds(c, r)
        for c, r in Interaction.objects.filter(organisation=utc_org).values_list(
            "created_at", "resolved_at"
        )
    ]
    assert len(values) == 3_804
    assert statistics.median(values) == (339_027 + 339_699) / 2 == 339_363


# --- twitter -------------------------------------------------------------------------------


def test_twitter_sample_threads(utc_org):
    job = run(utc_org, SAMPLES / "twitter.csv", "twitter")
    assert (job.rows_done, job.accepted, job.rejected) == (14, 4, 0)
    # 4, 5, 6, 21, 22, 23, 31, 32, 50, 51 open nothing (replies, a company's own tweet);
    # 4, 6, 21, 23, 31, 32 are company replies, staged under the tweet they answer
    found = by_id(utc_org)
    assert sorted(found) == ["20", "30", "40", "8"]
    assert {i.channel for i in found.values()} == {"social"}
    assert {i.status for i in found.values()} == {"open"}
    first = {
        k: seconds(i.created_at, i.first_response_at) if i.first_response_at else None
        for k, i in found.items()
    }
    # 21:45:10 → 21:46:24; 08:02:11 → 08:17:41; 23:58:00 → 00:05:30 (not 32, listed first)
    assert first == {"8": 74, "20": 930, "30": 450, "40": None}
    assert statistics.median(v for v in first.values() if v) == 450
    agents = {k: i.agent.key if i.agent else None for k, i in found.items()}
    assert agents == {"8": "sprintcare", "20": "AppleSupport", "30": "AmazonHelp", "40": None}
    assert {k: i.customer_id for k, i in found.items()} == {
        "8": "115712",
        "20": "115713",
        "30": "115714",
        "40": "115715",
    }
    assert found["30"].created_at == dt.datetime(2017, 11, 1, 23, 58, tzinfo=UTC)


# --- chatwoot ------------------------------------------------------------------------------


def test_chatwoot_sample_conversations(utc_org):
    job = run(utc_org, SAMPLES / "chatwoot.csv", "chatwoot")
    assert (job.rows_done, job.accepted, job.rejected) == (13, 4, 0)
    found = by_id(utc_org)
    assert {k: i.channel for k, i in found.items()} == {
        "101": "chat",
        "102": "email",
        "103": "social",
        "104": "social",
    }
    assert {k: i.status for k, i in found.items()} == {
        "101": "resolved",
        "102": "resolved",
        "103": "open",
        "104": "open",
    }
    first = {
        k: seconds(i.created_at, i.first_response_at) if i.first_response_at else None
        for k, i in found.items()
    }
    # the bot at +5 s and the private note at +600 s do not count
    assert first == {"101": 240, "102": 5_400, "103": None, "104": 90}
    assert statistics.median(v for v in first.values() if v) == 240
    resolution = {
        k: seconds(i.created_at, i.resolved_at) for k, i in found.items() if i.resolved_at
    }
    assert resolution == {"101": 1_200, "102": 79_200}  # 20 min; 22 h
    assert statistics.median(resolution.values()) == (1_200 + 79_200) / 2 == 40_200
    assert found["101"].created_at == dt.datetime(2024, 6, 3, 9, 0, tzinfo=UTC)
    assert found["101"].customer_id == "maria.rossi@example.com"
    assert found["101"].agent.key == "sara@example.com"
    assert (found["101"].category, found["102"].category, found["103"].category) == (
        "refund",
        "invoice",
        "",
    )


# --- helpscout -----------------------------------------------------------------------------


def test_helpscout_sample_conversations(utc_org):
    job = run(utc_org, SAMPLES / "helpscout.csv", "helpscout")
    assert (job.rows_done, job.accepted, job.rejected) == (11, 4, 0)
    found = by_id(utc_org)
    assert {k: i.channel for k, i in found.items()} == {
        "583": "email",
        "584": "chat",
        "585": "email",
        "586": "email",
    }
    first = {
        k: seconds(i.created_at, i.first_response_at) if i.first_response_at else None
        for k, i in found.items()
    }
    # 08:00 → 09:15 (the note at 08:30 does not count); 12:00 → 12:01; 14:00 → next day 09:00
    assert first == {"583": 4_500, "584": 60, "585": 68_400, "586": None}
    assert statistics.median(v for v in first.values() if v) == 4_500
    resolution = {
        k: seconds(i.created_at, i.resolved_at) for k, i in found.items() if i.resolved_at
    }
    assert resolution == {"583": 8_460, "584": 900}
    assert statistics.median(resolution.values()) == (900 + 8_460) / 2 == 4_680
    assert {k: i.status for k, i in found.items()} == {
        "583": "resolved",
        "584": "resolved",
        "585": "open",
        "586": "open",
    }


# --- pages and command line ----------------------------------------------------------------


def test_mapping_page_offers_the_channel_and_final_activities(client_as, org, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from goaldesk.accounts.models import Role
    from goaldesk.interactions.tasks import import_job_task

    settings.MEDIA_ROOT = tmp_path / "media"
    client = client_as(Role.MANAGER)
    utc_org = org  # Asia/Tehran: no clock change between these events
    start = reverse("imports:start", args=[utc_org.slug])
    data = (SAMPLES / "eventlog.csv").read_bytes()
    client.post(
        start,
        {
            "file": SimpleUploadedFile("log.csv", data),
            "kind": "interactions",
            "preset": "eventlog",
        },
    )
    job = ImportJob.objects.get(organisation=utc_org)
    page_url = reverse("imports:mapping", args=[utc_org.slug, job.pk])
    page = client.get(page_url).content.decode()
    assert 'name="fixed_channel"' in page and 'name="final_activities"' in page
    assert 'value="6, closed"' in page
    # the channel is not required: the file has no channel column
    assert 'name="map_channel" required' not in page

    columns = {"map_external_id": "CaseID", "map_created_at": "CompleteTimestamp"}
    refused = client.post(
        page_url, {**columns, "fixed_channel": "fax", "final_activities": "6", "action": "import"}
    )
    assert refused.status_code == 200 and "fax" in refused.content.decode()

    client.post(
        page_url,
        {**columns, "fixed_channel": "email", "final_activities": "8", "action": "import"},
    )
    job.refresh_from_db()
    assert job.mapping["_transforms"]["fixed"] == {"channel": "email"}
    import_job_task.call(job.pk)
    found = by_id(utc_org)
    assert {i.channel for i in found.values()} == {"email"}
    assert seconds(found["5"].created_at, found["5"].resolved_at) == 3_990  # the last 8
    result = client.get(reverse("imports:job", args=[utc_org.slug, job.pk])).content.decode()
    assert "14 rows made 4 cases" in result


def test_command_line_eventlog_with_channel_and_final_activity(utc_org, capsys):
    import json

    from goaldesk.cli import main

    path = str(SAMPLES / "eventlog.csv")
    args = ["import", "interactions", path, "--org", utc_org.slug, "--mapping", "eventlog"]
    code = main([*args, "--channel", "phone", "--final-activity", "8", "--json"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["rows"], out["accepted"], out["cases"], out["absorbed"]) == (14, 4, 4, 0)
    assert {i.channel for i in by_id(utc_org).values()} == {"phone"}
    assert main([*args, "--channel", "fax"]) == 2
    assert "fax" in capsys.readouterr().err
    twitter = ["import", "interactions", str(SAMPLES / "twitter.csv"), "--org", utc_org.slug]
    assert main([*twitter, "--mapping", "twitter", "--final-activity", "8"]) == 2


def test_eventlog_crash_inside_a_batch_leaves_nothing_half_staged(utc_org, monkeypatch):
    """The staging upserts, the rejections and rows_done share one transaction: a crash after
    the upserts of the second batch undoes them; the rerun counts no row twice."""
    from goaldesk.interactions import reduction

    path = SAMPLES / "eventlog.csv"
    job = make_job(utc_org, path, "eventlog")
    real_stage = reduction._stage
    calls = {"n": 0}

    def stage_then_crash(job_id, staged):
        calls["n"] += 1
        real_stage(job_id, staged)
        if calls["n"] == 2:
            raise Crash

    monkeypatch.setattr(reduction, "_stage", stage_then_crash)
    with pytest.raises(Crash):
        import_run(job.pk, source=path, batch_size=5)
    job.refresh_from_db()
    assert job.rows_done == 5
    # rows 1–5: cases 2 and 3 (rows 4 and 5), each staged once
    assert sorted(ImportCase.objects.filter(job=job).values_list("case_key", "last_row")) == [
        ("2", 3),
        ("3", 5),
    ]
    monkeypatch.setattr(reduction, "_stage", real_stage)
    job = import_run(job.pk, source=path, batch_size=5)
    assert (job.rows_done, job.accepted) == (14, 4)
    durations = {k: seconds(i.created_at, i.resolved_at) for k, i in by_id(utc_org).items()}
    assert durations == {"2": 174_014, "3": 457_631, "4": 63_386, "5": 10_736}


def test_helpscout_bad_reply_time_rejects_its_row_only(utc_org, tmp_path):
    with (SAMPLES / "helpscout.csv").open(encoding="utf-8") as source:
        header, *rows = list(csv.reader(source))
    rows[2][-1] = "soon"  # row 3: conversation 583's first user reply
    path = write_rows(tmp_path / "threads.csv", header, rows)
    job = run(utc_org, path, "helpscout")
    assert (job.rows_done, job.accepted, job.rejected) == (11, 4, 1)
    assert list(ImportRejection.objects.values_list("row_number", "column")) == [
        (3, "thread_createdAt")
    ]
    found = by_id(utc_org)["583"]
    # the next user reply (row 5, 10:20) is the first response now: 2 h 20 min
    assert seconds(found.created_at, found.first_response_at) == 8_400
