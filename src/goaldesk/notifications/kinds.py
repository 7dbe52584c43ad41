"""Every kind of event a person can be told about, defined once.

A notification stores its kind and its parameters, never its text: the text is written when it
is shown or sent, in the reader's language, calendar and digits (`Kind.describe`). A new kind is
one entry in `KINDS`; the services that cause the event call `notifications.services.notify`.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy

from goaldesk.core.display import ldate, ldatetime, lnum


@dataclass(frozen=True)
class Kind:
    key: str
    #: What a person chooses on their preferences page ("My shifts were published").
    label: str | Promise
    #: Who receives it, in the words of the preferences page and the docs.
    audience: str | Promise
    #: One line saying what happened, from the stored parameters, in the active language.
    describe: Callable[[Mapping[str, Any]], str]
    in_app: bool = True
    email: bool = True


def _text(value: Any) -> str:
    """A name or title typed by someone, isolated from the sentence's direction (FSI … PDI)."""
    return f"\u2068{value}\u2069" if value else ""


def _date(value: Any) -> str:
    import datetime as dt

    return ldate(dt.date.fromisoformat(value), "long") if value else ""


def _moment(value: Any) -> str:
    import datetime as dt

    return ldatetime(dt.datetime.fromisoformat(value)) if value else ""


def _low_score_text(p: Mapping[str, Any]) -> str:
    values = {
        "agent": _text(p.get("agent")) or gettext("the team"),
        "score": lnum(p.get("score")),
        "day": _date(p.get("day")),
    }
    if p.get("scale") == "nps":
        return (
            gettext(
                "A customer answered %(score)s of 10 on how likely they are to recommend us, "
                "after the interaction of %(day)s with %(agent)s."
            )
            % values
        )
    if p.get("scale") == "ces":
        return (
            gettext(
                "A customer rated their effort %(score)s of 7 (hard) for the interaction of "
                "%(day)s with %(agent)s."
            )
            % values
        )
    return (
        gettext("A customer rated %(agent)s %(score)s of 5 for the interaction of %(day)s.")
        % values
    )


def job_label(params: Mapping[str, Any]) -> str:
    """A job in words, from its notification's parameters ("Import of calls.csv", "Forecast",
    "Schedule for the week of 7 December 2026")."""
    job = params.get("job")
    if job == "import":
        return gettext("Import of %(file)s") % {"file": _text(params.get("file"))}
    if job == "forecast":
        return gettext("Forecast")
    if job == "schedule":
        return gettext("Schedule for the week of %(first)s") % {"first": _date(params.get("week"))}
    return str(job or "")


#: How the apps above write their own words in a notification, registered in their `ready()`
#: (this app cannot import them): name → function of the stored value. "level": a service
#: level's key as its name with its rank ("Exceptional (level 3 of 4)").
WORDS: dict[str, Callable[[Any], str]] = {}


def _word(name: str, value: Any) -> str:
    """`value` in the words registered as `name`, or as it is stored."""
    write = WORDS.get(name)
    return write(value) if write is not None and value else str(value or "")


KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in [
        Kind(
            "shifts_published",
            gettext_lazy("My shifts were published"),
            gettext_lazy("each agent with shifts in the published week"),
            lambda p: (
                gettext("Your shifts for the week of %(week)s are published.")
                % {"week": _date(p.get("week"))}
            ),
        ),
        Kind(
            "shifts_changed",
            gettext_lazy("My published shifts changed"),
            gettext_lazy("the agent whose published shift was moved, added or removed"),
            lambda p: gettext("Your shift on %(day)s changed.") % {"day": _date(p.get("day"))},
        ),
        Kind(
            "swap_offered",
            gettext_lazy("A swap is offered to me"),
            gettext_lazy("the colleagues who could take the shift"),
            lambda p: (
                gettext("%(name)s offers you their shift on %(day)s.")
                % {"name": _text(p.get("name")), "day": _date(p.get("day"))}
            ),
        ),
        Kind(
            "swap_taken",
            gettext_lazy("My swap was taken"),
            gettext_lazy("the agent who offered the swap"),
            lambda p: (
                gettext("%(name)s took your shift on %(day)s; a manager will approve it.")
                % {"name": _text(p.get("name")), "day": _date(p.get("day"))}
            ),
        ),
        Kind(
            "swap_approved",
            gettext_lazy("A swap I am part of was approved"),
            gettext_lazy("both agents of the swap"),
            lambda p: (
                gettext("The swap of the shift on %(day)s was approved.")
                % {"day": _date(p.get("day"))}
            ),
        ),
        Kind(
            "swap_declined",
            gettext_lazy("A swap I am part of was declined"),
            gettext_lazy("both agents of the swap"),
            lambda p: (
                gettext("The swap of the shift on %(day)s was declined.")
                % {"day": _date(p.get("day"))}
            ),
        ),
        Kind(
            "job_finished",
            gettext_lazy("My import, forecast or schedule finished"),
            gettext_lazy("the person who started it"),
            lambda p: gettext("%(job)s finished.") % {"job": job_label(p)},
            email=False,
        ),
        Kind(
            "job_failed",
            gettext_lazy("My import, forecast or schedule failed"),
            gettext_lazy("the person who started it"),
            lambda p: (
                gettext("%(job)s failed: %(reason)s")
                % {"job": job_label(p), "reason": p.get("reason", "")}
            ),
        ),
        Kind(
            "goal_behind",
            gettext_lazy("A goal fell behind its plan"),
            gettext_lazy("the goal's owner and the organisation's managers"),
            lambda p: (
                gettext("The goal “%(goal)s” is behind its plan.") % {"goal": _text(p.get("goal"))}
            ),
        ),
        Kind(
            "goal_will_miss",
            gettext_lazy("A goal is projected to miss its deadline"),
            gettext_lazy("the goal's owner and the organisation's managers"),
            lambda p: (
                gettext(
                    "At its current pace the goal “%(goal)s” will miss its deadline of %(deadline)s."
                )
                % {"goal": _text(p.get("goal")), "deadline": _date(p.get("deadline"))}
            ),
        ),
        Kind(
            "goal_achieved",
            gettext_lazy("A goal was achieved"),
            gettext_lazy("the goal's owner and the organisation's managers"),
            lambda p: gettext("The goal “%(goal)s” was achieved.") % {"goal": _text(p.get("goal"))},
        ),
        Kind(
            "objective_assigned",
            gettext_lazy("An action step of a goal was given to me"),
            gettext_lazy("the member the action step is assigned to"),
            lambda p: (
                gettext(
                    "The action step “%(objective)s” of the goal “%(goal)s” is yours, due %(due)s."
                )
                % {
                    "objective": _text(p.get("objective")),
                    "goal": _text(p.get("goal")),
                    "due": _date(p.get("due")),
                }
                if p.get("due")
                else gettext("The action step “%(objective)s” of the goal “%(goal)s” is yours.")
                % {"objective": _text(p.get("objective")), "goal": _text(p.get("goal"))}
            ),
        ),
        Kind(
            "recognition_received",
            gettext_lazy("A colleague recognised my work"),
            gettext_lazy("the agent who is recognised"),
            lambda p: (
                gettext("%(name)s recognised your work: %(reason)s")
                % {"name": _text(p.get("name")), "reason": _text(p.get("reason"))}
            ),
        ),
        Kind(
            "level_changed",
            gettext_lazy("The level of service changed"),
            gettext_lazy("the organisation's managers and owners"),
            lambda p: (
                gettext("The level of service moved from %(before)s to %(after)s.")
                % {
                    "before": _word("level", p.get("before")),
                    "after": _word("level", p.get("after")),
                }
            ),
        ),
        Kind(
            "staffing_short",
            gettext_lazy("The published schedule leaves the coming week short"),
            gettext_lazy("the organisation's managers and owners"),
            lambda p: (
                gettext("The published schedule is short of the requirement from %(start)s.")
                % {"start": _moment(p.get("start"))}
            ),
        ),
        Kind(
            "pulse_open",
            gettext_lazy("A team pulse is open"),
            gettext_lazy("agents and the members linked to an agent record"),
            lambda p: (
                gettext("A short anonymous pulse is open until %(closes)s.")
                % {"closes": _date(p.get("closes"))}
            ),
        ),
        Kind(
            "quality_review_received",
            gettext_lazy("One of my interactions was reviewed"),
            gettext_lazy("the agent whose interaction was reviewed"),
            lambda p: (
                gettext("Your interaction of %(day)s was reviewed for quality.")
                % {"day": _date(p.get("day"))}
            ),
        ),
        Kind(
            "quality_review_disputed",
            gettext_lazy("An agent disputed a quality review"),
            gettext_lazy("the organisation's managers and owners"),
            lambda p: (
                gettext("%(agent)s disputes the quality review of their interaction of %(day)s.")
                % {"agent": _text(p.get("agent")), "day": _date(p.get("day"))}
            ),
        ),
        Kind(
            "quality_dispute_resolved",
            gettext_lazy("My dispute of a quality review was resolved"),
            gettext_lazy("the agent who disputed the review"),
            lambda p: (
                (
                    gettext(
                        "Your dispute of the review of %(day)s was upheld: the review was corrected."
                    )
                    if p.get("outcome") == "upheld"
                    else gettext(
                        "Your dispute of the review of %(day)s was rejected: the review stands."
                    )
                )
                % {"day": _date(p.get("day"))}
            ),
        ),
        Kind(
            "survey_low_score",
            gettext_lazy("A customer gave a low satisfaction score"),
            gettext_lazy("the organisation's managers and owners"),
            _low_score_text,
        ),
    ]
}

#: The periodic report; chosen by frequency on the preferences page, not per kind.
DIGEST = "digest"


def kind_choices() -> list[tuple[str, str | Promise]]:
    return [(kind.key, kind.label) for kind in KINDS.values()]
