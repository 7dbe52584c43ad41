"""Feedback's models, one module per part: surveys, invitations and answers (`surveys`),
personas (`personas`)."""

from goaldesk.feedback.models.personas import Persona as Persona
