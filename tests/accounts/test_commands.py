"""`goaldesk org create` still works."""

import json

from goaldesk.accounts.models import Membership, Organisation, Role
from goaldesk.cli import main


def test_org_create_with_owner_prints_json(db, capsys):
    code = main(
        [
            "org",
            "create",
            "Tehran Call Centre",
            "--timezone",
            "Asia/Tehran",
            "--language",
            "fa",
            "--owner",
            "maryam",
            "--json",
        ]
    )
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert out == {
        "slug": "tehran-call-centre",
        "name": "Tehran Call Centre",
        "timezone": "Asia/Tehran",
        "language": "fa",
    }
    org = Organisation.objects.get(slug="tehran-call-centre")
    assert (org.calendar, org.weekend_days) == ("jalali", [5])
    assert Membership.objects.get(organisation=org).role == Role.OWNER


def test_org_create_refuses_a_bad_time_zone(db, capsys):
    code = main(["org", "create", "X", "--timezone", "Mars/Base", "--language", "en"])
    assert code == 2
    assert "Mars/Base" in capsys.readouterr().err
    assert not Organisation.objects.exists()
