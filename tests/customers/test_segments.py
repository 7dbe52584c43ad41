"""Customers kept from the interactions' write path; segments evaluated over attributes and
behaviour; a segment as a filter of every metric equals the same filter written by hand."""

import datetime as dt

import pytest

from goaldesk.customers.models import Customer
from goaldesk.customers.services import segment_save
from goaldesk.interactions.models import Interaction
from goaldesk.interactions.segments import customer_activity, segment_members
from goaldesk.interactions.selectors import FilterError, resolve_filters
from goaldesk.metrics.selectors import kpis_for_period
from goaldesk.metrics.summaries import summaries_build
from tests.customers.conftest import NOW, at, write

pytestmark = pytest.mark.django_db


def keys(segment):
    return sorted(segment_members(segment=segment, now=NOW).values_list("key", flat=True))


def test_every_customer_key_written_gets_one_record_and_an_import_keeps_what_it_knows(desk):
    assert sorted(Customer.objects.filter(organisation=desk).values_list("key", flat=True)) == [
        "ann",
        "bob",
        "cy",
    ]
    write(desk, {"at": at(25), "customer": "ann"}, {"at": at(25), "customer": "dee"})
    ann = Customer.objects.get(organisation=desk, key="ann")
    assert (ann.name, ann.attributes["tier"]) == ("Ann", "gold")  # a new contact changes nothing
    assert Customer.objects.filter(organisation=desk, key="dee").count() == 1


def test_activity_counts_first_last_and_latest_csat(desk):
    activity = customer_activity(organisation=desk, keys=["ann", "cy", "nobody"])
    assert activity["ann"].contacts == 3
    assert (activity["ann"].first_contact, activity["ann"].last_contact) == (at(2), at(20))
    assert activity["ann"].last_csat == 2
    assert activity["cy"].last_csat == 4  # the latest contact had no CSAT: the one before
    assert "nobody" not in activity


def test_rules_over_attributes_and_behaviour(desk):
    def seg(name, *rules):
        return segment_save(organisation=desk, name=name, rules=list(rules))

    assert keys(seg("Gold", {"kind": "attribute", "field": "tier", "value": "gold"})) == [
        "ann",
        "bob",
    ]
    assert keys(seg("Farsi", {"kind": "attribute", "field": "language", "value": "FA"})) == ["cy"]
    assert keys(seg("Frequent", {"kind": "contacts", "at_least": 3, "days": 90})) == ["ann"]
    # In the last 15 days (from 16 March) ann has one contact and cy none.
    assert keys(seg("Recent", {"kind": "contacts", "at_least": 1, "days": 15})) == ["ann"]
    assert keys(seg("Unhappy", {"kind": "last_csat", "at_most": 2})) == ["ann"]
    # cy came back after 2 days about billing; ann's billing contacts are 18 days apart.
    assert keys(seg("Back", {"kind": "returned", "days": 7})) == ["cy"]
    assert keys(seg("Back late", {"kind": "returned", "days": 30})) == ["ann", "cy"]
    both = seg(
        "Gold and unhappy",
        {"kind": "attribute", "field": "tier", "value": "gold"},
        {"kind": "last_csat", "at_most": 3},
    )
    assert keys(both) == ["ann"]


def test_every_metric_of_a_segment_equals_the_same_interactions_alone(desk, other_org):
    """The gold customers' interactions written into an organisation of their own give the
    same figures, metric by metric, as the segment filter in the full one."""
    segment_save(
        organisation=desk,
        name="Gold",
        rules=[{"kind": "attribute", "field": "tier", "value": "gold"}],
    )
    write(
        other_org,
        {"at": at(2), "customer": "ann", "csat": 4},
        {"at": at(10), "customer": "ann", "csat": 5, "category": "repair"},
        {"at": at(20), "customer": "ann", "csat": 2},
        {"at": at(5), "customer": "bob", "csat": 5, "channel": "phone", "agent": "ben"},
    )
    summaries_build(desk, everything=True)
    period = {"date_from": dt.date(2026, 3, 1), "date_to": dt.date(2026, 3, 31)}
    by_segment = kpis_for_period(organisation=desk, filters={"segment": "gold"}, **period)
    alone = kpis_for_period(organisation=other_org, **period)
    # Online reviews belong to no customer: under any filter they have no value. Neither have
    # the FAQ's figures (an anonymous visitor is nobody's customer) nor the survey response rate
    # here (no invitations).
    for key in ("review_count", "review_rating_avg", "faq_visits", "faq_helpful_rate",
                "self_service_rate", "deflection_rate", "survey_response_rate"):  # fmt: skip
        assert by_segment.pop(key) is None
        alone.pop(key)
    assert by_segment == alone
    assert alone["contacts"] == 4


def test_a_segment_filter_equals_the_same_filter_written_by_hand(desk):
    segment_save(
        organisation=desk,
        name="Gold",
        rules=[{"kind": "attribute", "field": "tier", "value": "gold"}],
    )
    summaries_build(desk, everything=True)  # the days are built: summaries must not serve
    wanted = ["contacts", "csat_pct", "csat_avg", "fcr_rate", "returning_customer_rate"]
    by_segment = kpis_for_period(
        organisation=desk,
        date_from=dt.date(2026, 3, 1),
        date_to=dt.date(2026, 3, 31),
        filters={"segment": "Gold"},
        keys=wanted,
    )
    # By hand: the gold customers are ann and bob: 4 interactions, CSAT 4, 5, 2, 5 (3 of 4
    # rated 4 or 5 = 75 %).
    gold = Interaction.objects.filter(organisation=desk, customer_id__in=["ann", "bob"])
    assert gold.count() == 4
    assert by_segment["contacts"] == 4
    assert by_segment["csat_pct"] == pytest.approx(75.0)
    assert by_segment["csat_avg"] == pytest.approx(4.0)
    everyone = kpis_for_period(
        organisation=desk,
        date_from=dt.date(2026, 3, 1),
        date_to=dt.date(2026, 3, 31),
        keys=wanted,
    )
    assert everyone["contacts"] == 7
    # The id works as well as the name; an unknown segment is a translated error.
    segment_id = desk.segments.get().pk
    assert resolve_filters(organisation=desk, filters={"segment": str(segment_id)}) is not None
    with pytest.raises(FilterError, match="No segment “Silver”"):
        resolve_filters(organisation=desk, filters={"segment": "Silver"})


def test_the_command_line_takes_a_segment_too(desk, capsys, tmp_path):
    import json

    from goaldesk.cli import main

    segment_save(
        organisation=desk,
        name="Gold",
        rules=[{"kind": "attribute", "field": "tier", "value": "gold"}],
    )
    period = ["--org", desk.slug, "--from", "2026-03-01", "--to", "2026-03-31"]
    assert main(["kpis", *period, "--segment", "Gold", "--json"]) == 0
    kpis = json.loads(capsys.readouterr().out)
    # ann and bob, the gold customers: 4 interactions, CSAT 4, 5, 2 and 5 (mean 4).
    assert kpis["filters"] == {"segment": "Gold"}
    assert kpis["kpis"]["contacts"] == 4 and kpis["kpis"]["csat_avg"] == pytest.approx(4.0)
    assert main(["level", *period, "--segment", "Gold", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["filters"] == {"segment": "Gold"}
    out = tmp_path / "gold.csv"
    assert main(["export", "interactions", *period, "--segment", "Gold", "--out", str(out)]) == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1 + 4  # the header and 4 rows
    capsys.readouterr()
    for command in (["kpis", *period], ["level", *period]):
        assert main([*command, "--segment", "Silver"]) == 2
        assert "No segment “Silver”" in capsys.readouterr().err
