"""`goaldesk schedule` on small files whose optimum is worked out by hand."""

import csv
import datetime as dt
import json

import pytest

from goaldesk import cli


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return str(path)


def hourly(rows):
    """Requirement CSV lines for (hour on Mon 2 March 2026 UTC, skill, agents)."""
    lines = ["start,interval_minutes,skill,required"]
    lines += [f"2026-03-02T{h:02d}:00:00+00:00,60,{skill},{n}" for h, skill, n in rows]
    return "\n".join(lines) + "\n"


RULES = {
    "timezone": "UTC",
    "shift_lengths_minutes": [120, 180],
    "shift_start_times": ["08:00", "09:00", "10:00"],
    "breaks": [],
}


def on_duty(out_path, hour):
    """Agents on shift during the hour starting at `hour` on Mon 2 March 2026, from the CSV."""
    at = dt.datetime(2026, 3, 2, hour, tzinfo=dt.UTC)
    with open(out_path, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return sum(
        1
        for r in rows
        if dt.datetime.fromisoformat(r["start"]) <= at < dt.datetime.fromisoformat(r["end"])
    )


def run(capsys, *args):
    code = cli.main(["schedule", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_exact_cover_with_two_agents_exits_0(tmp_path, capsys):
    # Need 1, 2, 2, 1 agents at 08–12: 08–11 and 09–12 cover it exactly (by hand), nothing over.
    req = write(
        tmp_path / "req.csv",
        hourly([(8, "phone", 1), (9, "phone", 2), (10, "phone", 2), (11, "phone", 1)]),
    )
    agents = write(
        tmp_path / "agents.json",
        json.dumps([{"id": "ana", "skills": ["phone"]}, {"id": "bo", "skills": "phone"}]),
    )
    rules = write(tmp_path / "rules.json", json.dumps(RULES))
    out = tmp_path / "out.csv"
    code, stdout, stderr = run(
        capsys,
        "--requirements",
        req,
        "--agents",
        agents,
        "--rules",
        rules,
        "--out",
        str(out),
        "--json",
    )
    assert code == 0, stderr
    report = json.loads(stdout)
    assert report["status"] == "optimal"
    assert report["gap"] == 0
    assert report["under_coverage"]["agent_intervals"] == 0
    assert report["over_coverage"]["agent_intervals"] == 0
    assert report["hours_scheduled"] == 6
    assert [on_duty(out, h) for h in (8, 9, 10, 11)] == [1, 2, 2, 1]
    assert "solution 1" in stderr  # progress goes to stderr


def test_requirements_and_agents_may_be_xlsx_workbooks(tmp_path, capsys):
    # The same cover as above (1, 2, 2, 1 agents at 08–12), from workbooks: date-time and
    # number cells, and an empty row in the middle that is skipped.
    import openpyxl

    requirements = openpyxl.Workbook()
    sheet = requirements.active
    sheet.append(["start", "interval_minutes", "skill", "required"])
    for hour, needed in ((8, 1), (9, 2), (10, 2)):
        sheet.append([dt.datetime(2026, 3, 2, hour), 60, "phone", needed])
    sheet.append([None, None, None, None])
    sheet.append(["2026-03-02T11:00:00+00:00", "۶۰", "phone", "1"])
    requirements.save(tmp_path / "req.xlsx")
    agents = openpyxl.Workbook()
    sheet = agents.active
    sheet.append(["id", "skills", "max_days_per_week"])
    sheet.append(["ana", "phone", 5])
    sheet.append(["bo", "phone", None])
    agents.save(tmp_path / "agents.xlsx")
    rules = write(tmp_path / "rules.json", json.dumps(RULES))
    out = tmp_path / "out.csv"
    code, stdout, stderr = run(
        capsys, "--requirements", str(tmp_path / "req.xlsx"), "--agents",
        str(tmp_path / "agents.xlsx"), "--rules", rules, "--out", str(out), "--json",
    )  # fmt: skip
    assert code == 0, stderr
    assert json.loads(stdout)["under_coverage"]["agent_intervals"] == 0
    assert [on_duty(out, h) for h in (8, 9, 10, 11)] == [1, 2, 2, 1]


def test_a_bad_xlsx_cell_names_its_row(tmp_path, capsys):
    import openpyxl

    requirements = openpyxl.Workbook()
    sheet = requirements.active
    sheet.append(["start", "skill", "required"])
    sheet.append([dt.datetime(2026, 3, 2, 8), "phone", 1])
    sheet.append([dt.datetime(2026, 3, 2, 9), "phone", "many"])
    requirements.save(tmp_path / "req.xlsx")
    ag = write(tmp_path / "agents.json", '[{"id": "a", "skills": ["phone"]}]')
    code, _, stderr = run(
        capsys, "--requirements", str(tmp_path / "req.xlsx"), "--agents", ag, "--out", "x"
    )
    assert code == 2
    assert "req.xlsx" in stderr and "row 3" in stderr and "many" in stderr


def test_too_few_agents_gives_the_best_partial_schedule_and_exit_1(tmp_path, capsys):
    # 3 needed at 09, 1 at 10, two agents, 2-hour shifts from 09 or 10 only: both work 09–11.
    # Short 1 at 09 (only 2 agents exist), and 1 over at 10. Under weighs far more than over.
    req = write(tmp_path / "req.csv", hourly([(9, "phone", 3), (10, "phone", 1)]))
    agents = write(tmp_path / "agents.csv", "id,skills\nana,phone\nbo,phone\n")
    rules = write(
        tmp_path / "rules.json",
        json.dumps(
            {**RULES, "shift_lengths_minutes": [120], "shift_start_times": ["09:00", "10:00"]}
        ),
    )
    out = tmp_path / "out.csv"
    code, stdout, _ = run(
        capsys,
        "--requirements",
        req,
        "--agents",
        agents,
        "--rules",
        rules,
        "--out",
        str(out),
        "--json",
    )
    assert code == 1
    report = json.loads(stdout)
    assert report["under_coverage"]["agent_intervals"] == 1
    assert report["over_coverage"]["agent_intervals"] == 1
    [short] = report["under_coverage"]["intervals"]
    assert short["start"].startswith("2026-03-02T09:00")
    assert (short["skill"], short["required"], short["staffed"]) == ("phone", 3, 2)
    assert short["reason"] == "too_few_available"
    assert [on_duty(out, h) for h in (9, 10)] == [2, 2]


def test_rest_rule_binds_and_is_named(tmp_path, capsys):
    # One agent, 2-hour shifts at 20:00 Mon and 06:00 Tue needed: 8 h apart < 11 h rest.
    lines = ["start,interval_minutes,skill,required"]
    lines += [f"2026-03-02T{h}:00:00Z,60,phone,1" for h in (20, 21)]
    lines += [f"2026-03-03T0{h}:00:00Z,60,phone,1" for h in (6, 7)]
    req = write(tmp_path / "req.csv", "\n".join(lines) + "\n")
    agents = write(tmp_path / "agents.json", json.dumps([{"id": "ana", "skills": ["phone"]}]))
    rules = write(
        tmp_path / "rules.json",
        json.dumps(
            {**RULES, "shift_lengths_minutes": [120], "shift_start_times": ["06:00", "20:00"]}
        ),
    )
    code, stdout, _ = run(
        capsys,
        "--requirements",
        req,
        "--agents",
        agents,
        "--rules",
        rules,
        "--out",
        str(tmp_path / "o.csv"),
        "--json",
    )
    assert code == 1
    report = json.loads(stdout)
    assert report["under_coverage"]["agent_intervals"] == 2  # one of the two shifts is lost
    reasons = {s["reason"] for s in report["under_coverage"]["intervals"]}
    assert reasons == {"contract_rules"}
    assert all("rest" in s["binding"] for s in report["under_coverage"]["intervals"])


def test_persian_digits_and_naive_times_in_the_rules_time_zone(tmp_path, capsys):
    req = write(
        tmp_path / "req.csv",
        "start,skill,required\n۲۰۲۶-۰۳-۰۲T۰۹:۰۰,phone,۱\n2026-03-02T10:00,phone,1\n",
    )
    agents = write(tmp_path / "agents.json", json.dumps([{"id": "ana", "skills": ["phone"]}]))
    rules = write(
        tmp_path / "rules.json",
        json.dumps({"timezone": "Asia/Tehran", "shift_lengths_minutes": [120], "breaks": []}),
    )
    out = tmp_path / "out.csv"
    code, _stdout, _ = run(
        capsys,
        "--requirements",
        req,
        "--agents",
        agents,
        "--rules",
        rules,
        "--out",
        str(out),
        "--json",
    )
    assert code == 0
    with open(out, encoding="utf-8") as handle:
        [row] = list(csv.DictReader(handle))
    assert row["start"] == "2026-03-02T09:00+03:30"
    assert row["end"] == "2026-03-02T11:00+03:30"


@pytest.mark.parametrize(
    ("requirements", "agents", "expected"),
    [
        (
            "start,skill,required\n2026-03-02T09:00Z,phone,1\n2026-03-02T10:00Z,phone,many\n",
            '[{"id": "a", "skills": ["phone"]}]',
            ["row 3", "required", "many"],
        ),
        (
            "start,skill,required\nyesterday,phone,1\n",
            '[{"id": "a", "skills": ["phone"]}]',
            ["row 2", "start"],
        ),
        (
            "start,skill,required\n2026-03-02T09:00Z,phone,1\n2026-03-02T10:00Z,phone,1\n",
            '[{"id": "a", "skills": ["phone"]}, {"id": "b"}]',
            ["agent 2", "skills"],
        ),
        (
            "start,skill,required\n2026-03-02T09:00Z,phone,1\n2026-03-02T10:00Z,phone,1\n",
            '[{"id": "a", "skills": ["phone"], "max_days_per_week": 9}]',
            ["agent 1", "max_days_per_week"],
        ),
        ("when,who\n", '[{"id": "a", "skills": ["phone"]}]', ["start", "skill", "required"]),
    ],
)
def test_bad_input_exits_2_naming_row_and_field(tmp_path, capsys, requirements, agents, expected):
    req = write(tmp_path / "req.csv", requirements)
    ag = write(tmp_path / "agents.json", agents)
    code, _, stderr = run(
        capsys, "--requirements", req, "--agents", ag, "--out", str(tmp_path / "o.csv")
    )
    assert code == 2
    assert "Traceback" not in stderr
    for word in expected:
        assert word in stderr


def test_unreadable_files_and_bad_rules_exit_2(tmp_path, capsys):
    req = write(tmp_path / "req.csv", hourly([(9, "phone", 1)]))
    ag = write(tmp_path / "a.json", '[{"id": "a", "skills": ["phone"]}]')
    code, _, stderr = run(
        capsys, "--requirements", str(tmp_path / "missing.csv"), "--agents", ag, "--out", "x"
    )
    assert code == 2 and "missing.csv" in stderr
    rules = write(tmp_path / "rules.json", '{"shift_lengths_minutes": [480], "min_rest": 11}')
    code, _, stderr = run(
        capsys,
        "--requirements",
        req,
        "--agents",
        ag,
        "--rules",
        rules,
        "--out",
        str(tmp_path / "o.csv"),
    )
    assert code == 2 and "min_rest" in stderr and "rules.json" in stderr
