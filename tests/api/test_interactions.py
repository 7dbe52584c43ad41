"""Writing and reading interactions through the API (org `tehran`, Asia/Tehran = UTC+03:30)."""

import datetime as dt

import pytest

from goaldesk.accounts.models import Role
from goaldesk.interactions.models import Interaction
from tests.api.conftest import BASE, ApiClient, make_token

URL = f"{BASE}/tehran/interactions"
TEHRAN = dt.timezone(dt.timedelta(hours=3, minutes=30))


def visit(external_id: str, created_at: str = "2026-03-02T09:00:00", **fields) -> dict:
    return {"external_id": external_id, "channel": "walk_in", "created_at": created_at, **fields}


@pytest.mark.django_db
class TestPostOne:
    def test_creates_with_canonical_fields_and_local_offsets(self, api, org):
        body = visit(
            "V-1",
            "2026-03-02T09:00:00",  # no offset: read in Tehran time
            resolved_at="2026-03-02T06:10:00Z",  # = 09:40 in Tehran
            agent="sara@example.com",
            team="Front desk",
            category="returns",
            csat="۵",  # Persian digit five
            outcome="success",
        )
        response = api.post(URL, body)
        assert response.status_code == 201
        out = response.json()
        assert out["external_id"] == "V-1"
        assert out["channel"] == "walk_in"
        assert dt.datetime.fromisoformat(out["created_at"]) == dt.datetime(
            2026, 3, 2, 9, 0, tzinfo=TEHRAN
        )
        assert out["created_at"].endswith("+03:30")
        assert out["resolved_at"].startswith("2026-03-02T09:40:00")
        assert out["status"] == "resolved"  # resolved_at given, no status
        assert out["csat"] == 5
        assert out["agent"] == "sara@example.com"
        assert out["team"] == "Front desk"
        assert out["first_response_at"] is None
        row = Interaction.objects.get(organisation=org, external_id="V-1")
        assert row.created_at == dt.datetime(2026, 3, 2, 5, 30, tzinfo=dt.UTC)
        assert row.resolution_seconds == 40 * 60

    def test_reposting_the_same_external_id_updates(self, api, org):
        assert api.post(URL, visit("V-1", csat=2)).status_code == 201
        response = api.post(URL, visit("V-1", csat=4, category="billing"))
        assert response.status_code == 200
        assert response.json()["csat"] == 4
        assert Interaction.objects.filter(organisation=org).count() == 1
        assert Interaction.objects.get(external_id="V-1").category == "billing"

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            (visit("V-1", csat=9), "csat"),
            (visit("V-1", csat="five"), "csat"),
            ({"external_id": "V-1", "channel": "phone"}, "created_at"),
            (visit("V-1", channel="pigeon"), "channel"),
            (visit("V-1", created_at="yesterday"), "created_at"),
            (visit("V-1", resolved_at="2026-03-01T09:00:00"), "resolved_at"),
            (visit("V-1", colour="blue"), "colour"),
            (visit("V-1", csat=[5]), "csat"),
            (visit("V-1", csat=True), "csat"),
        ],
    )
    def test_bad_input_is_422_naming_the_field(self, api, org, body, field):
        response = api.post(URL, body)
        assert response.status_code == 422
        detail = response.json()["detail"]
        assert [d["field"] for d in detail] == [field]
        assert detail[0]["message"]
        assert not Interaction.objects.filter(organisation=org).exists()

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            (visit("V-1", created_at="9999-12-31T23:59:59+00:00"), "created_at"),
            (visit("V-1", wait_seconds=1e308), "wait_seconds"),
            (visit("V-1", handle_seconds="1e300"), "handle_seconds"),
            (visit("V-1", created_at="0001-01-01T09:00:00"), "created_at"),
        ],
    )
    def test_out_of_range_values_are_422_json_naming_the_field(self, api, org, body, field):
        response = api.post(URL, body)
        assert response.status_code == 422
        assert response["Content-Type"].startswith("application/json")
        assert [d["field"] for d in response.json()["detail"]] == [field]
        assert not Interaction.objects.filter(organisation=org).exists()

    def test_error_messages_are_those_of_the_import(self, api):
        from goaldesk.interactions.records import RecordError, parse_interaction

        body = visit("V-1", nps="11")
        with pytest.raises(RecordError) as imported:
            parse_interaction(body, tz=dt.UTC)
        detail = api.post(URL, body).json()["detail"]
        assert detail == [{"field": "nps", "message": imported.value.reason}]

    def test_body_that_is_not_an_object(self, api):
        response = api.post(URL, [1, 2])
        assert response.status_code == 422
        assert response.json()["detail"][0]["field"] == "body"


@pytest.mark.django_db
class TestBulk:
    def test_good_records_are_written_and_bad_ones_reported_with_index(self, api, org):
        records = [
            visit("B-0"),
            visit("B-1", channel="fax"),
            visit("B-2", csat=3),
            "not an object",
            visit("B-4", ces=0),
        ]
        response = api.post(f"{URL}/bulk", {"records": records})
        assert response.status_code == 200
        result = response.json()
        assert (result["created"], result["updated"], result["rejected"]) == (2, 0, 3)
        assert [(e["index"], e["field"]) for e in result["errors"]] == [
            (1, "channel"),
            (3, ""),
            (4, "ces"),
        ]
        assert "fax" in result["errors"][0]["message"]
        written = set(
            Interaction.objects.filter(organisation=org).values_list("external_id", flat=True)
        )
        assert written == {"B-0", "B-2"}

    def test_out_of_range_records_are_reported_and_the_others_kept(self, api, org):
        records = [
            visit("R-0"),
            visit("R-1", created_at="9999-12-31T23:59:59+00:00"),
            visit("R-2", wait_seconds=1e308),
            visit("R-3", handle_seconds=1e300),
            visit("R-4", created_at="2200-01-01T09:00:00"),
            visit("R-5", wait_seconds=31_536_000, created_at="2100-12-31T09:00:00"),
            visit("R-6", created_at="1899-12-31T23:00:00+00:00"),
        ]
        response = api.post(f"{URL}/bulk", {"records": records})
        assert response.status_code == 200
        result = response.json()
        assert (result["created"], result["updated"], result["rejected"]) == (2, 0, 5)
        assert [(e["index"], e["field"]) for e in result["errors"]] == [
            (1, "created_at"),
            (2, "wait_seconds"),
            (3, "handle_seconds"),
            (4, "created_at"),
            (6, "created_at"),
        ]
        reasons = [e["message"] for e in result["errors"]]
        assert "9999-12-31T23:59:59+00:00" in reasons[0] and "2100-12-31" in reasons[0]
        assert "1e+308" in reasons[1] and "31536000 seconds" in reasons[1]
        assert "1e+300" in reasons[2]
        written = Interaction.objects.filter(organisation=org)
        assert set(written.values_list("external_id", flat=True)) == {"R-0", "R-5"}
        assert written.get(external_id="R-5").wait_seconds == 31_536_000

    def test_reposting_counts_updates(self, api, org):
        api.post(f"{URL}/bulk", {"records": [visit("B-0"), visit("B-1")]})
        response = api.post(f"{URL}/bulk", {"records": [visit("B-1", csat=5), visit("B-2")]})
        assert response.json() == {"created": 1, "updated": 1, "rejected": 0, "errors": []}
        assert Interaction.objects.filter(organisation=org).count() == 3
        assert Interaction.objects.get(external_id="B-1").csat == 5

    def test_5000_records_are_accepted_and_5001_refused(self, api, org):
        records = [visit(f"N-{i}") for i in range(5001)]
        refused = api.post(f"{URL}/bulk", {"records": records})
        assert refused.status_code == 422
        assert refused.json()["detail"][0]["field"] == "records"
        assert not Interaction.objects.exists()
        accepted = api.post(f"{URL}/bulk", {"records": records[:5000]})
        assert accepted.json()["created"] == 5000
        assert Interaction.objects.filter(organisation=org).count() == 5000

    def test_missing_records_is_422(self, api):
        response = api.post(f"{URL}/bulk", {"rows": []})
        assert response.status_code == 422
        assert {d["field"] for d in response.json()["detail"]} >= {"records"}


@pytest.fixture
def sample(api):
    """Five interactions; created_at in Tehran time (+03:30)."""
    records = [
        # 23:00 on 2 March in Tehran is still 2 March there (19:30 UTC)
        visit(
            "S-1",
            "2026-03-02T23:00:00",
            channel="phone",
            agent="ali",
            team="Phones",
            status="resolved",
        ),
        # 01:00 on 3 March in Tehran is 21:30 UTC on 2 March: it belongs to 3 March
        visit(
            "S-2",
            "2026-03-03T01:00:00",
            channel="phone",
            agent="sara",
            team="Phones",
            category="billing",
        ),
        visit(
            "S-3",
            "2026-03-03T10:00:00",
            channel="walk_in",
            agent="sara",
            category="billing",
            status="open",
        ),
        visit("S-4", "2026-03-04T10:00:00", channel="email", category="returns", status="resolved"),
        visit("S-5", "2026-03-01T08:00:00", channel="chat", status="abandoned"),
    ]
    result = api.post(f"{URL}/bulk", {"records": records}).json()
    assert result["created"] == 5
    return records


def ids(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["external_id"] for item in response.json()["items"]]


@pytest.mark.django_db
class TestList:
    def test_everything_oldest_first(self, api, sample):
        response = api.get(URL)
        assert ids(response) == ["S-5", "S-1", "S-2", "S-3", "S-4"]
        assert response.json()["count"] == 5
        assert response.json()["next_cursor"] is None

    def test_date_range_is_the_local_day_of_created_at(self, api, sample):
        assert ids(api.get(URL, {"from": "2026-03-03", "to": "2026-03-03"})) == ["S-2", "S-3"]
        assert ids(api.get(URL, {"to": "2026-03-02"})) == ["S-5", "S-1"]
        assert ids(api.get(URL, {"from": "۲۰۲۶-۰۳-۰۴"})) == ["S-4"]  # Persian digits

    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ({"channel": "phone"}, ["S-1", "S-2"]),
            ({"agent": "sara"}, ["S-2", "S-3"]),
            ({"team": "Phones"}, ["S-1", "S-2"]),
            ({"category": "billing"}, ["S-2", "S-3"]),
            ({"status": "resolved"}, ["S-1", "S-4"]),
            ({"channel": "phone", "agent": "sara"}, ["S-2"]),
            ({"channel": "field"}, []),
        ],
    )
    def test_filters(self, api, sample, params, expected):
        assert ids(api.get(URL, params)) == expected

    def test_updated_since(self, api, sample, org):
        cutoff = "2030-01-01T00:00:00+00:00"
        Interaction.objects.filter(external_id="S-3").update(
            updated_at=dt.datetime(2030, 1, 2, tzinfo=dt.UTC)
        )
        assert ids(api.get(URL, {"updated_since": cutoff})) == ["S-3"]

    def test_limit_and_offset(self, api, sample):
        assert ids(api.get(URL, {"limit": 2})) == ["S-5", "S-1"]
        assert ids(api.get(URL, {"limit": 2, "offset": 2})) == ["S-2", "S-3"]
        assert ids(api.get(URL, {"limit": 2, "offset": 4})) == ["S-4"]

    def test_cursor_walks_every_item_once(self, api, sample):
        seen, cursor, pages = [], None, 0
        while True:
            params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
            response = api.get(URL, params)
            seen += ids(response)
            pages += 1
            cursor = response.json()["next_cursor"]
            if cursor is None:
                break
        assert seen == ["S-5", "S-1", "S-2", "S-3", "S-4"]
        assert pages == 3

    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"from": "2026-13-01"}, "from"),
            ({"to": "March"}, "to"),
            ({"from": "2026-03-04", "to": "2026-03-01"}, "to"),
            ({"updated_since": "soon"}, "updated_since"),
            ({"limit": "0"}, "limit"),
            ({"limit": "5000"}, "limit"),
            ({"offset": "-1"}, "offset"),
            ({"cursor": "garbage!"}, "cursor"),
            ({"channel": "pigeon"}, "channel"),
            ({"status": "done"}, "status"),
        ],
    )
    def test_bad_parameters_name_the_field(self, api, sample, params, field):
        response = api.get(URL, params)
        assert response.status_code == 422
        assert response.json()["detail"][0]["field"] == field

    def test_other_organisations_interactions_are_not_listed(self, api, sample, other_org):
        berlin = ApiClient(make_token(other_org, Role.MANAGER))
        berlin.post(f"{BASE}/berlin/interactions", visit("S-1", channel="email"))
        assert ids(api.get(URL)) == ["S-5", "S-1", "S-2", "S-3", "S-4"]
        assert api.get(URL).json()["items"][1]["channel"] == "phone"
        assert ids(berlin.get(f"{BASE}/berlin/interactions")) == ["S-1"]


@pytest.mark.django_db
class TestGetOne:
    def test_by_external_id(self, api, sample):
        response = api.get(f"{URL}/S-2")
        assert response.status_code == 200
        assert response.json()["agent"] == "sara"
        assert response.json()["created_at"].startswith("2026-03-03T01:00:00")

    def test_ids_with_a_slash_and_the_word_bulk(self, api):
        api.post(URL, visit("2026/77"))
        api.post(URL, visit("bulk"))
        assert api.get(f"{URL}/2026/77").json()["external_id"] == "2026/77"
        assert api.get(f"{URL}/bulk").json()["external_id"] == "bulk"

    def test_unknown_is_404(self, api, sample):
        response = api.get(f"{URL}/nope")
        assert response.status_code == 404
        assert "nope" in response.json()["detail"]

    def test_other_organisations_interaction_is_404(self, api, other_org):
        ApiClient(make_token(other_org)).post(f"{BASE}/berlin/interactions", visit("X-1"))
        assert api.get(f"{URL}/X-1").status_code == 404
