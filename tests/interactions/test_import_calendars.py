"""Local date spellings in imports: the calendar of years before 1700 is chosen on the mapping
page, kept with the job and used wherever the job runs (worker, retry, command line).

Dates worked out by hand:
- Jalali: 1 Azar 1405 = 22 Nov 2026, so 9 Azar 1405 (1405/09/09) = 30 Nov 2026.
- Hijri (Umm al-Qura): 1 Ramadan 1447 = 18 Feb 2026; then Ramadan 30 days, Shawwal 29,
  Dhu al-Qa'dah 30, Dhu al-Hijjah 29 (1 Muharram 1448 = 16 Jun 2026), Muharram 29, Safar 30,
  Rabi' I 29, Rabi' II 30, Jumada I 30: 1 Jumada II 1448 = 11 Nov 2026, so 1448/06/22 =
  2 Dec 2026.
- The same numbers read as Jalali: 1 Farvardin 1448 = 20 Mar 2069; Shahrivar 22 is day
  5 × 31 + 22 = 177 of the year, 176 days later: 12 Sep 2069.
"""

import datetime as dt
import json
import zoneinfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from goaldesk.accounts.models import Role
from goaldesk.cli import main
from goaldesk.core.parsing import local_calendar
from goaldesk.engine import JALALI
from goaldesk.interactions.models import ImportJob, Interaction, Review
from goaldesk.interactions.tasks import import_job_task

TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")
RIYADH = zoneinfo.ZoneInfo("Asia/Riyadh")

JALALI_CSV = (
    "id,channel,created_at\n"
    "A,phone,۱۴۰۵/۰۹/۰۹ ۱۰:۰۰\n"
    "B,phone,1405/09/09 10:00\n"
    "C,phone,۱۴۰۵/۹/۹ ۱۰:۰۰\n"
    "D,phone,1405.09.09 10:00\n"
    "E,phone,1405/13/09 10:00\n"  # there is no 13th month
)
HIJRI_CSV = "id,channel,created_at\nH,chat,1448/06/22 09:00\n"


@pytest.fixture(autouse=True)
def _calendar_restored():
    """Pages set the reading calendar of this thread; later tests start from Jalali."""
    token = local_calendar.set(JALALI)
    yield
    local_calendar.reset(token)


def url(name, org, job=None):
    return reverse(f"imports:{name}", args=[org.slug] + ([job.pk] if job is not None else []))


def upload(client, org, text):
    response = client.post(
        url("start", org),
        {"file": SimpleUploadedFile("calls.csv", text.encode()), "kind": "interactions"},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return ImportJob.objects.filter(organisation=org).latest("pk")


def map_and_start(client, org, job, *, action="import", **extra):
    columns = {"map_external_id": "id", "map_channel": "channel", "map_created_at": "created_at"}
    response = client.post(url("mapping", org, job), {**columns, "action": action, **extra})
    assert response.status_code == 302
    job.refresh_from_db()
    return job


def created(org, external_id):
    return Interaction.objects.get(organisation=org, external_id=external_id).created_at


def test_jalali_spellings_import_as_the_same_moment_and_a_bad_date_names_the_spellings(
    client_as, org
):
    client = client_as(Role.MANAGER)
    job = upload(client, org, JALALI_CSV)
    page = client.get(url("mapping", org, job)).content.decode()
    # An organisation that shows Gregorian or Jalali dates reads years before 1700 as Jalali.
    assert 'name="calendar" value="jalali" checked' in page
    assert 'name="calendar" value="hijri" >' in page
    job = map_and_start(client, org, job)
    assert job.mapping["_calendar"] == "jalali"

    assert import_job_task.call(job.pk) == {"rows": 5, "accepted": 4, "updated": 0, "rejected": 1}
    expected = dt.datetime(2026, 11, 30, 10, 0, tzinfo=TEHRAN)
    assert [created(org, key) for key in "ABCD"] == [expected] * 4
    assert expected.astimezone(dt.UTC) == dt.datetime(2026, 11, 30, 6, 30, tzinfo=dt.UTC)

    rejection = job.rejections.get()
    assert (rejection.row_number, rejection.column) == (5, "created_at")
    assert "1405/13/09 10:00" in rejection.reason
    # The accepted spellings, with an example in each calendar the file may use.
    assert "2026-11-23" in rejection.reason and "1405/09/02" in rejection.reason
    assert "Jalali (Solar Hijri)" in rejection.reason


def test_a_hijri_organisation_reads_hijri_by_default_and_the_mapping_can_say_jalali(client_as, org):
    org.calendar, org.timezone = "hijri", "Asia/Riyadh"
    org.save()
    client = client_as(Role.MANAGER)

    job = upload(client, org, HIJRI_CSV)
    assert (
        'name="calendar" value="hijri" checked'
        in client.get(url("mapping", org, job)).content.decode()
    )
    job = map_and_start(client, org, job)
    import_job_task.call(job.pk)
    assert created(org, "H") == dt.datetime(2026, 12, 2, 9, 0, tzinfo=RIYADH)

    job = upload(client, org, HIJRI_CSV)
    job = map_and_start(client, org, job, calendar="jalali")
    assert import_job_task.call(job.pk)["updated"] == 1
    assert created(org, "H") == dt.datetime(2069, 9, 12, 9, 0, tzinfo=RIYADH)


def test_a_jalali_organisation_can_import_a_hijri_file_and_the_dry_run_says_so(client_as, org):
    client = client_as(Role.MANAGER)
    job = map_and_start(
        client, org, upload(client, org, HIJRI_CSV), action="dry_run", calendar="hijri"
    )
    assert job.dry_run and job.mapping["_calendar"] == "hijri"
    assert import_job_task.call(job.pk)["accepted"] == 1
    page = client.get(url("job", org, job)).content.decode()
    assert "Dates with a year before 1700 are read in the Hijri (Umm al-Qura) calendar." in page
    assert not Interaction.objects.exists()

    # The import that follows the dry run reads the file the same way.
    client.post(url("for_real", org, job))
    real = ImportJob.objects.exclude(pk=job.pk).get(organisation=org)
    assert real.mapping["_calendar"] == "hijri"
    import_job_task.call(real.pk)
    assert created(org, "H") == dt.datetime(2026, 12, 2, 9, 0, tzinfo=TEHRAN)


def test_the_calendar_survives_a_retry(client_as, org):
    """A retried job reads its file in the calendar its mapping names, not the worker's."""
    client = client_as(Role.MANAGER)
    job = map_and_start(client, org, upload(client, org, HIJRI_CSV), calendar="hijri")
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.FAILED, error="worker lost")
    assert client.post(url("retry", org, job)).status_code == 302
    job.refresh_from_db()
    assert job.state == ImportJob.State.PENDING
    import_job_task.call(job.pk)
    assert created(org, "H") == dt.datetime(2026, 12, 2, 9, 0, tzinfo=TEHRAN)


@pytest.mark.parametrize(
    ("language", "calendar_label", "examples"),
    [
        ("de", "Jalali (persischer Sonnenkalender)", ("2026-11-23", "1405/09/02")),
        ("fa", "شمسی (هجری خورشیدی)", ("۲۰۲۶-۱۱-۲۳", "۱۴۰۵/۰۹/۰۲")),
    ],
)
def test_a_bad_date_is_explained_in_the_uploaders_language(
    client_as, org, language, calendar_label, examples
):
    """The worker runs in English; the rejection is written in the uploader's language, with
    the examples in their digits."""
    org.language = language
    org.save()
    client = client_as(Role.MANAGER)
    job = map_and_start(client, org, upload(client, org, JALALI_CSV))
    assert job.mapping["_language"] == language
    import_job_task.call(job.pk)
    reason = job.rejections.get().reason
    assert calendar_label in reason
    assert all(example in reason for example in examples)
    assert Interaction.objects.filter(organisation=org).count() == 4  # the good rows are kept


@pytest.fixture
def csv_file(tmp_path):
    def make(text: str):
        path = tmp_path / "in.csv"
        path.write_text(text, encoding="utf-8")
        return str(path)

    return make


def test_command_line_reads_in_the_calendar_asked_for(org, csv_file, capsys):
    argv = ["import", "interactions", csv_file(HIJRI_CSV), "--org", org.slug, "--json"]
    assert main([*argv, "--calendar", "hijri"]) == 0
    job = ImportJob.objects.get(pk=json.loads(capsys.readouterr().out)["job"])
    assert job.mapping["_calendar"] == "hijri"
    assert created(org, "H") == dt.datetime(2026, 12, 2, 9, 0, tzinfo=TEHRAN)

    assert main(argv) == 0  # without --calendar: the organisation's (Gregorian → Jalali)
    capsys.readouterr()
    assert created(org, "H") == dt.datetime(2069, 9, 12, 9, 0, tzinfo=TEHRAN)


def test_command_line_default_is_hijri_for_a_hijri_organisation(org, csv_file, capsys):
    org.calendar = "hijri"
    org.save()
    argv = ["import", "interactions", csv_file(HIJRI_CSV), "--org", org.slug, "--json"]
    assert main(argv) == 0
    assert created(org, "H") == dt.datetime(2026, 12, 2, 9, 0, tzinfo=TEHRAN)


def test_command_line_refuses_an_unknown_calendar(org, csv_file, capsys):
    argv = ["import", "interactions", csv_file(HIJRI_CSV), "--org", org.slug]
    assert main([*argv, "--calendar", "julian"]) == 2
    error = capsys.readouterr().err
    assert "“julian” is not a calendar --calendar knows: write jalali or hijri." in error
    assert not ImportJob.objects.exists()


def test_reviews_read_their_dates_in_the_calendar_asked_for(org, csv_file, capsys):
    path = csv_file("external_id,date,rating\nR-1,١٤٤٨/٦/٢٢,5\nR-2,2026.11.30,4\n")
    assert main(["import", "reviews", path, "--org", org.slug, "--calendar", "hijri"]) == 0
    # Arabic-Indic digits without leading zeros; a year from 1700 on stays Gregorian.
    assert {r.external_id: r.date for r in Review.objects.filter(organisation=org)} == {
        "R-1": dt.date(2026, 12, 2),
        "R-2": dt.date(2026, 11, 30),
    }
