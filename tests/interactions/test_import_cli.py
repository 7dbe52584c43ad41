"""`goaldesk import interactions | reviews`: output and exit codes, run in-process."""

import json

import pytest

from goaldesk.cli import main
from goaldesk.interactions.models import ImportJob, Interaction, Review

GOOD = "external_id,channel,created_at,csat\nA,phone,2026-03-02 09:00,5\nB,chat,2026-03-02 10:00,\n"


@pytest.fixture
def csv_file(tmp_path):
    def make(text: str, name: str = "in.csv"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return str(path)

    return make


def test_all_accepted_exits_0_with_json(org, csv_file, capsys):
    code = main(["import", "interactions", csv_file(GOOD), "--org", org.slug, "--json"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert {k: out[k] for k in ("rows", "accepted", "updated", "rejected", "dry_run")} == {
        "rows": 2, "accepted": 2, "updated": 0, "rejected": 0, "dry_run": False,
    }  # fmt: skip
    assert out["rejections"] == []
    assert Interaction.objects.filter(organisation=org).count() == 2
    job = ImportJob.objects.get(pk=out["job"])
    assert job.organisation == org and job.state == ImportJob.State.DONE


def test_some_rejected_exits_1_and_lists_them(org, csv_file, capsys):
    text = GOOD + "C,fax,2026-03-02 11:00,\nD,chat,2026-03-02 11:00,9\n"
    code = main(["import", "interactions", csv_file(text), "--org", org.slug, "--json"])
    assert code == 1
    out = json.loads(capsys.readouterr().out)
    assert (out["accepted"], out["rejected"]) == (2, 2)
    assert [(r["row"], r["column"]) for r in out["rejections"]] == [(3, "channel"), (4, "csat")]
    assert "fax" in out["rejections"][0]["reason"]


def test_human_summary_and_progress_on_stderr(org, csv_file, capsys):
    code = main(["import", "interactions", csv_file(GOOD + "C,fax,2026-03-02 11:00,\n"),
                 "--org", org.slug])  # fmt: skip
    captured = capsys.readouterr()
    assert code == 1
    assert "3 rows: 2 new, 0 updated, 1 rejected." in captured.out
    assert "row 3 [channel]" in captured.out
    assert "3 of 3 rows" in captured.err


def test_dry_run_writes_nothing(org, csv_file, capsys):
    code = main(["import", "interactions", csv_file(GOOD), "--org", org.slug, "--dry-run",
                 "--json"])  # fmt: skip
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert out["dry_run"] is True and out["accepted"] == 2
    assert Interaction.objects.count() == 0


def test_reimport_counts_updates(org, csv_file, capsys):
    path = csv_file(GOOD)
    main(["import", "interactions", path, "--org", org.slug, "--json"])
    capsys.readouterr()
    assert main(["import", "interactions", path, "--org", org.slug, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["accepted"], out["updated"]) == (0, 2)
    assert Interaction.objects.count() == 2


def test_zendesk_mapping_by_name(org, csv_file, capsys):
    text = "Id,Via,Created at,Status,Satisfaction Score\n7,Mail,2026-03-02 09:00,Solved,Good\n"
    code = main(["import", "interactions", csv_file(text), "--org", org.slug,
                 "--mapping", "zendesk", "--json"])  # fmt: skip
    assert code == 0
    row = Interaction.objects.get(external_id="7")
    assert (row.channel, row.status, row.csat) == ("email", "resolved", 5)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--org", "nowhere"], "nowhere"),
        (["--org", "tehran", "--mapping", "kayako"], "kayako"),
    ],
)
def test_unusable_arguments_exit_2(org, csv_file, capsys, args, message):
    code = main(["import", "interactions", csv_file(GOOD), *args])
    assert code == 2
    assert message in capsys.readouterr().err
    assert ImportJob.objects.count() == 0


def test_missing_file_exits_2(org, tmp_path, capsys):
    code = main(["import", "interactions", str(tmp_path / "nope.csv"), "--org", org.slug])
    assert code == 2
    assert "nope.csv" in capsys.readouterr().err


def test_unreadable_file_exits_2(org, tmp_path, capsys):
    path = tmp_path / "latin.csv"
    path.write_bytes("external_id,channel,created_at\nÄ,chat,2026-03-02 09:00\n".encode("cp1252"))
    assert main(["import", "interactions", str(path), "--org", org.slug]) == 2
    assert "UTF-8" in capsys.readouterr().err


def test_missing_required_column_exits_2(org, csv_file, capsys):
    code = main(["import", "interactions", csv_file("external_id,channel\nA,chat\n"),
                 "--org", org.slug])  # fmt: skip
    assert code == 2
    err = capsys.readouterr().err
    assert "created_at" in err and "external_id, channel" in err


def test_missing_org_option_is_an_argparse_error(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["import", "interactions", "file.csv"])
    assert caught.value.code == 2


def test_import_reviews(org, csv_file, capsys):
    text = ("external_id,source,date,rating,text,author\n"
            "G1,Google,2026-03-02,5,Great,Mina\nG2,Google,2026-03-02,0,Bad,Ali\n")  # fmt: skip
    code = main(["import", "reviews", csv_file(text), "--org", org.slug, "--json"])
    assert code == 1
    out = json.loads(capsys.readouterr().out)
    assert (out["accepted"], out["rejected"]) == (1, 1)
    assert out["rejections"][0]["column"] == "rating"
    assert Review.objects.get(organisation=org).external_id == "G1"


def test_an_out_of_range_row_is_rejected_and_the_others_imported(org, csv_file, capsys):
    text = GOOD + "C,phone,9999-12-31T23:59:59+00:00,\nD,email,2026-03-02 12:00,4\n"
    code = main(["import", "interactions", csv_file(text), "--org", org.slug, "--json"])
    assert code == 1
    out = json.loads(capsys.readouterr().out)
    assert (out["rows"], out["accepted"], out["rejected"]) == (4, 3, 1)
    assert [r["row"] for r in out["rejections"]] == [3]
    assert [item["count"] for item in out["rejection_summary"]] == [1]
    assert Interaction.objects.filter(organisation=org).count() == 3


def test_a_header_only_file_is_refused(org, csv_file, capsys):
    code = main(["import", "interactions", csv_file("external_id,channel,created_at\n"),
                 "--org", org.slug])  # fmt: skip
    assert code == 2
    assert "The file has no data rows" in capsys.readouterr().err
    assert ImportJob.objects.count() == 0


def test_rejections_past_the_stored_ones_are_summarised(org, csv_file, capsys, settings):
    settings.IMPORT_REJECTIONS_STORED = 3
    text = GOOD + "".join(f"X{n},fax,2026-03-02 11:00,\n" for n in range(30))
    code = main(["import", "interactions", csv_file(text), "--org", org.slug])
    assert code == 1
    out = capsys.readouterr().out
    assert "32 rows: 2 new, 0 updated, 30 rejected." in out
    assert "… and 27 more (use --json for all)." in out
    assert "        30 [channel]: “fax”" in out


def test_a_nul_character_rejects_its_row_on_every_database(org, csv_file, capsys):
    text = "external_id,channel,created_at,category,note\x00\n" + (
        "A,phone,2026-03-02 09:00,billing,\n"
        "B,phone,2026-03-02 09:00,bill\x00ing,\n"
        "C,fax\x00,2026-03-02 09:00,billing,\n"
        "D,phone,2026-03-02 09:00,billing,x\x00\n"
    )
    code = main(["import", "interactions", csv_file(text), "--org", org.slug, "--json"])
    assert code == 1
    out = json.loads(capsys.readouterr().out)
    assert (out["accepted"], out["rejected"]) == (2, 2)  # D's NUL is in a column not imported
    assert [(r["row"], r["column"]) for r in out["rejections"]] == [(2, "category"),
                                                                    (3, "channel")]  # fmt: skip
    assert "NUL" in out["rejections"][0]["reason"]
    assert Interaction.objects.filter(organisation=org).count() == 2
