from django import template

from goaldesk.feedback.models import SurveyQuestion
from goaldesk.feedback.survey_selectors import question_text as _question_text

register = template.Library()


@register.simple_tag
def question_text(question: SurveyQuestion, language: str) -> str:
    """The question in `language` (its own text, else the built-in wording)."""
    return _question_text(question, language)
