"""The import pages: upload → mapping → run → result, permissions, organisation scoping."""

import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from goaldesk.accounts.models import Role
from goaldesk.interactions.import_views import _display
from goaldesk.interactions.models import ImportJob, Interaction
from goaldesk.interactions.tasks import import_job_task

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

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(url("mapping", org, job), {**MAPPING, "action": "import"})
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
