"""Feedback's models, one module per part: surveys, invitations and answers (`surveys`),
personas (`personas`)."""

from .personas import Persona
from .surveys import (
    DEFAULT_EXPIRY_DAYS,
    INTERACTION_FIELDS,
    SCALES,
    QuestionKind,
    Survey,
    SurveyInvitation,
    SurveyQuestion,
    SurveyResponse,
    SurveyRules,
    SurveyVersion,
)

__all__ = [
    "DEFAULT_EXPIRY_DAYS",
    "INTERACTION_FIELDS",
    "SCALES",
    "Persona",
    "QuestionKind",
    "Survey",
    "SurveyInvitation",
    "SurveyQuestion",
    "SurveyResponse",
    "SurveyRules",
    "SurveyVersion",
]
