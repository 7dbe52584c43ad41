"""Pulse pages under /o/<org_slug>/team/pulse/.

Who may do what: the people asked (agents, and members linked to an agent record) answer;
agents and above see the results, in aggregate only; managers and owners change the settings
and open a round now.
"""

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from goaldesk.accounts.access import OrgRequest, org_view
from goaldesk.accounts.models import Role, today_in
from goaldesk.core.display import digits, ldate
from goaldesk.goals import presenters as goal_presenters
from goaldesk.goals import selectors as goal_selectors
from goaldesk.interactions.selectors import category_names

from . import pulse_selectors as selectors
from . import pulse_services as services
from .models.pulse import PULSE_MIN_ANSWERS
from .pulse_forms import PulseAnswerForm, PulseSettingsForm


def _chart(results: list[selectors.RoundResult]) -> dict[str, Any]:
    def rounded(value: float | None, digits: int = 2) -> float | None:
        return None if value is None else round(value, digits)

    return {
        "rtl": bool(get_language_bidi()),
        "labels": [ldate(r.round.opens_on) for r in results],
        "workload": [rounded(r.workload) for r in results],
        "fairness": [rounded(r.fairness) for r in results],
        "confidence": [rounded(r.confidence) for r in results],
        "enps": [rounded(r.enps, 0) for r in results],
        "text": {
            "workload": digits(_("Workload (1–5)")),
            "fairness": digits(_("Fairness of the schedule (1–5)")),
            "confidence": digits(_("Confidence in the goals (1–5)")),
            "enps": digits(_("eNPS (−100 to 100)")),
        },
    }


@org_view(Role.AGENT)
def pulse_results(request: OrgRequest) -> HttpResponse:
    org = request.org
    today = today_in(org)
    results = selectors.pulse_trend(organisation=org, today=today)
    categories = category_names(organisation=org)
    goals = [
        goal_presenters.goal_row(
            goal, goal_selectors.progress_for(goal, full=False), categories=categories
        )
        for goal in goal_selectors.active_goals(organisation=org)
    ]
    current = selectors.round_open(organisation=org, today=today)
    context = {
        "nav": "team",
        "settings": selectors.pulse_settings_for(org),
        "results": list(reversed(results)),
        "closed_results": [r for r in results if not r.is_open],
        "current": current,
        "asked": selectors.is_asked(organisation=org, user=request.user),
        "answered": current is not None
        and selectors.has_answered(pulse_round=current, user=request.user),
        "goals": goals,
        "chart": _chart([r for r in results if not r.is_open]),
        "minimum": PULSE_MIN_ANSWERS,
        "can_manage": request.membership.allows(Role.MANAGER),
    }
    return render(request, "coaching/pulse/results.html", context)


@org_view(Role.VIEWER)
def pulse_answer(request: OrgRequest) -> HttpResponse:
    """The open round's three questions for a person asked (GET shows, POST answers)."""
    org = request.org
    today = today_in(org)
    current = selectors.round_open(organisation=org, today=today)
    asked = selectors.is_asked(organisation=org, user=request.user)
    answered = current is not None and selectors.has_answered(
        pulse_round=current, user=request.user
    )
    form = PulseAnswerForm()
    if request.method == "POST":
        form = PulseAnswerForm(request.POST)
        if form.is_valid():
            try:
                services.pulse_answer_submit(
                    organisation=org, user=request.user, today=today, **form.cleaned_data
                )
            except services.PulseRefused as refused:
                messages.error(request, str(refused))
            else:
                messages.success(request, _("Thank you! Your answer was counted anonymously."))
            return redirect("coaching:pulse_answer", org_slug=org.slug)
        if current is None or not asked or answered:
            # Nothing to correct: say why the answer cannot be taken.
            messages.error(
                request,
                _("No round of the pulse is open now.")
                if current is None
                else _("The pulse asks agents only; you are not asked.")
                if not asked
                else _("You have already answered this round. Thank you!"),
            )
            return redirect("coaching:pulse_answer", org_slug=org.slug)
    context = {
        "nav": "team",
        "current": current,
        "asked": asked,
        "answered": answered,
        "form": form,
        "minimum": PULSE_MIN_ANSWERS,
    }
    return render(request, "coaching/pulse/answer.html", context)


@org_view(Role.MANAGER)
def pulse_settings(request: OrgRequest) -> HttpResponse:
    org = request.org
    current = selectors.pulse_settings_for(org)
    if request.method == "POST":
        form = PulseSettingsForm(request.POST, instance=current)
        if form.is_valid():
            services.pulse_settings_save(
                organisation=org,
                enabled=form.cleaned_data["enabled"],
                every_weeks=form.cleaned_data["every_weeks"],
                open_days=form.cleaned_data["open_days"],
            )
            messages.success(request, _("The pulse settings were saved."))
            return redirect("coaching:pulse_settings", org_slug=org.slug)
    else:
        form = PulseSettingsForm(instance=current)
    context = {
        "nav": "team",
        "form": form,
        "asked_count": selectors.people_asked(organisation=org).count(),
        "current": selectors.round_open(organisation=org, today=today_in(org)),
    }
    return render(request, "coaching/pulse/settings.html", context)


@org_view(Role.MANAGER)
@require_POST
def pulse_open(request: OrgRequest) -> HttpResponse:
    """Open a round now (the next ones follow every one or two weeks from it)."""
    org = request.org
    try:
        pulse_round = services.pulse_round_open(organisation=org)
    except services.PulseRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            _("A round of the pulse is open until %(day)s; the people asked were told.")
            % {"day": ldate(pulse_round.closes_on, "long")},
        )
    return redirect("coaching:pulse", org_slug=org.slug)
