"""`goaldesk forecast` and `goaldesk staffing` on files, checked against hand-worked numbers."""

import csv
import datetime as dt
import json
import math

import pytest

from goaldesk.cli import main


def erlang_c_by_factorials(agents: int, traffic: float) -> float:
    """P(wait) by the textbook formula with factorials (an independent method; small n only)."""
    top = traffic**agents / math.factorial(agents) * agents / (agents - traffic)
    bottom = sum(traffic**k / math.factorial(k) for k in range(agents)) + top
    return top / bottom


def write_history(path, weeks=4, start=dt.date(2026, 2, 2), channel=None):
    """Weekdays 09:00–12:00 in 30-minute intervals, volume 10·(1 + slot) — the same each week;
    weekends absent (unknown)."""
    rows = ["timestamp,volume" + (",channel" if channel else "")]
    for d in range(7 * weeks):
        day = start + dt.timedelta(days=d)
        if day.isoweekday() > 5:
            continue
        for slot in range(6):
            minutes = 9 * 60 + 30 * slot
            ts = f"{day.isoformat()}T{minutes // 60:02d}:{minutes % 60:02d}:00"
            rows.append(f"{ts},{10 * (1 + slot)}" + (f",{channel}" if channel else ""))
    path.write_text("\n".join(rows) + "\n")
    return path


class TestStaffing:
    def test_hand_worked_erlang_c(self, capsys):
        # 100 calls in 30 minutes at 180 s: A = 100·180/1800 = 10 Erlangs.
        code = main(
            ["staffing", "--volume", "100", "--interval-minutes", "30", "--aht", "180",
             "--target-sl", "0.8", "--target-seconds", "20", "--json"]
        )  # fmt: skip
        assert code == 0
        body = json.loads(capsys.readouterr().out)
        c14 = erlang_c_by_factorials(14, 10.0)
        sl14 = 1 - c14 * math.exp(-(14 - 10) * 20 / 180)
        sl13 = 1 - erlang_c_by_factorials(13, 10.0) * math.exp(-(13 - 10) * 20 / 180)
        assert sl13 < 0.8 <= sl14  # so 14 is the smallest number meeting 80/20
        assert body["agents"] == 14 and body["agents_with_shrinkage"] == 14
        assert body["service_level"] == pytest.approx(0.8884, abs=5e-5)
        assert body["service_level"] == pytest.approx(sl14, abs=1e-6)
        assert body["p_wait"] == pytest.approx(c14, abs=1e-6)
        assert body["asa_seconds"] == pytest.approx(c14 * 180 / 4, abs=1e-3)
        assert body["occupancy"] == pytest.approx(10 / 14, abs=1e-6)
        assert body["model"] == "erlang_c"

    def test_shrinkage_grosses_up(self, capsys):
        main(["staffing", "--volume", "100", "--aht", "180", "--shrinkage", "0.3", "--json"])
        body = json.loads(capsys.readouterr().out)
        assert body["agents"] == 14 and body["agents_with_shrinkage"] == 20  # ceil(14 / 0.7)

    def test_text_output(self, capsys):
        assert main(["staffing", "--volume", "100", "--aht", "180"]) == 0
        assert capsys.readouterr().out.startswith("14 agents (14 with shrinkage)")

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (["--target-sl", "80"], "--target-sl must be a fraction"),
            (["--shrinkage", "1"], "--shrinkage must be a fraction"),
            (["--aht", "0"], "--aht must be a positive"),
            (["--patience", "60", "--concurrency", "2"], "cannot be combined"),
        ],
    )
    def test_bad_arguments_exit_2(self, args, message, capsys):
        base = ["staffing", "--volume", "100", "--aht", "180"]
        assert main(base + args) == 2
        assert message in capsys.readouterr().err

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (["--target-sl", "80"], "--target-sl must be a fraction between 0 and 1 (e.g. 0.8 for 80%), got 80.0."),
            (["--max-occupancy", "0"], "--max-occupancy must be a fraction between 0 and 1 (e.g. 0.8 for 80%), got 0.0."),
            (["--aht", "0"], "--aht must be a positive number of seconds, got 0.0."),
            (["--target-seconds", "-1"], "--target-seconds must be zero or more, got -1.0."),
            (["--interval-minutes", "0"], "--interval-minutes must be positive, got 0."),
            (["--patience", "0"], "--patience must be a positive number of seconds."),
            (["--concurrency", "0"], "--concurrency must be 1 or more."),
            (["--patience", "60", "--concurrency", "2"], "--patience (Erlang A) and --concurrency cannot be combined."),
            (["--volume", "-1"], "--volume must be zero or more, got -1.0."),
        ],
    )  # fmt: skip
    def test_each_refusal_reads_as_before(self, args, message, capsys):
        base = ["staffing", "--volume", "100", "--aht", "180"]
        assert main(base + args) == 2
        assert capsys.readouterr().err.strip().endswith(message)

    def test_a_bad_option_is_refused_before_the_file_is_read(self, tmp_path, capsys):
        missing = tmp_path / "no-such-file.csv"
        assert main(["staffing", "--forecast", str(missing), "--aht", "0"]) == 2
        assert "--aht must be a positive number of seconds" in capsys.readouterr().err

    def test_whole_forecast_file(self, tmp_path, capsys):
        forecast = tmp_path / "f.csv"
        forecast.write_text(
            "timestamp,forecast,lower,upper\n"
            "2026-03-02T09:00:00+03:30,100,90,110\n"
            "2026-03-02T09:30:00+03:30,0,0,0\n"
            "2026-03-02T10:00:00+03:30,6,4,8\n"
        )
        out = tmp_path / "req.csv"
        code = main(
            ["staffing", "--forecast", str(forecast), "--aht", "180", "--interval-minutes", "30",
             "--shrinkage", "0.3", "--out", str(out), "--json"]
        )  # fmt: skip
        assert code == 0
        body = json.loads(capsys.readouterr().out)
        rows = list(csv.DictReader(out.open()))
        assert [r["agents"] for r in rows] == ["14", "0", "2"]
        assert [r["agents_with_shrinkage"] for r in rows] == ["20", "0", "3"]
        assert rows[0]["timestamp"] == "2026-03-02T09:00:00+03:30"
        assert float(rows[0]["service_level"]) == pytest.approx(0.8884, abs=5e-5)
        assert body["summary"]["peak_agents"] == 14
        assert body["summary"]["agent_hours"] == 8.0  # (14 + 0 + 2) × 0.5 h
        assert [i["agents"] for i in body["intervals"]] == [14, 0, 2]

    def test_bad_forecast_row_names_row_and_column(self, tmp_path, capsys):
        forecast = tmp_path / "f.csv"
        forecast.write_text(
            "timestamp,forecast\n2026-03-02T09:00:00Z,5\n2026-03-02T09:30:00Z,lots\n"
        )
        assert main(["staffing", "--forecast", str(forecast), "--aht", "180"]) == 2
        err = capsys.readouterr().err
        assert "Row 2" in err and "forecast" in err and "lots" in err
        assert "Traceback" not in err


class TestForecast:
    def test_csv_and_json(self, tmp_path, capsys):
        history = write_history(tmp_path / "h.csv")
        out = tmp_path / "f.csv"
        code = main(
            ["forecast", "--history", str(history), "--interval-minutes", "30",
             "--horizon-days", "7", "--out", str(out), "--json"]
        )  # fmt: skip
        assert code == 0
        body = json.loads(capsys.readouterr().out)
        assert body["chosen_method"] in {"seasonal_naive", "weekday_mean", "robust_seasonal"}
        assert [m["method"] for m in body["methods"]] == [
            "seasonal_naive", "weekday_mean", "robust_seasonal",
        ]  # fmt: skip
        for method in body["methods"]:
            assert method["wape"] == 0  # every week is the same: every method is exact
        rows = list(csv.DictReader(out.open()))
        assert list(rows[0]) == ["timestamp", "forecast", "lower", "upper"]
        assert len(rows) == 7 * 48
        # The file's last row is on Friday 27 February: the forecast starts the day after.
        assert rows[0]["timestamp"] == "2026-02-28T00:00:00+00:00"
        by_time = {r["timestamp"]: r for r in rows}
        monday_0930 = by_time["2026-03-02T09:30:00+00:00"]
        assert float(monday_0930["forecast"]) == pytest.approx(20)
        assert float(monday_0930["lower"]) <= 20 <= float(monday_0930["upper"])
        assert float(by_time["2026-03-02T13:00:00+00:00"]["forecast"]) == 0  # never open
        assert float(by_time["2026-02-28T10:00:00+00:00"]["forecast"]) == 0  # Saturday

    def test_channels_are_forecast_separately(self, tmp_path, capsys):
        history = tmp_path / "h.csv"
        write_history(history, channel="phone")
        text = history.read_text()
        history.write_text(
            text + "\n".join(text.splitlines()[1:]).replace(",phone", ",chat") + "\n"
        )
        out = tmp_path / "f.csv"
        assert main(["forecast", "--history", str(history), "--interval-minutes", "60",
                     "--horizon-days", "3", "--out", str(out), "--json"]) == 0  # fmt: skip
        body = json.loads(capsys.readouterr().out)
        assert [c["channel"] for c in body["channels"]] == ["phone", "chat"]
        rows = list(csv.DictReader(out.open()))
        assert list(rows[0]) == ["timestamp", "forecast", "lower", "upper", "channel"]
        assert len(rows) == 2 * 3 * 24
        # 09:00–10:00 holds the 09:00 and 09:30 intervals: 10 + 20.
        nine = [r for r in rows if r["timestamp"] == "2026-03-02T09:00:00+00:00"]
        assert [float(r["forecast"]) for r in nine] == [pytest.approx(30)] * 2

    def test_forecast_file_feeds_staffing(self, tmp_path, capsys):
        history = write_history(tmp_path / "h.csv")
        out = tmp_path / "f.csv"
        main(["forecast", "--history", str(history), "--interval-minutes", "30",
              "--horizon-days", "1", "--out", str(out)])  # fmt: skip
        capsys.readouterr()
        assert main(["staffing", "--forecast", str(out), "--aht", "180", "--json"]) == 0
        body = json.loads(capsys.readouterr().out)
        assert body["summary"]["intervals"] == 48

    def test_bad_row_exits_2_naming_row_and_column(self, tmp_path, capsys):
        history = tmp_path / "h.csv"
        history.write_text("timestamp,volume\n2026-03-02T09:00,5\n2026-03-02T09:30,-1\n")
        code = main(["forecast", "--history", str(history), "--interval-minutes", "30",
                     "--horizon-days", "7"])  # fmt: skip
        assert code == 2
        err = capsys.readouterr().err
        assert "Row 2" in err and "volume" in err and "negative" in err

    def test_missing_file_and_column(self, tmp_path, capsys):
        assert main(["forecast", "--history", str(tmp_path / "nope.csv"),
                     "--interval-minutes", "30", "--horizon-days", "7"]) == 2  # fmt: skip
        assert "cannot read" in capsys.readouterr().err
        bad = tmp_path / "b.csv"
        bad.write_text("time,calls\n1,2\n")
        assert main(["forecast", "--history", str(bad), "--interval-minutes", "30",
                     "--horizon-days", "7"]) == 2  # fmt: skip
        assert "no column “timestamp, volume”" in capsys.readouterr().err

    def test_horizon_over_eight_weeks(self, tmp_path, capsys):
        history = write_history(tmp_path / "h.csv")
        assert main(["forecast", "--history", str(history), "--interval-minutes", "30",
                     "--horizon-days", "60"]) == 2  # fmt: skip
        assert "--horizon-days must be between 1 and 56" in capsys.readouterr().err
