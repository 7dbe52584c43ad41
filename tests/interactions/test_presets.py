"""The presets of other helpdesks' table exports: each imports the sample written from its
documents (/work/helpers/issue20/<source>.md, copied to samples/) and the figures match the
values worked out by hand there; the page, the command's help, the README and docs/import.md
offer every preset by name; an export of `goaldesk export interactions` re-imports unchanged."""

import datetime as dt
import statistics
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from goaldesk.accounts.models import Role
from goaldesk.cli import _MAPPING_HELP, main
from goaldesk.core.tabular import TableError, TableLayout, open_table, preview_table
from goaldesk.interactions.importing import (
    file_rows_sample,
    guess_file_date_order,
    import_run,
    job_dates_options,
    mapping_for_job,
)
from goaldesk.interactions.mapping import PRESETS, guess_mapping, load_preset
from goaldesk.interactions.models import ImportJob, Interaction
from goaldesk.interactions.value_mappings import organisation_value_map, value_mapping_set
from tests.factories import OrganisationFactory
from tests.metrics.test_interaction_search_export import _comparable, desk  # noqa: F401

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parent / "samples"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def utc_org(db):
    return OrganisationFactory(slug="utc-desk", timezone="UTC")


def import_file(org, path, preset, *, user_values=None, dry_run=False):
    """Import `path` with `preset` as the mapping step does: the date order guessed from the
    file's first rows when the preset states none; `user_values` ({field: {file value:
    canonical}}) are the values the user maps once for the organisation."""
    for field_name, chosen in (user_values or {}).items():
        for source, target in chosen.items():
            value_mapping_set(organisation=org, field=field_name, source=source, target=target)
    chosen_preset = load_preset(preset)
    headers = preview_table(path, count=1, layout=chosen_preset.layout).headers
    columns = guess_mapping(headers, chosen_preset)
    job = ImportJob.objects.create(
        organisation=org,
        original_name=path.name,
        mapping=mapping_for_job(
            columns,
            preset=chosen_preset,
            headers=headers,
            value_map=organisation_value_map(org),
        ),
        dry_run=dry_run,
    )
    if not chosen_preset.date_order:
        rows = file_rows_sample(path, layout=chosen_preset.layout)
        order = guess_file_date_order(rows, columns, kind=job.kind)
        job.mapping["_transforms"] = job_dates_options(job, date_order=order, date_format=None)
        job.save(update_fields=["mapping"])
    return import_run(job.pk, source=path)


def figures(org):
    """What the hand-worked figures of the research notes state, from the stored rows."""
    rows = list(Interaction.objects.filter(organisation=org).select_related("agent", "team"))
    first = [r.first_response_seconds for r in rows if r.first_response_seconds is not None]
    resolution = [r.resolution_seconds for r in rows if r.resolution_seconds is not None]
    return {
        "interactions": len(rows),
        "resolved": sum(r.status == "resolved" for r in rows),
        "median_first_response": statistics.median(first) if first else None,
        "median_resolution": statistics.median(resolution) if resolution else None,
        "channels": dict(Counter(r.channel for r in rows)),
        "statuses": dict(Counter(r.status for r in rows)),
    }


def by_id(org, external_id):
    return Interaction.objects.select_related("agent", "team").get(
        organisation=org, external_id=external_id
    )


# --- ServiceNow -------------------------------------------------------------------------------


def test_servicenow_event_log_one_interaction_per_incident_last_row_wins(utc_org):
    job = import_file(utc_org, SAMPLES / "servicenow.csv", "servicenow")
    assert (job.state, job.rejected) == (ImportJob.State.DONE, 0)
    # 13 rows of 4 incidents: each later row of an incident updates it.
    assert (job.accepted, job.updated) == (4, 9)
    assert figures(utc_org) == {
        "interactions": 4,
        "resolved": 3,
        "median_first_response": None,  # the incident table has no first-response time
        "median_resolution": 105_120.0,  # 29 h 12 min, INC0000047
        "channels": {"phone": 2, "web": 1, "email": 1},
        "statuses": {"resolved": 3, "open": 1},
    }
    inc47 = by_id(utc_org, "INC0000047")
    # Day first, no zero padding: 29/2/2016 04:40 → 1/3/2016 09:52 (2016 is a leap year).
    assert inc47.created_at == dt.datetime(2016, 2, 29, 4, 40, tzinfo=dt.UTC)
    assert inc47.resolved_at == dt.datetime(2016, 3, 1, 9, 52, tzinfo=dt.UTC)
    assert (inc47.agent.key, inc47.team.name, inc47.customer_id) == (
        "Resolver 31",
        "Group 24",  # the last row's group, not the first row's Group 70
        "Caller 2403",
    )
    inc60 = by_id(utc_org, "INC0000060")  # "?" is empty: no resolution, status open
    assert (inc60.status, inc60.resolved_at, inc60.channel) == ("open", None, "email")
    assert by_id(utc_org, "INC0000057").channel == "web"  # "Self service"


def test_servicenow_dates_with_dashes_and_zero_padding_read_the_same(utc_org, tmp_path):
    """The issue writes `29-02-2016 01:16`; the real log `29/2/2016 01:16`: both are read."""
    import re

    text = (SAMPLES / "servicenow.csv").read_text(encoding="utf-8")
    dashed = re.sub(
        r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b",
        lambda m: f"{int(m[1]):02d}-{int(m[2]):02d}-{m[3]}",
        text,
    )
    assert "29-02-2016 01:16" in dashed
    path = tmp_path / "servicenow-dashed.csv"
    path.write_text(dashed, encoding="utf-8")
    import_file(utc_org, path, "servicenow")
    result = figures(utc_org)
    assert (result["interactions"], result["resolved"], result["median_resolution"]) == (
        4,
        3,
        105_120.0,
    )


def test_servicenow_an_undocumented_value_names_itself_until_the_user_maps_it(utc_org, tmp_path):
    text = (SAMPLES / "servicenow.csv").read_text(encoding="utf-8")
    path = tmp_path / "direct.csv"
    path.write_text(text.replace(",Email,", ",Direct opening,"), encoding="utf-8")
    job = import_file(utc_org, path, "servicenow")
    assert job.rejected == 2  # both rows of INC0000060
    assert "Direct opening" in job.rejections.first().reason
    Interaction.objects.filter(organisation=utc_org).delete()
    job = import_file(
        utc_org, path, "servicenow", user_values={"channel": {"Direct opening": "phone"}}
    )
    assert job.rejected == 0
    assert by_id(utc_org, "INC0000060").channel == "phone"


# --- Freshdesk --------------------------------------------------------------------------------


def test_freshdesk_ticket_export(utc_org):
    path = SAMPLES / "freshdesk.csv"
    job = import_file(utc_org, path, "freshdesk")
    # The custom status "Waiting on Customer" is not guessed: its row names it.
    assert (job.accepted, job.rejected) == (5, 1)
    rejection = job.rejections.get()
    assert (rejection.row_number, rejection.column) == (5, "Status")
    assert "Waiting on Customer" in rejection.reason

    import_file(utc_org, path, "freshdesk", user_values={"status": {"Waiting on Customer": "open"}})
    assert figures(utc_org) == {
        "interactions": 6,
        "resolved": 3,
        # 150, 300, 2,700, 18,000, 86,400: from "Initial response time", not the
        # business-hours "First response time (in hrs)" (1006 says 08:00:00 there).
        "median_first_response": 2_700.0,
        "median_resolution": 90_000.0,  # 23,400, 90,000, 90,000
        "channels": {"email": 2, "phone": 1, "web": 2, "chat": 1},
        "statuses": {"resolved": 3, "open": 3},
    }
    t1005 = by_id(utc_org, "1005")
    assert (t1005.agent, t1005.team.name, t1005.customer_id) == (
        None,
        "Returns",
        "tom.berg@example.com",
    )
    assert by_id(utc_org, "1006").first_response_seconds == 86_400.0


# --- Zammad -----------------------------------------------------------------------------------


def zammad_workbook(path):
    """The sheet Zammad's Reporting writes (lib/excel_sheet.rb): the title on row 1, the header
    on row 3, a row per ticket, a blank row and the footer "Timezone: …". Dates are text
    "2024-05-06 08:12:00": write_xlsx's write_date_time refuses a date with a space and writes
    the string."""
    lines = (SAMPLES / "zammad_sheet_layout.csv").read_text(encoding="utf-8").splitlines()
    import csv

    rows = list(csv.reader(lines))
    assert rows[0] == ["Tickets (Created)"] and rows[2][0] == "#"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            if value == "":
                continue
            if number > 3 and value.isdigit():
                value = int(value)  # write_number: the ticket number, the article count
            sheet.cell(row=number, column=column, value=value)
    workbook.save(path)
    return path


ZAMMAD_FIGURES = {
    "interactions": 6,
    "resolved": 3,
    "median_first_response": 1_800.0,  # 900, 1,200, 1,800, 3,000, 7,200
    "median_resolution": 32_400.0,  # 18,000, 32,400, 86,400
    "channels": {"email": 3, "phone": 1, "web": 1, "chat": 1},
    "statuses": {"resolved": 3, "open": 3},
}


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_zammad_report_sheet_with_title_and_footer(other_org, tmp_path, kind):
    path = (
        zammad_workbook(tmp_path / "tickets-Created-created.xlsx")
        if kind == "xlsx"
        else SAMPLES / "zammad_sheet_layout.csv"
    )
    job = import_file(other_org, path, "zammad")  # Europe/Berlin, as the footer says
    # Neither the title nor the footer "Timezone: Europe/Berlin" is a ticket.
    assert (job.accepted, job.rejected, job.rows_done) == (6, 0, 6)
    assert figures(other_org) == ZAMMAD_FIGURES
    agents = Counter(
        r.agent.key if r.agent else None for r in Interaction.objects.filter(organisation=other_org)
    )
    assert agents == {"Anna Schmidt": 3, "Jonas Weber": 2, None: 1}  # "-" is no owner
    teams = Counter(r.team.name for r in Interaction.objects.filter(organisation=other_org))
    assert teams == {"Users": 4, "Hardware": 1, "Returns": 1}
    t31001 = by_id(other_org, "31001")
    assert t31001.created_at == dt.datetime(2024, 5, 6, 6, 12, tzinfo=dt.UTC)  # 08:12 Berlin


def test_zammad_sheet_preview_starts_at_its_header(tmp_path):
    path = zammad_workbook(tmp_path / "z.xlsx")
    layout = PRESETS["zammad"].layout
    preview = preview_table(path, count=10, layout=layout)
    assert preview.headers[:3] == ["#", "Title", "State"]
    assert preview.headers[13] == "Tags (2)"  # Zammad's second "Tags" column
    assert [row["#"] for row in preview.rows] == [31001, 31002, 31003, 31004, 31005, 31006]


# --- osTicket ---------------------------------------------------------------------------------


def test_osticket_export_in_british_english(utc_org):
    path = SAMPLES / "osticket.csv"
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # osTicket writes a byte-order mark
    job = import_file(utc_org, path, "osticket")
    # "API" and "Other" sources are the user's to map; day first is guessed (13/10/2023).
    assert (job.accepted, job.rejected) == (4, 2)
    assert {r.raw["Source"] for r in job.rejections.all()} == {"API", "Other"}

    import_file(
        utc_org, path, "osticket", user_values={"channel": {"API": "web", "Other": "walk_in"}}
    )
    result = figures(utc_org)
    assert result == {
        "interactions": 6,
        "resolved": 3,
        "median_first_response": None,  # no first-response column
        "median_resolution": 82_800.0,  # 27,000, 82,800, 153,000
        "channels": {"email": 2, "phone": 1, "web": 2, "walk_in": 1},
        "statuses": {"resolved": 3, "open": 3},
    }
    t = by_id(utc_org, "118406")
    assert t.created_at == dt.datetime(2023, 10, 16, 14, 45, tzinfo=dt.UTC)
    assert (t.team.name, t.category, t.customer_id) == (
        "Returns",
        "Returns",
        "tom.berg@example.com",
    )


def test_osticket_export_in_american_english_month_first_two_digit_years(utc_org, tmp_path):
    """en_US writes ICU's short format: `10/16/23 2:45 PM` (month first, two-digit year)."""
    import re

    def american(match):
        moment = dt.datetime.strptime(match[0], "%d/%m/%Y %H:%M").replace(tzinfo=dt.UTC)
        hour = moment.hour % 12 or 12
        return f"{moment.month}/{moment.day}/{moment:%y} {hour}:{moment:%M %p}"

    text = (SAMPLES / "osticket.csv").read_text(encoding="utf-8-sig")
    us = re.sub(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", american, text)
    assert "10/16/23 2:45 PM" in us
    path = tmp_path / "osticket-en_US.csv"
    path.write_text(us, encoding="utf-8-sig")
    import_file(
        utc_org, path, "osticket", user_values={"channel": {"API": "web", "Other": "walk_in"}}
    )
    result = figures(utc_org)
    assert (result["interactions"], result["resolved"], result["median_resolution"]) == (
        6,
        3,
        82_800.0,
    )
    t = by_id(utc_org, "118406")
    assert t.created_at == dt.datetime(2023, 10, 16, 14, 45, tzinfo=dt.UTC)
    assert t.resolved_at == dt.datetime(2023, 10, 18, 9, 15, tzinfo=dt.UTC)


# --- Odoo -------------------------------------------------------------------------------------


def test_odoo_helpdesk_label_export(utc_org):
    path = SAMPLES / "odoo.csv"
    job = import_file(utc_org, path, "odoo")
    assert (job.accepted, job.rejected) == (4, 2)  # "Cancelled" stage, "Other" channel
    import_file(
        utc_org,
        path,
        "odoo",
        user_values={"status": {"Cancelled": "unresolved"}, "channel": {"Other": "web"}},
    )
    assert figures(utc_org) == {
        "interactions": 6,
        "resolved": 2,
        "median_first_response": None,
        "median_resolution": 49_500.0,  # (12,600 + 86,400) / 2; Cancelled is not resolved
        "channels": {"email": 2, "phone": 1, "web": 3},
        "statuses": {"resolved": 2, "open": 3, "unresolved": 1},
    }


def test_odoo_import_compatible_export_uses_technical_names(utc_org, tmp_path):
    technical = {
        "Ticket number": "number",
        "Created on": "create_date",
        "Closed Date": "closed_date",
        "Stage": "stage_id",
        "Team": "team_id",
        "Assigned user": "user_id",
        "Contact": "partner_id",
        "Email": "partner_email",
        "Category": "category_id",
        "Channel": "channel_id",
    }
    text = (SAMPLES / "odoo.csv").read_text(encoding="utf-8")
    header, rest = text.split("\n", 1)
    for label, name in technical.items():
        header = header.replace(f'"{label}"', f'"{name}"')
    path = tmp_path / "odoo-technical.csv"
    path.write_text(header + "\n" + rest, encoding="utf-8")
    import_file(
        utc_org,
        path,
        "odoo",
        user_values={"status": {"Cancelled": "unresolved"}, "channel": {"Other": "web"}},
    )
    result = figures(utc_org)
    assert (result["interactions"], result["resolved"], result["median_resolution"]) == (
        6,
        2,
        49_500.0,
    )
    assert by_id(utc_org, "HT00001").agent.key == "Sara Ahmed"


# --- the table layout (core/tabular.py) ------------------------------------------------------


def test_a_csv_header_below_a_title_and_a_footer_after_a_blank_row(tmp_path):
    path = tmp_path / "report.csv"
    path.write_text("Weekly report\n\nid,channel\nA,phone\nB,chat\n\nTotal: 2\n", encoding="utf-8")
    layout = TableLayout(header_row=3, end_at_blank_row=True)
    with open_table(path, layout=layout) as table:
        assert table.headers == ["id", "channel"]
        assert list(table.rows()) == [(1, ["A", "phone"]), (2, ["B", "chat"])]
    with open_table(path, layout=TableLayout(header_row=3)) as table:
        # Without end_at_blank_row a blank row is skipped and the footer is a row.
        assert [values[0] for _n, values in table.rows()] == ["A", "B", "Total: 2"]


def test_a_blank_header_row_names_the_row(tmp_path):
    path = tmp_path / "report.csv"
    path.write_text("Weekly report\n\n\nid\n", encoding="utf-8")
    with pytest.raises(TableError, match="row 3"):
        open_table(path, layout=TableLayout(header_row=3))


# --- offered by name ------------------------------------------------------------------------


def test_the_import_page_offers_every_source_with_its_header(client_as, org):
    page = client_as(Role.MANAGER).get(f"/o/{org.slug}/import/").content.decode()
    for name, preset in PRESETS.items():
        assert f'id="source-{name}"' in page
        assert f'<option value="{name}"' in page
        header = ",".join(preset.sample_header)
        assert header.replace("&", "&amp;").replace("'", "&#x27;").replace('"', "&quot;") in page
    assert "29/2/2016 01:16" in page  # ServiceNow's dates are day first
    assert "The header is on row 3" in page  # Zammad's sheet


def test_the_command_help_lists_every_preset():
    for name in PRESETS:
        assert f" {name}" in _MAPPING_HELP


def test_readme_and_docs_describe_every_preset():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    docs = (ROOT / "docs" / "import.md").read_text(encoding="utf-8")
    for name, preset in PRESETS.items():
        assert f"| `{name}` |" in readme
        assert f"### `{name}`" in docs
        if name not in ("canonical", "zendesk"):
            assert preset.source_document and preset.sample_header


# --- the canonical export re-imports unchanged ------------------------------------------------


def test_an_export_of_the_command_reimports_into_its_organisation_unchanged(desk, tmp_path):  # noqa: F811
    before = _comparable(desk)
    path = tmp_path / "export.csv"
    assert main(["export", "interactions", "--org", "tehran", "--from", "2026-03-01",
                 "--to", "2026-03-31", "--out", str(path)]) == 0  # fmt: skip
    assert main(["import", "interactions", str(path), "--org", "tehran",
                 "--mapping", "canonical"]) == 0  # fmt: skip
    job = ImportJob.objects.latest("pk")
    assert (job.accepted, job.updated, job.rejected) == (0, 4, 0)
    assert job.organisation == desk
    assert _comparable(desk) == before
