"""The import pages: upload → mapping → run → result, permissions, organisation scoping."""

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from goaldesk.accounts.models import Role
from goaldesk.interactions import importing
from goaldesk.interactions.import_views import _display
from goaldesk.interactions.importing import (
    SUMMARY_REASONS,
    import_files_expire,
    import_run,
    rejection_summary_add,
)
from goaldesk.interactions.mapping import ImportFileError
from goaldesk.interactions.models import ImportJob, Interaction
from goaldesk.interactions.tasks import import_job_task
from tests.core.test_tabular import workbook_without_dimension
from tests.interactions.test_import import make_job

CSV = (
    "Ticket,Kanal,Opened,Score,Notes\n"
    "A-1,phone,2026-03-02 09:00,5,first\n"
    "A-2,fax,2026-03-02 09:10,4,second\n"
    "A-3,chat,2026-03-02 09:20,3,third\n"
    "A-4,email,2026-03-02 09:30,,fourth\n"
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def url(name, org, job=None):
    args = [org.slug] + ([job.pk] if job is not None else [])
    return reverse(f"imports:{name}", args=args)


def upload(client, org, text=CSV, name="calls.csv", preset=""):
    return client.post(
        url("start", org),
        {"file": SimpleUploadedFile(name, text.encode()), "kind": "interactions",
         "preset": preset},
    )  # fmt: skip


MAPPING = {"map_external_id": "Ticket", "map_channel": "Kanal", "map_created_at": "Opened",
           "map_csat": "Score"}  # fmt: skip


#: The mapping form's hidden fields once the unknown channel "fax" was listed (left unmapped).
FAX_LISTED = {"value_field_0": "channel", "value_source_0": "fax"}


def test_full_flow(client_as, org, django_capture_on_commit_callbacks):
    client = client_as(Role.MANAGER)
    assert client.get(url("start", org)).status_code == 200

    response = upload(client, org)
    job = ImportJob.objects.get(organisation=org)
    assert response.status_code == 302 and response["Location"] == url("mapping", org, job)
    assert job.file.name.endswith(".csv") and job.original_name == "calls.csv"

    page = client.get(url("mapping", org, job))
    assert page.status_code == 200
    text = page.content.decode()
    # Every canonical field has a select with the file's headers, samples are shown.
    for field in ("external_id", "channel", "created_at", "fixed_at"):
        assert f'name="map_{field}"' in text
    assert "Kanal" in text and "A-1" in text and "first" in text

    # The chosen channel column writes "fax", which GoalDesk does not know: the page lists it
    # before anything starts; left unmapped, its row is rejected.
    listed = client.post(url("mapping", org, job), {**MAPPING, "action": "import"})
    assert listed.status_code == 200 and "<bdi>fax</bdi>" in listed.content.decode()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            url("mapping", org, job), {**MAPPING, **FAX_LISTED, "action": "import"}
        )
    assert response.status_code == 302 and response["Location"] == url("job", org, job)
    assert len(callbacks) == 1  # the task was queued once the mapping was saved
    job.refresh_from_db()
    assert job.state == ImportJob.State.PENDING and not job.dry_run
    assert job.mapping["channel"] == "Kanal"

    waiting = client.get(url("job", org, job)).content.decode()
    assert 'hx-trigger="every 1s"' in waiting

    assert import_job_task.call(job.pk) == {"rows": 4, "accepted": 3, "updated": 0, "rejected": 1}
    assert Interaction.objects.filter(organisation=org).count() == 3

    result = client.get(url("job", org, job)).content.decode()
    assert "every 1s" not in result
    assert "fax" in result and "Kanal" in result  # the rejected row: column and reason
    assert url("rejected_csv", org, job) in result

    progress = client.get(url("progress", org, job), headers={"HX-Request": "true"})
    assert progress["HX-Refresh"] == "true"

    download = client.get(url("rejected_csv", org, job))
    assert download["Content-Type"].startswith("text/csv")
    assert 'filename="calls-rejected.csv"' in download["Content-Disposition"]
    body = b"".join(download.streaming_content).decode().lstrip("\ufeff")
    lines = list(csv.reader(io.StringIO(body)))
    assert lines[0] == ["Ticket", "Kanal", "Opened", "Score", "Notes", "row", "column", "reason"]
    assert lines[1][:7] == ["A-2", "fax", "2026-03-02 09:10", "4", "second", "2", "Kanal"]
    assert len(lines) == 2

    listing = client.get(url("start", org)).content.decode()
    assert "calls.csv" in listing


def test_guessed_mapping_is_preselected(client_as, org):
    client = client_as(Role.OWNER)
    upload(client, org, text="id,via,created,csat\n1,chat,2026-03-02 09:00,5\n", preset="zendesk")
    job = ImportJob.objects.get(organisation=org)
    assert job.mapping["external_id"] == "id" and job.mapping["channel"] == "via"
    text = client.get(url("mapping", org, job)).content.decode()
    assert '<option value="via" selected>' in text


def test_dry_run_then_import(client_as, org):
    client = client_as(Role.MANAGER)
    upload(client, org)
    job = ImportJob.objects.get(organisation=org)
    client.post(url("mapping", org, job), {**MAPPING, "action": "dry_run"})
    job.refresh_from_db()
    assert job.dry_run
    import_job_task.call(job.pk)
    assert Interaction.objects.count() == 0
    page = client.get(url("job", org, job)).content.decode()
    assert url("for_real", org, job) in page

    response = client.post(url("for_real", org, job))
    real = ImportJob.objects.exclude(pk=job.pk).get()
    assert response["Location"] == url("job", org, real)
    assert not real.dry_run and real.file.name == job.file.name
    import_job_task.call(real.pk)
    assert Interaction.objects.filter(organisation=org).count() == 3


def test_mapping_without_required_field_is_refused(client_as, org):
    client = client_as(Role.MANAGER)
    upload(client, org)
    job = ImportJob.objects.get(organisation=org)
    mapping = {**MAPPING, "map_created_at": ""}
    response = client.post(url("mapping", org, job), {**mapping, "action": "import"})
    assert response.status_code == 200
    assert "created_at" in response.content.decode()
    job.refresh_from_db()
    assert "created_at" not in job.mapping


def test_unreadable_upload_shows_an_error(client_as, org):
    client = client_as(Role.MANAGER)
    response = client.post(
        url("start", org),
        {"file": SimpleUploadedFile("x.csv", "a,b\nä,ö\n".encode("cp1252")),
         "kind": "interactions", "preset": ""},
    )  # fmt: skip
    assert response.status_code == 200
    assert "UTF-8" in response.content.decode()
    assert ImportJob.objects.count() == 0


@pytest.mark.parametrize("role", [Role.VIEWER, Role.AGENT])
def test_viewers_and_agents_are_forbidden(client_as, org, role):
    job = ImportJob.objects.create(organisation=org, original_name="x.csv", file="x.csv")
    client = client_as(role)
    for name in ("start",):
        assert client.get(url(name, org)).status_code == 403
    for name in ("job", "mapping", "progress", "rejected_csv"):
        assert client.get(url(name, org, job)).status_code == 403
    assert client.post(url("for_real", org, job)).status_code == 403


def test_another_organisations_job_is_not_found(client_as, org, other_org, outsider_client):
    theirs = ImportJob.objects.create(organisation=other_org, original_name="x.csv", file="x.csv")
    client = client_as(Role.OWNER)
    for name in ("job", "mapping", "progress", "rejected_csv"):
        assert client.get(url(name, org, theirs)).status_code == 404
    assert client.post(url("for_real", org, theirs)).status_code == 404
    # And an outsider does not see this organisation's import page at all.
    assert outsider_client.get(url("start", org)).status_code == 404


def test_anonymous_visitor_is_sent_to_sign_in(client, org):
    response = client.get(url("start", org))
    assert response.status_code == 302 and "signin" in response["Location"]


def test_mapping_samples_show_times_and_dates_as_written():
    """A spreadsheet's cells arrive as datetimes, dates or times; each reads as its ISO form."""
    assert _display(dt.datetime(2026, 3, 7, 9, 30)) == "2026-03-07 09:30:00"
    assert _display(dt.date(2026, 3, 7)) == "2026-03-07"
    assert _display(dt.time(9, 30)) == "09:30:00"
    assert _display(None) == "" and _display(12.5) == "12.5"


# --- hostile and unusual files (issue 14) ----------------------------------------------------


def upload_bytes(client, org, content, name):
    return client.post(
        url("start", org),
        {"file": SimpleUploadedFile(name, content), "kind": "interactions", "preset": ""},
    )


def media_files(settings):
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_a_crafted_workbook_is_stored_at_once_and_checked_row_by_row_by_the_job(
    client_as, org, settings, sheet_bytes_read
):
    settings.IMPORT_REJECTIONS_STORED = 100
    rows = [(f"G-{n}", "phone", "2026-03-02 09:00") for n in range(1, 4)]
    rows += [(f"B-{n}", "fax", "2026-03-02 09:00") for n in range(4, 50_001)]
    content = workbook_without_dimension(["id", "channel", "created_at"], rows)
    client = client_as(Role.MANAGER)

    response = upload_bytes(client, org, content, "crafted.xlsx")
    job = ImportJob.objects.get(organisation=org)
    assert response.status_code == 302 and response["Location"] == url("mapping", org, job)
    assert client.get(url("mapping", org, job)).status_code == 200
    # The upload and the mapping page read the start of the sheet, not the 50,000 rows.
    assert sheet_bytes_read["bytes"] < SHEET_BYTES_LIMIT
    client.post(
        url("mapping", org, job),
        {"map_external_id": "id", "map_channel": "channel", "map_created_at": "created_at",
         "action": "import"},
    )  # fmt: skip

    counts = import_job_task.call(job.pk)
    assert counts == {"rows": 50_000, "accepted": 3, "updated": 0, "rejected": 49_997}
    job.refresh_from_db()
    # Only the first 100 rejected rows are stored with their values; all are summarised.
    assert job.rejections.count() == 100
    assert [r.row_number for r in job.rejections.order_by("row_number")[:2]] == [4, 5]
    assert [(item["column"], item["count"]) for item in job.rejection_summary] == [
        ("channel", 49_997)
    ]
    assert "fax" in job.rejection_summary[0]["reason"]
    page = client.get(url("job", org, job)).content.decode()
    assert "Rejected rows by reason" in page
    assert "The first 100 of the 49,997 rejected rows are listed" in page


SHEET_BYTES_LIMIT = 200_000


def test_rejections_beyond_the_stored_ones_are_summarised_by_reason(org, settings, tmp_path):
    settings.IMPORT_REJECTIONS_STORED = 2
    path = tmp_path / "r.csv"
    lines = ["external_id,channel,created_at,csat"]
    lines += [f"A{n},fax,2026-03-02 09:00," for n in range(5)]  # 5 × the same reason
    lines += [f"B{n},phone,2026-03-02 09:00,9" for n in range(3)]  # 3 × csat out of scale
    lines += ["C,phone,2026-03-02 09:00,4"]
    path.write_text("\n".join(lines) + "\n")
    job = make_job(org, path)
    import_run(job.pk, source=path, batch_size=3)  # the summary adds up across batches
    job.refresh_from_db()
    assert (job.accepted, job.rejected) == (1, 8)
    assert [r.row_number for r in job.rejections.all()] == [1, 2]
    summary = [(item["column"], item["count"]) for item in job.rejection_summary]
    assert summary == [("channel", 5), ("csat", 3)]
    assert "fax" in job.rejection_summary[0]["reason"]


def test_a_summary_lists_at_most_so_many_distinct_reasons():
    counts = {("channel", f"“x{n}” is not a channel."): 1 for n in range(SUMMARY_REASONS + 5)}
    summary = rejection_summary_add([], counts)
    assert len(summary) == SUMMARY_REASONS + 1
    assert summary[0] == {"column": "channel", "reason": "other reasons", "count": 5}
    again = rejection_summary_add(
        summary, {("channel", "“x0” is not a channel."): 2, ("", "new"): 1}
    )
    assert again[:2] == [
        {"column": "channel", "reason": "other reasons", "count": 5},
        {"column": "channel", "reason": "“x0” is not a channel.", "count": 3},
    ]
    assert {"column": "", "reason": "other reasons", "count": 1} in again


def test_an_upload_over_the_size_limit_is_refused_with_the_limit(client_as, org, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1024 * 1024
    client = client_as(Role.MANAGER)
    big = CSV.encode() + b"A-9,phone,2026-03-02 09:30,,x\n" * 40_000  # 1.2 MB
    response = upload_bytes(client, org, big, "big.csv")
    assert response.status_code == 200
    assert "larger than 1 MB" in response.content.decode()
    assert ImportJob.objects.count() == 0 and media_files(settings) == []
    assert upload_bytes(client, org, CSV.encode(), "small.csv").status_code == 302


def test_the_file_is_removed_when_the_import_ends(client_as, org, settings):
    client = client_as(Role.MANAGER)
    upload(client, org)
    job = ImportJob.objects.get(organisation=org)
    client.post(url("mapping", org, job), {**MAPPING, "action": "dry_run"})
    import_job_task.call(job.pk)
    assert len(media_files(settings)) == 1  # a dry run keeps it for the import that follows
    client.post(url("for_real", org, job))
    real = ImportJob.objects.exclude(pk=job.pk).get()
    import_job_task.call(real.pk)
    assert media_files(settings) == []
    job.refresh_from_db()
    real.refresh_from_db()
    assert not job.file and not real.file
    assert url("for_real", org, job) not in client.get(url("job", org, job)).content.decode()


def test_a_kept_file_expires_after_the_retention_window(client_as, org, settings):
    client = client_as(Role.MANAGER)
    upload(client, org)
    job = ImportJob.objects.get(organisation=org)
    client.post(url("mapping", org, job), {**MAPPING, "action": "dry_run"})
    import_job_task.call(job.pk)
    job.refresh_from_db()
    assert import_files_expire(now=job.finished_at + dt.timedelta(hours=23)) == 0
    assert import_files_expire(now=job.finished_at + dt.timedelta(hours=25)) == 1
    assert media_files(settings) == []


def test_a_header_only_file_is_refused(client_as, org, settings):
    client = client_as(Role.MANAGER)
    response = upload(client, org, text="Ticket,Kanal,Opened\n\n")
    assert response.status_code == 200
    assert "The file has no data rows" in response.content.decode()
    assert ImportJob.objects.count() == 0 and media_files(settings) == []


def test_a_row_over_the_field_limit_never_leaves_a_pending_job(client_as, org, settings):
    client = client_as(Role.MANAGER)
    huge = "y" * 1_000_001
    # In row 2, within the preview: refused at once, nothing kept.
    response = upload(client, org, text=f"{CSV.splitlines()[0]}\n{CSV.splitlines()[1]}\n"
                                         f'A-2,phone,2026-03-02 09:10,4,"{huge}"\n')  # fmt: skip
    assert response.status_code == 200 and "Row 2 cannot be read" in response.content.decode()
    assert ImportJob.objects.count() == 0 and media_files(settings) == []
    # Further down: the job ends FAILED with the row named, its file removed.
    upload(client, org, text=CSV + f'A-5,phone,2026-03-02 09:10,4,"{huge}"\n')
    job = ImportJob.objects.get(organisation=org)
    client.post(url("mapping", org, job), {**MAPPING, **FAX_LISTED, "action": "import"})
    with pytest.raises(ImportFileError):
        import_job_task.call(job.pk)
    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED and "Row 5 cannot be read" in job.error
    assert media_files(settings) == [] and not job.file
    assert job.rows_done == 4  # the good rows before it are kept
    assert Interaction.objects.filter(organisation=org).count() == 3


def test_a_job_whose_file_cannot_be_previewed_fails_and_drops_its_file(client_as, org, settings):
    client = client_as(Role.MANAGER)
    upload(client, org)
    job = ImportJob.objects.get(organisation=org)
    Path(job.file.path).write_bytes(b"Ticket\n" + "ä\n".encode("cp1252") * 10)
    response = client.get(url("mapping", org, job))
    assert response.status_code == 302 and response["Location"] == url("start", org)
    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED and "UTF-8" in job.error
    assert media_files(settings) == []


@pytest.mark.django_db(transaction=True)
def test_the_upload_reads_the_file_outside_any_transaction(client_as, org, monkeypatch):
    # Inside one, SQLite's write lock would be held while a large file is read.
    seen = []
    preview = importing.preview_table

    def preview_and_note(*args, **kwargs):
        seen.append(connection.in_atomic_block)
        return preview(*args, **kwargs)

    monkeypatch.setattr(importing, "preview_table", preview_and_note)
    response = upload(client_as(Role.MANAGER), org)
    assert response.status_code == 302 and seen == [False]
    assert ImportJob.objects.filter(organisation=org).count() == 1


def test_the_mapping_page_of_an_expired_upload_says_so(client_as, org, settings):
    client = client_as(Role.MANAGER)
    upload(client, org)
    job = ImportJob.objects.get(organisation=org)
    assert import_files_expire(now=job.created_at + dt.timedelta(hours=25)) == 1
    response = client.get(url("mapping", org, job), follow=True)
    assert "The uploaded file was removed" in response.content.decode()
    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED and media_files(settings) == []


def test_the_upload_page_names_the_zone_and_lists_every_column_with_an_example(client_as, org):
    page = client_as(Role.MANAGER).get(url("start", org)).content.decode()
    assert 'time zone (<span class="code">Asia/Tehran</span>)' in page
    assert "()" not in page
    assert "<title>Import · GoalDesk</title>" in page
    assert page.count('id="columns"') == 1
    for name in ("external_id", "created_at", "wait_seconds", "fixed_at"):
        assert f'<span class="code">{name}</span>' in page
    assert "<bdi>2026-11-30 10:00</bdi>" in page  # created_at, in a Gregorian English page
    assert "<bdi>95</bdi>" in page  # wait_seconds
    assert reverse("imports:template_csv", args=[org.slug]) in page
    assert reverse("imports:template_xlsx", args=[org.slug]) in page


def test_a_persian_reader_sees_the_examples_as_they_would_type_them(client_as, org):
    org.calendar = "jalali"
    org.save(update_fields=["calendar"])
    client = client_as(Role.MANAGER)
    client.cookies["django_language"] = "fa"
    page = client.get(url("start", org)).content.decode()
    # 30 November 2026 is 9 Azar 1405.
    assert "<bdi>۱۴۰۵/۰۹/۰۹ ۱۰:۰۰</bdi>" in page
    assert "<bdi>۹۵</bdi>" in page


@pytest.mark.parametrize("name", ["template_csv", "template_xlsx"])
def test_the_template_files_import_as_one_interaction(client_as, org, tmp_path, name):
    response = client_as(Role.MANAGER).get(url(name, org))
    assert response.status_code == 200
    extension = name.rsplit("_", 1)[1]
    assert f'filename="interactions-template.{extension}"' in response["Content-Disposition"]
    path = tmp_path / f"template.{extension}"
    path.write_bytes(response.content)
    job = make_job(org, path)
    import_run(job.pk, source=path)
    job.refresh_from_db()
    assert (job.accepted, job.rejected) == (1, 0)
    row = Interaction.objects.get(organisation=org, external_id="T-1001")
    # 10:00 in Tehran (+03:30) is 06:30 UTC.
    assert row.created_at == dt.datetime(2026, 11, 30, 6, 30, tzinfo=dt.UTC)
    assert (row.wait_seconds, row.handle_seconds, row.csat) == (95, 480, 5)
    assert row.fixed_at == dt.datetime(2026, 11, 30, 10, 10, tzinfo=dt.UTC)


def test_the_csv_template_header_is_the_canonical_columns_in_order(client_as, org):
    text = client_as(Role.MANAGER).get(url("template_csv", org)).content.decode()
    header, example = list(csv.reader(io.StringIO(text)))
    assert header[:3] == ["external_id", "channel", "created_at"]
    assert len(header) == len(example) == 20
