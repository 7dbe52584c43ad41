"""Dates and values on the mapping step, the dry run, the value-mappings page and the command
line: the order guessed or asked for, unknown values listed, mapped once per organisation and
applied to the next import of another file. Counts worked out by hand from the files below."""

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from goaldesk.accounts.models import Role
from goaldesk.cli import main
from goaldesk.interactions.importing import job_unknown_values
from goaldesk.interactions.models import ImportJob, Interaction, ValueMapping
from goaldesk.interactions.tasks import import_job_task
from goaldesk.interactions.value_mappings import (
    ValueMappingError,
    organisation_value_map,
    value_mapping_set,
)

TEHRAN = dt.timezone(dt.timedelta(hours=3, minutes=30))

# 5 rows: channel "Self service" twice, "Walk In" (canonical walk_in); status "Awaiting User
# Info" once, "Cancelled" once; day-first dates (29/02 tells).
DAY_FIRST = (
    "Ticket,Kanal,Created,State\n"
    "S-1,Self service,29/02/2016 09:00,resolved\n"
    "S-2,Self service,01/03/2016 10:00,Awaiting User Info\n"
    "S-3,Walk In,02/03/2016 11:00,open\n"
    "S-4,phone,03/03/2016 12:00,Cancelled\n"
    "S-5,Fax,04/03/2016 13:00,open\n"
)
MAPPING = {"map_external_id": "Ticket", "map_channel": "Kanal", "map_created_at": "Created",
           "map_status": "State"}  # fmt: skip
AMBIGUOUS = "Ticket,Kanal,Created\nA-1,phone,01/02/2016 09:00\nA-2,chat,03/04/2016 10:00\n"


def url(name, org, job=None):
    return reverse(f"imports:{name}", args=[org.slug] + ([job.pk] if job is not None else []))


def upload(client, org, text, name="tickets.csv"):
    response = client.post(
        url("start", org),
        {"file": SimpleUploadedFile(name, text.encode()), "kind": "interactions", "preset": ""},
    )
    assert response.status_code == 302, response.content.decode()[:400]
    return ImportJob.objects.filter(organisation=org).latest("pk")


def enumerate_hidden(page_text, kind):
    """{n: value} of the page's hidden value_<kind>_<n> inputs."""
    import re

    pattern = rf'name="value_{kind}_(\d+)" value="([^"]*)"'
    return dict(re.findall(pattern, page_text))


def value_index(page_text, value):
    """The form index of a listed unknown value (value_<n>), from the page."""
    before = page_text.index(
        'name="value_source_',
        page_text.index('id="values"')
        if 'id="values"' in page_text
        else page_text.index('id="unknown-values"'),
    )
    before = page_text.index(f'value="{value}"', before)
    start = page_text.index('name="value_', before) + len('name="value_')
    return page_text[start : page_text.index('"', start)]


def test_mapping_page_guesses_day_first_lists_unknown_values_and_imports_with_them(client_as, org):
    client = client_as(Role.MANAGER)
    job = upload(client, org, DAY_FIRST)
    page = client.get(url("mapping", org, job)).content.decode()
    assert "Kanal" in page  # the header "Kanal" is not guessed as the channel: chosen below
    # Choosing the columns lists the values they write that GoalDesk does not know; nothing
    # starts until the manager has seen them.
    response = client.post(url("mapping", org, job), {**MAPPING, "action": "import"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "write values GoalDesk does not know" in page
    assert '<option value="dmy" selected>' in page  # 29/02 can only be day-first
    listed = page[page.index('id="values"') : page.index("</fieldset>", page.index('id="values"'))]
    for value in ("Self service", "Awaiting User Info", "Cancelled", "Fax"):
        assert f"<bdi>{value}</bdi>" in listed
    assert "<bdi>Walk In</bdi>" not in listed  # walk_in: GoalDesk's own value
    assert ImportJob.objects.get(pk=job.pk).state == ImportJob.State.PENDING
    choices = {
        f"value_{value_index(page, 'Self service')}": "web",
        f"value_{value_index(page, 'Awaiting User Info')}": "open",
        f"value_{value_index(page, 'Cancelled')}": "!reject",
        # "Fax" left unmapped: its row is rejected as before
    }
    hidden = {
        f"value_{kind}_{n}": v
        for kind in ("field", "source")
        for n, v in enumerate_hidden(page, kind).items()
    }
    response = client.post(
        url("mapping", org, job),
        {**MAPPING, **hidden, **choices, "date_order": "dmy", "action": "import"},
    )
    assert response.status_code == 302
    assert import_job_task.call(job.pk) == {"rows": 5, "accepted": 3, "updated": 0, "rejected": 2}
    s1 = Interaction.objects.get(organisation=org, external_id="S-1")
    assert (s1.channel, s1.created_at) == ("web", dt.datetime(2016, 2, 29, 9, 0, tzinfo=TEHRAN))
    assert Interaction.objects.get(organisation=org, external_id="S-2").status == "open"
    assert Interaction.objects.get(organisation=org, external_id="S-3").channel == "walk_in"
    job.refresh_from_db()
    reasons = {r.row_number: (r.column, r.reason) for r in job.rejections.all()}
    assert reasons[4][0] == "State" and "reject the row" in reasons[4][1]
    assert reasons[5][0] == "Kanal" and "Fax" in reasons[5][1]
    assert organisation_value_map(org)["channel"] == {"self service": "web"}
    assert ValueMapping.objects.filter(organisation=org).count() == 3
    page = client.get(url("job", org, job)).content.decode()
    assert "Saved value mappings this import applies" in page
    assert "day/month/year" in page


def test_a_saved_mapping_applies_to_the_next_file_from_another_preset(client_as, org):
    value_mapping_set(organisation=org, field="channel", source="Self Service", target="web")
    value_mapping_set(organisation=org, field="sentiment", source="Angry", target="negative")
    client = client_as(Role.MANAGER)
    text = (
        "Id,Via,Created at,Status,Mood\n"
        "Z-1,SELF SERVICE ,2026-03-02 09:00,solved,angry\n"
        "Z-2,Mail,2026-03-02 10:00,open,\n"
    )
    response = client.post(
        url("start", org),
        {"file": SimpleUploadedFile("z.csv", text.encode()), "kind": "interactions",
         "preset": "zendesk"},
    )  # fmt: skip
    assert response.status_code == 302
    job = ImportJob.objects.filter(organisation=org).latest("pk")
    page = client.get(url("mapping", org, job)).content.decode()
    assert "Values GoalDesk does not know" not in page  # all understood now
    client.post(
        url("mapping", org, job),
        {"map_external_id": "Id", "map_channel": "Via", "map_created_at": "Created at",
         "map_status": "Status", "map_sentiment_start": "Mood", "action": "import"},
    )  # fmt: skip
    assert import_job_task.call(job.pk)["accepted"] == 2
    z1 = Interaction.objects.get(organisation=org, external_id="Z-1")
    assert (z1.channel, z1.status, z1.sentiment_start) == ("web", "resolved", "negative")


def test_the_dry_run_counts_unknown_values_and_maps_them_before_importing(client_as, org):
    client = client_as(Role.MANAGER)
    job = upload(client, org, DAY_FIRST)
    client.post(url("mapping", org, job), {**MAPPING, "date_order": "dmy", "action": "dry_run"})
    job = ImportJob.objects.get(pk=job.pk)
    import_job_task.call(job.pk)
    job.refresh_from_db()
    # only S-3 (Walk In, open) is understood; S-1, S-2 (Self service), S-4 (Cancelled), S-5 (Fax) not
    assert (job.accepted, job.rejected) == (1, 4)
    assert job_unknown_values(job) == {
        "channel": {"Self service": 2, "Fax": 1},
        "status": {"Awaiting User Info": 1, "Cancelled": 1},
    }
    page = client.get(url("job", org, job)).content.decode()
    assert "Values GoalDesk does not know" in page
    choices = {
        f"value_{value_index(page, 'Self service')}": "web",
        f"value_{value_index(page, 'Fax')}": "email",
        f"value_{value_index(page, 'Awaiting User Info')}": "!empty",
        f"value_{value_index(page, 'Cancelled')}": "abandoned",
    }
    hidden = {
        f"value_{kind}_{n}": v
        for kind in ("field", "source")
        for n, v in enumerate_hidden(page, kind).items()
    }
    response = client.post(url("for_real", org, job), {**hidden, **choices})
    assert response.status_code == 302
    real = ImportJob.objects.filter(organisation=org).latest("pk")
    assert real.pk != job.pk and not real.dry_run
    assert import_job_task.call(real.pk) == {"rows": 5, "accepted": 5, "updated": 0, "rejected": 0}
    # "Awaiting User Info" left empty: status then defaults to open (no resolved_at)
    assert Interaction.objects.get(organisation=org, external_id="S-2").status == "open"
    assert Interaction.objects.get(organisation=org, external_id="S-4").status == "abandoned"
    assert Interaction.objects.get(organisation=org, external_id="S-5").channel == "email"


def test_an_ambiguous_file_asks_for_the_order_and_conflicting_rows_are_refused(client_as, org):
    client = client_as(Role.MANAGER)
    job = upload(client, org, AMBIGUOUS)
    page = client.get(url("mapping", org, job)).content.decode()
    assert "could be day/month/year or month/day/year" in page
    columns = {"map_external_id": "Ticket", "map_channel": "Kanal", "map_created_at": "Created"}
    response = client.post(url("mapping", org, job), {**columns, "action": "import"})
    assert response.status_code == 200  # nothing started
    assert "Choose the order" in response.content.decode()
    assert ImportJob.objects.get(pk=job.pk).state == ImportJob.State.PENDING
    assert not ImportJob.objects.get(pk=job.pk).mapping.get("channel")  # not saved
    response = client.post(
        url("mapping", org, job), {**columns, "date_order": "mdy", "action": "import"}
    )
    assert response.status_code == 302
    import_job_task.call(job.pk)
    a1 = Interaction.objects.get(organisation=org, external_id="A-1")
    assert a1.created_at == dt.datetime(2016, 1, 2, 9, 0, tzinfo=TEHRAN)

    conflict = upload(
        client, org, "Ticket,Kanal,Created\nB-1,phone,13/02/2016 09:00\nB-2,chat,02/13/2016 10:00\n"
    )
    response = client.post(url("mapping", org, conflict), {**columns, "action": "import"})
    assert response.status_code == 200
    assert "written in two orders" in response.content.decode()


def test_a_bad_date_format_is_refused_on_the_page(client_as, org):
    client = client_as(Role.MANAGER)
    job = upload(client, org, AMBIGUOUS)
    columns = {"map_external_id": "Ticket", "map_channel": "Kanal", "map_created_at": "Created"}
    response = client.post(
        url("mapping", org, job), {**columns, "date_format": "dd/mm/yyyy", "action": "import"}
    )
    assert response.status_code == 200 and "is not a date format" in response.content.decode()


def test_value_mappings_page_edits_forgets_and_adds(client_as, org, other_org):
    kept = value_mapping_set(organisation=org, field="channel", source="Self service", target="web")
    gone = value_mapping_set(organisation=org, field="status", source="Parked", target="open")
    theirs = value_mapping_set(
        organisation=other_org, field="channel", source="Kiosk", target="web"
    )
    client = client_as(Role.MANAGER)
    page = client.get(url("values", org)).content.decode()
    assert "self service" in page and "parked" in page and "kiosk" not in page
    response = client.post(
        url("values", org),
        {f"target_{kept.pk}": "chat", f"delete_{gone.pk}": "1", f"target_{gone.pk}": "open",
         f"target_{theirs.pk}": "phone",  # another organisation's: ignored
         "new_field": "outcome", "new_source": "Won", "new_target": "success"},
    )  # fmt: skip
    assert response.status_code == 302
    assert organisation_value_map(org) == {
        "channel": {"self service": "chat"},
        "outcome": {"won": "success"},
    }
    theirs.refresh_from_db()
    assert theirs.target == "web"
    response = client.post(
        url("values", org), {"new_field": "status", "new_source": "X", "new_target": "phone"}
    )
    assert response.status_code == 200 and "is not a value of status" in response.content.decode()


@pytest.mark.django_db
def test_value_mapping_refuses_canonical_and_empty_values(org):
    with pytest.raises(ValueMappingError):
        value_mapping_set(organisation=org, field="channel", source="Walk-In", target="web")
    with pytest.raises(ValueMappingError):
        value_mapping_set(organisation=org, field="channel", source="  ", target="web")
    with pytest.raises(ValueMappingError):
        value_mapping_set(organisation=org, field="team", source="A", target="web")


def test_agents_cannot_see_or_change_value_mappings(client_as, org):
    client = client_as(Role.AGENT)
    assert client.get(url("values", org)).status_code in (302, 403, 404)
    client.post(
        url("values", org), {"new_field": "channel", "new_source": "A", "new_target": "web"}
    )
    assert not ValueMapping.objects.exists()


# --- command line ---------------------------------------------------------------------------


@pytest.fixture
def csv_file(tmp_path):
    def make(text, name="in.csv"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return str(path)

    return make


CLI_AMBIGUOUS = (
    "external_id,channel,created_at\nA,phone,01/02/2016 09:00\nB,chat,03/04/2016 10:00\n"
)


def test_cli_refuses_an_ambiguous_file_and_reads_it_with_date_order(org, csv_file, capsys):
    path = csv_file(CLI_AMBIGUOUS)
    assert main(["import", "interactions", path, "--org", org.slug]) == 2
    err = capsys.readouterr().err
    assert "could be day/month/year or month/day/year" in err and "--date-order" in err
    assert not Interaction.objects.exists()
    assert main(["import", "interactions", path, "--org", org.slug, "--date-order", "dmy"]) == 0
    a = Interaction.objects.get(organisation=org, external_id="A")
    assert a.created_at == dt.datetime(2016, 2, 1, 9, 0, tzinfo=TEHRAN)


def test_cli_guesses_month_first_and_reads_a_format(org, csv_file, capsys):
    text = "external_id,channel,created_at\nA,phone,10/25/23 3:45 PM\n"
    assert main(["import", "interactions", csv_file(text), "--org", org.slug]) == 0
    a = Interaction.objects.get(organisation=org, external_id="A")
    assert a.created_at == dt.datetime(2023, 10, 25, 15, 45, tzinfo=TEHRAN)
    text = "external_id,channel,created_at\nT,social,Tue Oct 31 22:10:47 +0000 2017\n"
    fmt = "%a %b %d %H:%M:%S %z %Y"
    code = main(["import", "interactions", csv_file(text, "t.csv"), "--org", org.slug,
                 "--date-format", fmt])  # fmt: skip
    assert code == 0
    t = Interaction.objects.get(organisation=org, external_id="T")
    assert t.created_at == dt.datetime(2017, 10, 31, 22, 10, 47, tzinfo=dt.UTC)
    assert main(["import", "interactions", csv_file(text, "t.csv"), "--org", org.slug,
                 "--date-format", "%H:%M"]) == 2  # fmt: skip


def test_cli_conflicting_dates_exit_2(org, csv_file, capsys):
    text = "external_id,channel,created_at\nA,phone,13/02/2016 09:00\nB,chat,02/13/2016 10:00\n"
    assert main(["import", "interactions", csv_file(text), "--org", org.slug]) == 2
    assert "written in two orders" in capsys.readouterr().err


def test_cli_applies_saved_mappings_and_a_values_file(org, csv_file, tmp_path, capsys):
    value_mapping_set(organisation=org, field="channel", source="Self service", target="web")
    values = tmp_path / "values.json"
    values.write_text(json.dumps({"status": {"Awaiting User Info": "open"}}), encoding="utf-8")
    text = (
        "external_id,channel,created_at,status\n"
        "A,Self service,2026-03-02 09:00,Awaiting User Info\n"
    )
    code = main(["import", "interactions", csv_file(text), "--org", org.slug, "--values",
                 str(values), "--json"])  # fmt: skip
    assert code == 0, capsys.readouterr()
    a = Interaction.objects.get(organisation=org, external_id="A")
    assert (a.channel, a.status) == ("web", "open")
    assert not ValueMapping.objects.filter(field="status").exists()  # for this run only
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"team": {"A": "B"}}), encoding="utf-8")
    assert main(["import", "interactions", csv_file(text), "--org", org.slug,
                 "--values", str(bad)]) == 2  # fmt: skip
