"""core.throttle: at most N requests of a scope per key within a sliding window, counted in the
database; refused requests are not counted; rows that left the window are deleted."""

import datetime as dt

import pytest

from goaldesk.core.models import ThrottleHit
from goaldesk.core.throttle import throttle_hit, throttle_prune, wait_minutes

T0 = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def three_per_hour(settings):
    settings.GOALDESK_THROTTLES = {"test": (3, dt.timedelta(hours=1))}


def hit(key="10.0.0.1", minutes=0, keys=None):
    return throttle_hit(scope="test", keys=keys or [key], now=T0 + dt.timedelta(minutes=minutes))


def test_the_fourth_request_in_the_hour_waits_until_the_first_leaves_the_window(db, three_per_hour):
    assert [hit(minutes=m) for m in (0, 10, 20)] == [dt.timedelta(0)] * 3
    # at 12:30 the requests of 12:00, 12:10 and 12:20 are in the window: wait until 13:00
    assert hit(minutes=30) == dt.timedelta(minutes=30)
    assert ThrottleHit.objects.count() == 3  # the refused one is not counted
    assert hit(key="10.0.0.2", minutes=30) == dt.timedelta(0)  # another address
    assert hit(minutes=60) == dt.timedelta(0)  # 12:00 left the window at 13:00
    assert hit(minutes=61) == dt.timedelta(minutes=9)  # now 12:10's turn (13:10)


def test_rows_that_left_the_window_are_deleted(db, three_per_hour):
    hit(minutes=0)
    hit(key="10.0.0.2", minutes=15)
    hit(key="10.0.0.3", minutes=70)  # the window starts at 12:10: 12:00 goes, 12:15 stays
    assert sorted(ThrottleHit.objects.values_list("key", flat=True)) == [
        "10.0.0.2",
        "10.0.0.3",
    ]
    hit(key="10.0.0.3", minutes=200)
    assert ThrottleHit.objects.count() == 1


def test_the_hourly_prune_deletes_what_left_each_window_even_of_a_quiet_scope(db, settings):
    settings.GOALDESK_THROTTLES = {
        "short": (3, dt.timedelta(minutes=10)),
        "long": (3, dt.timedelta(hours=2)),
    }
    for scope in ("short", "long", "gone"):  # "gone": a scope no longer in the settings
        ThrottleHit.objects.create(scope=scope, key="k", at=T0)
    assert throttle_prune(now=T0 + dt.timedelta(minutes=30)) == 1  # short's 10 minutes
    assert throttle_prune(now=T0 + dt.timedelta(hours=2)) == 2  # long's and the longest window
    assert not ThrottleHit.objects.exists()


def test_with_several_keys_any_key_at_its_limit_refuses_and_nothing_is_counted(db, three_per_hour):
    for minute in range(3):
        hit(keys=["email:a@b.org", f"ip:10.0.0.{minute}"], minutes=minute)
    assert hit(keys=["email:a@b.org", "ip:10.0.0.9"], minutes=5) == dt.timedelta(minutes=55)
    assert not ThrottleHit.objects.filter(key="ip:10.0.0.9").exists()


def test_a_wait_is_named_in_whole_minutes_rounded_up():
    assert wait_minutes(dt.timedelta(seconds=1)) == 1
    assert wait_minutes(dt.timedelta(minutes=30)) == 30
    assert wait_minutes(dt.timedelta(minutes=30, seconds=1)) == 31
