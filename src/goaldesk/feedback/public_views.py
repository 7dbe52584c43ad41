"""The survey page a customer opens from an invitation: /s/<token>/, outside any organisation.

Opening it (GET) never changes anything (mail scanners open every link); the answer is one POST,
recorded once. An unknown, tampered or expired link is a plain 404. A signed-in member of the
organisation is shown the survey but cannot answer it (their own organisation's work).
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from goaldesk.accounts.access import reading_as
from goaldesk.accounts.models import Membership
from goaldesk.accounts.throttling import client_ip_address
from goaldesk.core.display import lnum
from goaldesk.core.throttle import throttle_hit, wait_minutes

from . import survey_selectors as selectors
from . import survey_services as services
from .models import SCALES, QuestionKind, SurveyInvitation


def _questions(invitation: SurveyInvitation, language: str, values: dict, problems: dict) -> list:
    rows = []
    for question in invitation.version.questions.all():
        field = f"q{question.pk}"
        row = {
            "field": field,
            "kind": question.kind,
            "text": selectors.question_text(question, language),
            "required": question.required,
            "value": str(values.get(field, "")),
            "problem": problems.get(field, ""),
        }
        if question.kind in SCALES:
            low, high = SCALES[question.kind]
            row["choices"] = [(str(n), lnum(n)) for n in range(low, high + 1)]
            row["low_label"], row["high_label"] = _scale_ends(question.kind)
        elif question.kind == QuestionKind.CHOICE:
            row["choices"] = [
                (str(i), text) for i, text in enumerate(selectors.option_texts(question, language))
            ]
        rows.append(row)
    return rows


def _scale_ends(kind: str) -> tuple[str, str]:
    if kind == QuestionKind.NPS:
        return _("Not at all likely"), _("Extremely likely")
    if kind == QuestionKind.CES:
        return _("Very difficult"), _("Very easy")
    return _("Very dissatisfied"), _("Very satisfied")


def _is_member(request: HttpRequest, invitation: SurveyInvitation) -> bool:
    return bool(
        request.user.is_authenticated
        and Membership.objects.filter(
            user=request.user, organisation_id=invitation.organisation_id
        ).exists()
    )


@require_http_methods(["GET", "HEAD", "POST"])
def survey_page(request: HttpRequest, token: str) -> HttpResponse:
    invitation = selectors.invitation_by_token(token)
    if invitation is None:
        raise Http404
    language = invitation.language
    with reading_as(None, invitation.organisation), translation.override(language):
        context = {
            "invitation": invitation,
            "organisation": invitation.organisation,
            "member": _is_member(request, invitation),
            "answered": invitation.answered_at is not None,
        }
        status = 200
        wait_for = 0  # minutes, when the answers were refused for coming too often
        values = request.POST if request.method == "POST" else {}
        problems: dict[str, str] = {}
        if request.method == "POST":
            if context["member"]:
                status = 403
            elif context["answered"]:
                context["refused"] = True
                status = 409
            elif wait := throttle_hit(scope="survey_answer", keys=[client_ip_address(request)]):
                # the answers stay in the form below, to send again once the wait is over
                wait_for = context["throttled_minutes"] = wait_minutes(wait)
                status = 429
            else:
                answers, problems = services.answers_clean(invitation.version, values, language)
                if not problems:
                    try:
                        services.response_submit(
                            invitation=invitation, answers=answers, language=language
                        )
                    except services.SurveyAnswered:
                        context["refused"] = True
                        context["answered"] = True
                        status = 409
                    else:
                        return render(request, "feedback/public/thanks.html", context, status=200)
                else:
                    status = 400
        context["questions"] = _questions(invitation, language, dict(values.items()), problems)
        context["problems"] = problems
        response = render(request, "feedback/public/survey.html", context, status=status)
    response["Cache-Control"] = "no-store"
    # Not "no-referrer": the browser would send "Origin: null" and CSRF would refuse the POST.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    if wait_for:
        response["Retry-After"] = str(wait_for * 60)
    return response
