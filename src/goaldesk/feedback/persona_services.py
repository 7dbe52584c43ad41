"""Writes of personas."""

from django.db import transaction

from goaldesk.customers.models import Segment
from goaldesk.feedback.models import Persona


def persona_save(*, segment: Segment, name: str, description: str = "") -> Persona:
    """Create or change the persona card of `segment`."""
    with transaction.atomic():
        persona, _created = Persona.objects.update_or_create(
            segment=segment,
            defaults={"name": " ".join(name.split()), "description": description.strip()},
        )
    return persona
