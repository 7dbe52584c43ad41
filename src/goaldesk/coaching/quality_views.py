"""Quality review pages under /o/<org_slug>/team/quality/.

Who may do what: managers and owners review, keep rubrics and queue rules, correct reviews and
resolve disputes; an agent sees only the reviews of their own interactions (through their agent
record) and acknowledges or disputes them; viewers see no individual review (403). A review the
visitor may not see is 404, so its existence is not revealed.
"""

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from goaldesk.accounts.access import OrgRequest, org_view
from goaldesk.accounts.models import Role, today_in
from goaldesk.accounts.settings_views import add_service_error
from goaldesk.coaching import quality_selectors as selectors
from goaldesk.coaching import quality_services as services
from goaldesk.coaching.models import QualityReview, ReviewState, RubricVersion
from goaldesk.coaching.quality_forms import (
    CriterionFormSet,
    DisputeForm,
    QueueRulesForm,
    ResolveForm,
    ReviewForm,
    RubricForm,
    criteria_from,
    criterion_initial,
)
from goaldesk.core.forms import LocalDateField
from goaldesk.engine import quality as engine_quality
from goaldesk.interactions.models import Interaction
from goaldesk.team.models import Agent

#: The span of the calibration figure on the quality home page.
CALIBRATION_DAYS = 90


def _review_or_404(request: OrgRequest, review_id: int) -> QualityReview:
    review = selectors.review_for(
        organisation=request.org, membership=request.membership, review_id=review_id
    )
    if review is None:
        raise Http404
    return review


def _answers_error(form: Any, error: ValidationError) -> None:
    """A service error naming a criterion key is shown on that criterion's row."""
    if hasattr(error, "error_dict"):
        for field, problems in error.error_dict.items():
            name = f"c_{field}" if f"c_{field}" in form.fields else field
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error(None, error)


class _Filters:
    """The review list's filters (agent, from, to), read leniently: a bad value is reported."""

    def __init__(self, request: OrgRequest) -> None:
        self.problems: list[str] = []
        self.agent: Agent | None = None
        agent_id = request.GET.get("agent", "")
        if agent_id:
            self.agent = Agent.objects.filter(
                organisation=request.org, pk=agent_id if agent_id.isdigit() else 0
            ).first()
            if self.agent is None:
                self.problems.append(_("There is no such agent; showing every agent."))
        self.date_from = self._date(request, "from", _("From"))
        self.date_to = self._date(request, "to", _("To"))

    def _date(self, request: OrgRequest, name: str, label: str) -> dt.date | None:
        raw = request.GET.get(name, "")
        if not raw:
            return None
        field = LocalDateField(required=False)
        try:
            return field.clean(raw)
        except ValidationError:
            self.problems.append(
                _("%(field)s: “%(value)s” is not a date; it was left out.")
                % {"field": label, "value": raw}
            )
            return None


@org_view(Role.AGENT)
def quality_home(request: OrgRequest) -> HttpResponse:
    """Reviewers: the queue, disputes waiting, recent reviews, the calibration figure.
    Agents: the reviews of their own interactions."""
    organisation, membership = request.org, request.membership
    reviewer = selectors.is_reviewer(membership)
    filters = _Filters(request)
    for problem in filters.problems:
        messages.warning(request, problem)
    reviews = selectors.reviews_filtered(
        selectors.reviews_visible(organisation=organisation, membership=membership),
        agent=filters.agent if reviewer else None,
        date_from=filters.date_from,
        date_to=filters.date_to,
    )[:50]
    context: dict[str, Any] = {
        "nav": "team",
        "reviewer": reviewer,
        "reviews": reviews,
        "filters": filters,
    }
    if reviewer:
        today = today_in(organisation)
        context.update(
            queue=selectors.queue_waiting(organisation=organisation, reviewer=request.user),
            queue_total=selectors.queue_waiting_count(organisation=organisation),
            disputes=selectors.disputes_waiting(organisation=organisation),
            calibration=selectors.calibration_for(
                organisation=organisation, date_from=today - dt.timedelta(days=CALIBRATION_DAYS)
            ),
            calibration_days=CALIBRATION_DAYS,
            agents=Agent.objects.filter(organisation=organisation),
            has_rubric=bool(selectors.active_versions(organisation=organisation)),
        )
    else:
        context["own_agent"] = selectors.own_agents(
            organisation=organisation, user=request.user
        ).exists()
    return render(request, "coaching/quality/home.html", context)


@org_view(Role.MANAGER)
@require_POST
def queue_fill(request: OrgRequest) -> HttpResponse:
    added = services.queue_fill(organisation=request.org)
    messages.success(
        request,
        _("The queue was filled: %(count)s interactions added.") % {"count": added}
        if added
        else _("The queue is up to date: nothing new to add."),
    )
    return redirect("coaching:quality", org_slug=request.org.slug)


@org_view(Role.MANAGER)
def queue_rules(request: OrgRequest) -> HttpResponse:
    rules = selectors.quality_settings_for(request.org)
    form = QueueRulesForm(
        request.POST or None,
        initial={
            "sample_per_agent_week": rules.sample_per_agent_week,
            "low_csat": rules.low_csat,
            "negative_sentiment": rules.negative_sentiment,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.quality_settings_save(
                organisation=request.org,
                sample_per_agent_week=form.cleaned_data["sample_per_agent_week"],
                low_csat=form.cleaned_data["low_csat"],
                negative=form.cleaned_data["negative_sentiment"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The queue rules were saved."))
            return redirect("coaching:quality", org_slug=request.org.slug)
    return render(request, "coaching/quality/queue_rules.html", {"nav": "team", "form": form})


# --- rubrics --------------------------------------------------------------------------------


@org_view(Role.MANAGER)
def rubric_list(request: OrgRequest) -> HttpResponse:
    return render(
        request,
        "coaching/quality/rubrics.html",
        {"nav": "team", "rubrics": selectors.rubric_list(organisation=request.org)},
    )


def _rubric_page(
    request: OrgRequest, form: RubricForm, formset: Any, rubric: Any = None, version: Any = None
) -> HttpResponse:
    return render(
        request,
        "coaching/quality/rubric_form.html",
        {
            "nav": "team",
            "form": form,
            "formset": formset,
            "rubric": rubric,
            "version": version,
            "used": version is not None and version.reviews.exists(),
        },
    )


@org_view(Role.MANAGER)
def rubric_new(request: OrgRequest) -> HttpResponse:
    form = RubricForm(request.POST or None, initial={"active": True})
    formset = CriterionFormSet(request.POST or None, prefix="criteria")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            rubric = services.rubric_create(
                organisation=request.org,
                name=form.cleaned_data["name"],
                criteria=criteria_from(formset),
                user=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The rubric was created."))
            return redirect("coaching:rubric_edit", org_slug=request.org.slug, rubric_id=rubric.pk)
    return _rubric_page(request, form, formset)


@org_view(Role.MANAGER)
def rubric_edit(request: OrgRequest, rubric_id: int) -> HttpResponse:
    rubric = selectors.rubric_get(organisation=request.org, rubric_id=rubric_id)
    if rubric is None:
        raise Http404
    version = selectors.current_version(rubric)
    criteria = selectors.criteria_of(version) if version else []
    form = RubricForm(request.POST or None, initial={"name": rubric.name, "active": rubric.active})
    formset = CriterionFormSet(
        request.POST or None, prefix="criteria", initial=criterion_initial(criteria)
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            saved = services.rubric_update(
                rubric=rubric,
                name=form.cleaned_data["name"],
                active=form.cleaned_data["active"],
                criteria=criteria_from(formset),
                user=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if version is not None and saved.pk != version.pk:
                messages.success(
                    request,
                    _(
                        "Version %(number)s of the rubric was made; reviews already made keep "
                        "version %(old)s."
                    )
                    % {"number": saved.number, "old": version.number},
                )
            else:
                messages.success(request, _("The rubric was saved."))
            return redirect("coaching:rubric_edit", org_slug=request.org.slug, rubric_id=rubric.pk)
    return _rubric_page(request, form, formset, rubric, version)


# --- reviews --------------------------------------------------------------------------------


def _version_chosen(request: OrgRequest, versions: list[RubricVersion]) -> RubricVersion | None:
    wanted = request.POST.get("version") or request.GET.get("version") or ""
    for version in versions:
        if str(version.pk) == wanted:
            return version
    return versions[0] if versions else None


@org_view(Role.MANAGER)
def review_new(request: OrgRequest, pk: int) -> HttpResponse:
    """Score an interaction: the rubric's criteria as a table of radio buttons."""
    interaction = (
        Interaction.objects.select_related("agent", "team")
        .filter(organisation=request.org, pk=pk)
        .first()
    )
    if interaction is None:
        raise Http404
    mine = QualityReview.objects.filter(interaction=interaction, reviewer=request.user).first()
    if mine is not None:
        messages.info(request, _("You have already reviewed this interaction."))
        return redirect("coaching:review", org_slug=request.org.slug, review_id=mine.pk)
    versions = selectors.active_versions(organisation=request.org)
    version = _version_chosen(request, versions)
    form = None
    if version is not None:
        form = ReviewForm(
            request.POST if request.method == "POST" else None,
            criteria=selectors.criteria_of(version),
        )
        if request.method == "POST" and form.is_valid():
            try:
                review = services.review_create(
                    interaction=interaction,
                    reviewer=request.user,
                    version=version,
                    answers=form.answers(),
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as error:
                _answers_error(form, error)
            else:
                messages.success(request, _("The review was saved."))
                return redirect("coaching:review", org_slug=request.org.slug, review_id=review.pk)
    elif request.method == "POST":
        messages.error(request, _("There is no rubric in use yet: make one first."))
    others = QualityReview.objects.filter(interaction=interaction).count()
    return render(
        request,
        "coaching/quality/review_form.html",
        {
            "nav": "team",
            "interaction": interaction,
            "versions": versions,
            "version": version,
            "form": form,
            "others": others,
        },
    )


def _review_page(request: OrgRequest, review: QualityReview, **forms: Any) -> HttpResponse:
    membership = request.membership
    reviewer = selectors.is_reviewer(membership)
    is_agent = review.agent is not None and review.agent.user_id == request.user.pk
    criteria = selectors.criteria_of(review.rubric_version)
    answers = {a.criterion_id: a for a in review.answers.all()}
    result = engine_quality.review_score(
        selectors.engine_rubric(review.rubric_version), selectors.answers_of(review)
    )
    rows = [(c, answers.get(c.pk), result.scaled.get(c.key)) for c in criteria]
    context = {
        "nav": "team",
        "review": review,
        "rows": rows,
        "failed_critical": [c for c in criteria if c.key in result.failed_critical],
        "reviewer": reviewer,
        "can_answer": is_agent and review.state == ReviewState.SUBMITTED,
        "can_resolve": reviewer and review.state == ReviewState.DISPUTED,
        "can_edit": reviewer and review.state == ReviewState.SUBMITTED,
        "dispute_form": forms.get("dispute_form") or DisputeForm(),
        "resolve_form": forms.get("resolve_form")
        or ResolveForm(criteria=criteria, review=review, prefix="resolve"),
        "others": QualityReview.objects.filter(interaction=review.interaction)
        .exclude(pk=review.pk)
        .select_related("reviewer")
        if reviewer
        else [],
    }
    return render(request, "coaching/quality/review.html", context)


@org_view(Role.AGENT)
def review_detail(request: OrgRequest, review_id: int) -> HttpResponse:
    return _review_page(request, _review_or_404(request, review_id))


@org_view(Role.MANAGER)
def review_edit(request: OrgRequest, review_id: int) -> HttpResponse:
    """Correct a review that the agent has not answered yet."""
    review = _review_or_404(request, review_id)
    if review.state != ReviewState.SUBMITTED:
        messages.error(
            request, _("This review has been answered by the agent; it can no longer be edited.")
        )
        return redirect("coaching:review", org_slug=request.org.slug, review_id=review.pk)
    criteria = selectors.criteria_of(review.rubric_version)
    form = ReviewForm(
        request.POST if request.method == "POST" else None, criteria=criteria, review=review
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.review_correct(
                review=review, answers=form.answers(), comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            _answers_error(form, error)
        else:
            messages.success(request, _("The review was corrected."))
            return redirect("coaching:review", org_slug=request.org.slug, review_id=review.pk)
    return render(
        request,
        "coaching/quality/review_form.html",
        {
            "nav": "team",
            "interaction": review.interaction,
            "version": review.rubric_version,
            "versions": [],
            "form": form,
            "review": review,
        },
    )


@org_view(Role.MANAGER)
@require_POST
def review_delete(request: OrgRequest, review_id: int) -> HttpResponse:
    review = _review_or_404(request, review_id)
    if request.POST.get("confirm") != "1":
        messages.error(request, _("Tick the box to confirm that the review should be deleted."))
        return redirect("coaching:review", org_slug=request.org.slug, review_id=review.pk)
    services.review_delete(review=review)
    messages.success(request, _("The review was deleted."))
    return redirect("coaching:quality", org_slug=request.org.slug)


@org_view(Role.AGENT)
@require_POST
def review_acknowledge(request: OrgRequest, review_id: int) -> HttpResponse:
    review = _review_or_404(request, review_id)
    try:
        services.review_acknowledge(review=review, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("You acknowledged the review."))
    return redirect("coaching:review", org_slug=request.org.slug, review_id=review.pk)


@org_view(Role.AGENT)
@require_POST
def review_dispute(request: OrgRequest, review_id: int) -> HttpResponse:
    review = _review_or_404(request, review_id)
    form = DisputeForm(request.POST)
    if form.is_valid():
        try:
            services.review_dispute(
                review=review, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Your dispute was sent to the managers."))
            return redirect("coaching:review", org_slug=request.org.slug, review_id=review.pk)
    return _review_page(request, review, dispute_form=form)


@org_view(Role.MANAGER)
@require_POST
def review_resolve(request: OrgRequest, review_id: int) -> HttpResponse:
    review = _review_or_404(request, review_id)
    criteria = selectors.criteria_of(review.rubric_version)
    form = ResolveForm(request.POST, criteria=criteria, review=review, prefix="resolve")
    if form.is_valid():
        outcome = form.cleaned_data["outcome"]
        try:
            services.review_resolve(
                review=review,
                user=request.user,
                outcome=outcome,
                note=form.cleaned_data["note"],
                answers=form.answers() if outcome == "upheld" else None,
            )
        except ValidationError as error:
            _answers_error(form, error)
        else:
            messages.success(request, _("The dispute was resolved."))
            return redirect("coaching:review", org_slug=request.org.slug, review_id=review.pk)
    return _review_page(request, review, resolve_form=form)


@org_view(Role.MANAGER)
def calibration(request: OrgRequest) -> HttpResponse:
    filters = _Filters(request)
    for problem in filters.problems:
        messages.warning(request, problem)
    summary = selectors.calibration_for(
        organisation=request.org, date_from=filters.date_from, date_to=filters.date_to
    )
    return render(
        request,
        "coaching/quality/calibration.html",
        {"nav": "team", "summary": summary, "filters": filters},
    )
