"""A preset's way of reading a file: date order or format, texts meaning empty and fixed values,
kept in the job's mapping so the job reads them wherever it runs."""

import datetime as dt
import json

from goaldesk.core.tabular import sample_rows
from goaldesk.interactions.importing import import_run, mapping_for_job
from goaldesk.interactions.mapping import Preset, guess_mapping, load_preset
from goaldesk.interactions.models import ImportJob, Interaction

TEHRAN = dt.timezone(dt.timedelta(hours=3, minutes=30))  # the org fixture's zone (no DST)


def job_for(org, path, preset, *, dry_run=False):
    headers, _ = sample_rows(path, count=1)
    return ImportJob.objects.create(
        organisation=org,
        kind="interactions",
        original_name=path.name,
        mapping=mapping_for_job(guess_mapping(headers, preset), preset=preset, headers=headers),
        dry_run=dry_run,
    )


SERVICENOW_LIKE = (
    "number,contact_type,opened_at,resolved_at,caller_id,category\n"
    "INC1,Phone,29/2/2016 01:16,01/03/2016 09:30,Caller 1,?\n"
    "INC2,Phone,29.02.2016 1:16,?,?,Network\n"
    "INC3,Phone,31/02/2016 10:00,,Caller 3,Network\n"
)


def test_a_day_first_preset_with_empty_values_imports_and_rejects_a_bad_date(tmp_path, org):
    path = tmp_path / "incidents.csv"
    path.write_text(SERVICENOW_LIKE, encoding="utf-8")
    preset = Preset(
        name="sn",
        label="sn",
        columns={"external_id": ("number",), "channel": ("contact_type",)},
        values={"channel": {"phone": "phone"}},
        date_order="dmy",
        empty_values=frozenset({"?"}),
    )
    job = import_run(job_for(org, path, preset).pk, source=path)
    assert (job.accepted, job.rejected) == (2, 1)
    one = Interaction.objects.get(organisation=org, external_id="INC1")
    assert one.created_at == dt.datetime(2016, 2, 29, 1, 16, tzinfo=TEHRAN)
    assert one.resolved_at == dt.datetime(2016, 3, 1, 9, 30, tzinfo=TEHRAN)
    assert one.category == ""  # "?" is empty
    two = Interaction.objects.get(organisation=org, external_id="INC2")
    assert (two.resolved_at, two.status, two.customer_id) == (None, "open", "")
    rejection = job.rejections.get()
    assert rejection.row_number == 3
    assert rejection.column == "opened_at"  # the file's header, not the field's name
    assert "day/month/year" in rejection.reason


def test_fixed_value_fills_a_column_the_file_lacks(tmp_path, org):
    path = tmp_path / "log.csv"
    path.write_text("case,stamp\nC1,1509487847\nC2,1509487900\n", encoding="utf-8")
    preset = Preset(
        name="log",
        label="log",
        columns={"external_id": ("case",), "created_at": ("stamp",)},
        date_format="epoch",
        fixed={"channel": "social"},
    )
    job = import_run(job_for(org, path, preset).pk, source=path)
    assert (job.accepted, job.rejected) == (2, 0)
    c1 = Interaction.objects.get(organisation=org, external_id="C1")
    assert c1.channel == "social"
    assert c1.created_at == dt.datetime(2017, 10, 31, 22, 10, 47, tzinfo=dt.UTC)


def test_a_json_mapping_file_states_dates_empty_and_fixed_values(tmp_path, org):
    spec = {
        "columns": {"external_id": "Ticket", "created_at": "Opened"},
        "date_order": "mdy",
        "empty_values": ["n/a"],
        "fixed": {"channel": "email"},
    }
    mapping_file = tmp_path / "mine.json"
    mapping_file.write_text(json.dumps(spec), encoding="utf-8")
    path = tmp_path / "tickets.csv"
    path.write_text("Ticket,Opened,outcome\nT1,10/25/23 3:45 PM,N/A\n", encoding="utf-8")
    preset = load_preset(str(mapping_file))
    job = job_for(org, path, preset)
    assert job.mapping["_transforms"]["date_order"] == "mdy"
    job = import_run(job.pk, source=path)
    assert (job.accepted, job.rejected) == (1, 0)
    t1 = Interaction.objects.get(organisation=org, external_id="T1")
    assert (t1.channel, t1.outcome) == ("email", "")
    assert t1.created_at == dt.datetime(2023, 10, 25, 15, 45, tzinfo=TEHRAN)
