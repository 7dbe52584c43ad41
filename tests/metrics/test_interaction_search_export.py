"""The interactions list: search, and its downloads (CSV, XLSX, `goaldesk export interactions`)
that re-import unchanged."""

import csv
import datetime as dt
import io
import zoneinfo

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from goaldesk.accounts.models import Role
from goaldesk.cli import main
from goaldesk.engine.canonical import CANONICAL_FIELDS
from goaldesk.interactions.models import Category, Interaction, InteractionNote
from goaldesk.interactions.records import InteractionData
from goaldesk.interactions.services import interactions_upsert
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")


def _at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=TEHRAN)


@pytest.fixture
def desk(org):
    """Four interactions of 2 and 3 March 2026 (Tehran), written as an import writes them."""
    records = [
        InteractionData(
            external_id="A-1",
            channel="phone",
            created_at=_at("2026-03-02T09:00:00"),
            customer_id="Nasrin.K",
            agent="sara@example.com",
            team="Front desk",
            category="billing",
            wait_seconds=12.5,
            handle_seconds=300,
            status="resolved",
            resolved_at=_at("2026-03-02T09:05:30"),
            csat=5,
            nps=9,
            sentiment_start="negative",
            sentiment_end="positive",
        ),
        InteractionData(
            external_id="A-2",
            channel="email",
            created_at=_at("2026-03-02T10:00:00"),
            customer_id='=HYPERLINK("x")',  # a spreadsheet would run it
            agent="reza@example.com",
            category="returns",
            first_response_at=_at("2026-03-02T12:00:00"),
            outcome="failure",
        ),
        InteractionData(
            external_id="B-7",
            channel="email",
            created_at=_at("2026-03-03T08:15:07"),
            customer_id="-omid",
            category="billing",
            status="unresolved",
            ces=2,
        ),
        InteractionData(
            external_id="C-9",
            channel="field",
            created_at=_at("2026-03-03T14:00:00"),
            customer_id="Nasrin.K",
            arrived_at=_at("2026-03-03T16:00:00"),
            fixed_at=_at("2026-03-03T17:00:00"),
        ),
    ]
    interactions_upsert(organisation=org, records=records)
    Category.objects.filter(organisation=org, key="returns").update(names={"en": "Refund or swap"})
    InteractionNote.objects.create(
        interaction=Interaction.objects.get(organisation=org, external_id="B-7"),
        text="Customer asked for a CALLBACK tomorrow",
    )
    return org


def _list(client, org, **query):
    query = {"from": "2026-03-01", "to": "2026-03-31", **query}
    return client.get(reverse("metrics:interactions", args=[org.slug]), query)


def _ids(response):
    return sorted(i.external_id for i in response.context["page"].object_list)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("nasrin.k", ["A-1", "C-9"]),  # a customer, any case
        ("b-7", ["B-7"]),  # an external id
        ("a-", ["A-1", "A-2"]),  # part of one
        ("callback", ["B-7"]),  # the text of a note
        ("refund", ["A-2"]),  # a category's name
        ("billing", ["A-1", "B-7"]),  # a category's key
        ("  ", ["A-1", "A-2", "B-7", "C-9"]),  # blank: everything
        ("nobody", []),
    ],
)
def test_search_finds_a_customer_an_id_a_category_or_a_note(desk, client_as, text, expected):
    assert _ids(_list(client_as(Role.VIEWER), desk, q=text)) == expected


def test_search_is_combined_with_the_filters(desk, client_as):
    client = client_as(Role.VIEWER)
    assert _ids(_list(client, desk, q="nasrin", channel="field")) == ["C-9"]
    assert _ids(_list(client, desk, q="nasrin", to="2026-03-02")) == ["A-1"]
    page = _list(client, desk, q="nasrin").content.decode()
    assert 'value="nasrin"' in page  # the box keeps what was typed


def _download(client, name, org, **query):
    query = {"from": "2026-03-01", "to": "2026-03-31", **query}
    return client.get(reverse(f"metrics:{name}", args=[org.slug]), query)


def _csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(text)))


def test_the_list_links_to_its_downloads_with_its_filters_and_search(desk, client_as):
    page = _list(client_as(Role.VIEWER), desk, q="nasrin", channel="phone").content.decode()
    csv_url = reverse("metrics:interactions_csv", args=[desk.slug])
    assert (
        f'href="{csv_url}?from=2026-03-01&amp;to=2026-03-31&amp;channel=phone&amp;q=nasrin"' in page
    )


def test_the_csv_has_the_canonical_columns_and_the_rows_of_the_filters_and_search(desk, client_as):
    client = client_as(Role.VIEWER)
    response = _download(client, "interactions_csv", desk, channel="email")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "tehran-interactions-2026-03-01-2026-03-31.csv" in response["Content-Disposition"]
    rows = _csv_rows(response)
    assert rows[0] == list(CANONICAL_FIELDS)
    assert sorted(row[0] for row in rows[1:]) == ["A-2", "B-7"]

    rows = _csv_rows(_download(client, "interactions_csv", desk, q="nasrin"))
    by_id = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert sorted(by_id) == ["A-1", "C-9"]
    first = by_id["A-1"]
    assert first["created_at"] == "2026-03-02T09:00:00+03:30"
    assert first["resolved_at"] == "2026-03-02T09:05:30+03:30"
    assert (first["agent"], first["team"], first["category"]) == (
        "sara@example.com",
        "Front desk",
        "billing",
    )
    assert (first["wait_seconds"], first["handle_seconds"], first["csat"]) == ("12.5", "300", "5")
    assert first["first_response_at"] == "" and first["ces"] == ""


def test_a_formula_like_text_is_neutralised_in_the_file(desk, client_as):
    rows = _csv_rows(_download(client_as(Role.VIEWER), "interactions_csv", desk))
    customers = {row[0]: row[3] for row in rows[1:]}
    assert customers["A-2"] == '\'=HYPERLINK("x")'
    assert customers["B-7"] == "'-omid"


def test_a_bad_period_gets_a_message_instead_of_a_file(desk, client_as):
    response = _download(client_as(Role.VIEWER), "interactions_csv", desk, to="2026-02-01")
    assert response.status_code == 400
    assert "before its start" in response.content.decode()


def test_the_xlsx_has_the_same_columns_and_rows(desk, client_as):
    response = _download(client_as(Role.VIEWER), "interactions_xlsx", desk, channel="email")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == list(CANONICAL_FIELDS)
    assert sorted(row[0] for row in rows[1:]) == ["A-2", "B-7"]
    b7 = next(row for row in rows if row[0] == "B-7")
    assert b7[CANONICAL_FIELDS.index("ces")] == 2  # a number cell
    assert b7[CANONICAL_FIELDS.index("customer_id")] == "'-omid"


def test_too_many_rows_for_xlsx_are_refused_with_a_message(desk, client_as, monkeypatch):
    monkeypatch.setattr("goaldesk.metrics.views.XLSX_MAX_ROWS", 3)
    client = client_as(Role.VIEWER)
    response = _download(client, "interactions_xlsx", desk)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "too many for one XLSX file" in page


def _comparable(organisation) -> list[tuple]:
    """Every stored column of the organisation's interactions that an import writes or
    derives, agent and team by key and name."""
    columns = [
        f.name
        for f in Interaction._meta.concrete_fields
        if f.name not in ("id", "organisation", "agent", "team", "imported_by", "updated_at")
    ]
    rows = []
    for interaction in Interaction.objects.filter(organisation=organisation).select_related(
        "agent", "team"
    ):
        rows.append(
            (
                *(getattr(interaction, name) for name in columns),
                interaction.agent.key if interaction.agent else None,
                interaction.team.name if interaction.team else None,
            )
        )
    return sorted(rows, key=lambda row: row[0])


@pytest.mark.parametrize("kind", ["interactions_csv", "interactions_xlsx"])
def test_an_export_reimports_into_a_fresh_organisation_unchanged(desk, client_as, kind, tmp_path):
    response = _download(client_as(Role.VIEWER), kind, desk)
    if kind == "interactions_csv":
        content = b"".join(response.streaming_content)
        path = tmp_path / "export.csv"
    else:
        content = response.content
        path = tmp_path / "export.xlsx"
    path.write_bytes(content)
    fresh = OrganisationFactory(slug="fresh", timezone="Asia/Tehran")
    assert main(["import", "interactions", str(path), "--org", "fresh"]) == 0

    assert len(_comparable(fresh)) == 4
    assert _comparable(fresh) == _comparable(desk)
    neutralised = Interaction.objects.get(organisation=fresh, external_id="A-2")
    assert neutralised.customer_id == '=HYPERLINK("x")'  # the quote the export added is gone


def test_the_command_exports_a_period_with_filters_to_a_file(desk, tmp_path, capsys):
    out = tmp_path / "email.csv"
    code = main(
        [
            "export",
            "interactions",
            "--org",
            "tehran",
            "--from",
            "2026-03-01",
            "--to",
            "2026-03-02",
            "--channel",
            "email",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows[0] == list(CANONICAL_FIELDS)
    assert [row[0] for row in rows[1:]] == ["A-2"]


def test_the_command_writes_to_standard_output_oldest_first(desk, capsys):
    code = main(
        ["export", "interactions", "--org", "tehran", "--from", "2026-03-01", "--to", "2026-03-31"]
    )
    assert code == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert [row[0] for row in rows[1:]] == ["A-1", "A-2", "B-7", "C-9"]


def test_the_command_reads_dates_in_the_organisations_calendar(desk, capsys):
    desk.calendar = "jalali"
    desk.save()
    # 1404/12/12 (Jalali) is 3 March 2026.
    code = main(
        ["export", "interactions", "--org", "tehran", "--from", "1404/12/12", "--to", "1404/12/12"]
    )
    assert code == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert [row[0] for row in rows[1:]] == ["B-7", "C-9"]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--org", "nowhere"], "no organisation “nowhere”"),
        (["--from", "2026-13-01"], "--from"),
        (["--to", "2026-02-01"], "is before --from"),
        (["--channel", "fax"], "Unknown channel “fax”"),
        (["--agent", "ghost@example.com"], "No agent “ghost@example.com”"),
    ],
)
def test_the_command_refuses_bad_arguments_with_a_message(desk, capsys, arguments, message):
    base = {"--org": "tehran", "--from": "2026-03-01", "--to": "2026-03-31"}
    given = dict(zip(arguments[::2], arguments[1::2], strict=True))
    argv = ["export", "interactions"]
    for option, value in {**base, **given}.items():
        argv += [option, value]
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_a_long_export_counts_its_rows_on_standard_error(desk, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("goaldesk.interactions.exporting.EXPORT_CHUNK_ROWS", 2)
    out = tmp_path / "all.csv"
    argv = ["export", "interactions", "--org", "tehran", "--from", "2026-03-01"]
    assert main([*argv, "--to", "2026-03-31", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "2 of 4 rows (50%)" in err and "4 of 4 rows (100%)" in err
    assert len(out.read_text(encoding="utf-8").splitlines()) == 5
