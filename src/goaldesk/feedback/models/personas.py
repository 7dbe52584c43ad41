"""Personas: a card per customer segment, with a name and description a manager writes (the
figures beside them are read from the segment's interactions when the card is shown)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from goaldesk.customers.models import Segment


class Persona(models.Model):
    segment = models.OneToOneField(Segment, on_delete=models.CASCADE, related_name="persona")
    name = models.CharField(_("persona name"), max_length=100)
    description = models.TextField(_("who they are"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("persona")
        verbose_name_plural = _("personas")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
