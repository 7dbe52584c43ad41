"""Customers (one record per customer key the interactions carry) and segments (saved rules
over their attributes and behaviour).

A customer's contacts (first, last, how many, latest CSAT) are not stored here: they are read
from the interactions when shown (`interactions.segments.customer_activity`), so an edited or
deleted interaction never leaves a stale figure. The interactions' write path only makes sure
a record exists for every key it writes (`customers_ensure`, one INSERT … ON CONFLICT DO
NOTHING per batch).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from goaldesk.accounts.models import Organisation


class Customer(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="customers", db_index=False
    )
    #: the key interactions carry in `customer_id`
    key = models.CharField(_("customer key"), max_length=150)
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.CharField(_("e-mail"), max_length=254, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    language = models.CharField(_("language"), max_length=16, blank=True)
    #: whatever the organisation keeps: {"tier": "gold", "city": "Shiraz", …} (text values)
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["key"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "key"], name="customer_unique_key")
        ]

    def __str__(self) -> str:
        return self.name or self.key


class RuleKind(models.TextChoices):
    ATTRIBUTE = "attribute", _("Attribute is")
    CONTACTS = "contacts", _("Contacts in the last days")
    LAST_CSAT = "last_csat", _("Last CSAT at most")
    RETURNED = "returned", _("Came back within days")


class Segment(models.Model):
    """A saved set of rules; a customer is in the segment when every rule holds.

    `rules` is a list of {"kind": RuleKind, …}:
    - {"kind": "attribute", "field": "tier", "value": "gold"} (case ignored; "language" is the
      record's language, any other field one of its attributes);
    - {"kind": "contacts", "at_least": 3, "days": 90}: that many contacts in the last days;
    - {"kind": "last_csat", "at_most": 2}: the latest interaction with a CSAT rated it so;
    - {"kind": "returned", "days": 7}: some interaction was followed by the customer's next one
      about the same category within the days (the repeat contact of first-contact resolution).
    Evaluated by `interactions.segments` (behaviour needs the interactions).
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="segments"
    )
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    rules = models.JSONField(_("rules"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("segment")
        verbose_name_plural = _("segments")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="segment_unique_name")
        ]

    def __str__(self) -> str:
        return self.name
