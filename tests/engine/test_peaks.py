"""Peaks on constructed data: heatmap, peak days and hours, special days (robust z-scores)."""

import datetime as dt

import numpy as np
import pytest

from goaldesk.engine.peaks import find_peaks, robust_z_scores, week_order

MONDAY = dt.date(2026, 3, 2)


def constructed(weeks=6):
    """Mon–Fri open 9–17 with 10 contacts an hour, 30 at 10:00 on Mondays; weekend empty."""
    days = 7 * weeks
    hourly = np.zeros((days, 24))
    for d in range(days):
        weekday = (MONDAY + dt.timedelta(days=d)).isoweekday()
        if weekday <= 5:
            hourly[d, 9:17] = 10
            if weekday == 1:
                hourly[d, 10] = 30
    return hourly


class TestWeekOrder:
    def test_the_week_starts_after_the_weekend(self):
        assert week_order((6, 7)) == (1, 2, 3, 4, 5, 6, 7)
        assert week_order((5,)) == (6, 7, 1, 2, 3, 4, 5)  # Iran: Saturday first
        assert week_order((5, 6)) == (7, 1, 2, 3, 4, 5, 6)  # Gulf: Sunday first
        assert week_order(()) == (1, 2, 3, 4, 5, 6, 7)


class TestRobustZ:
    def test_hand_worked(self):
        # median 10, |deviations| 0,0,1,1,10 → MAD 1; z(20) = 0.6745 · 10 / 1.
        z = robust_z_scores([10, 10, 11, 9, 20])
        assert z[4] == pytest.approx(6.745)
        assert z[2] == pytest.approx(0.6745)

    def test_mad_zero_falls_back_to_mean_absolute_deviation(self):
        # median 10, deviations 0,0,0,0,5 → MAD 0, mean AD 1 → z = 5 / 1.2533.
        z = robust_z_scores([10, 10, 10, 10, 15])
        assert z[4] == pytest.approx(5 / 1.253314)

    def test_all_equal_is_all_zero(self):
        assert list(robust_z_scores([3, 3, 3])) == [0, 0, 0]


class TestFindPeaks:
    def test_heatmap_peak_day_and_hour(self):
        report = find_peaks(MONDAY, constructed(), weekend=(6, 7))
        assert report.weekday_order == (1, 2, 3, 4, 5, 6, 7)
        assert report.heatmap[0, 10] == 30 and report.heatmap[1, 10] == 10
        assert report.heatmap[5].sum() == 0  # Saturday
        assert report.days_counted == (6,) * 7
        # Monday: 7·10 + 30 = 100 a day; other weekdays 80.
        assert report.weekdays[0].weekday == 1 and report.weekdays[0].volume == 100
        assert report.weekdays[1].volume == 80
        assert report.weekdays[-1].is_weekend
        assert (report.peak_cells[0].weekday, report.peak_cells[0].hour) == (1, 10)
        # Hour 10 on working days: (30 + 4·10) / 5 = 14.
        assert report.hours[0] == (10, 14)
        assert report.special_days == ()

    def test_rows_follow_a_friday_weekend(self):
        report = find_peaks(MONDAY, constructed(), weekend=(5,))
        assert report.weekday_order[0] == 6
        assert report.heatmap[2, 10] == 30  # Monday is the third row (Sat, Sun, Mon)

    def test_special_days_high_and_low(self):
        hourly = constructed()
        hourly[14, 9:17] = 40  # third Monday: a promotion, 320 instead of 100
        hourly[23, 9:17] = 1  # fourth Wednesday: an outage, 8 instead of 80
        hourly[24, 9:17] = 11  # fourth Thursday: 88, ordinary noise
        report = find_peaks(MONDAY, hourly, weekend=(6, 7))
        special = {s.day: s for s in report.special_days}
        assert set(special) == {MONDAY + dt.timedelta(days=14), MONDAY + dt.timedelta(days=23)}
        promotion = special[MONDAY + dt.timedelta(days=14)]
        assert promotion.direction == "high" and promotion.volume == 320
        assert promotion.expected == 100
        outage = special[MONDAY + dt.timedelta(days=23)]
        assert outage.direction == "low" and outage.expected == 80

    def test_holidays_are_left_out_and_reported(self):
        hourly = constructed()
        holiday = MONDAY + dt.timedelta(days=7)
        hourly[7] = 0  # closed
        report = find_peaks(MONDAY, hourly, weekend=(6, 7), holidays=[holiday])
        assert report.heatmap[0, 10] == 30  # the closed Monday does not pull the mean down
        assert report.days_counted[0] == 5
        (special,) = report.special_days
        assert special.day == holiday and special.is_holiday and special.direction == "low"

    def test_shape_is_checked(self):
        with pytest.raises(ValueError, match="24 columns"):
            find_peaks(MONDAY, np.zeros((3, 23)))
