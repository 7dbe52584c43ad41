"""Writes of customers and segments (keyword-only, each in a transaction)."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from goaldesk.accounts.models import Organisation
from goaldesk.customers.models import Customer, Segment
from goaldesk.customers.signals import segment_deleting, segment_renamed

#: Keys per INSERT of `customers_ensure` (4 parameters each; SQLite allows 32,766).
ENSURE_CHUNK = 500

#: The customer fields a file or a form sets besides the key and the attributes.
CUSTOMER_FIELDS = ("name", "email", "phone", "language")


class SegmentError(ValueError):
    """A segment that cannot be saved (message translated)."""


def _column(meta: Any, name: str) -> str:
    """The database column of the model field `name`."""
    column: str = meta.get_field(name).column
    return column


def customers_ensure(*, organisation: Organisation, keys: Iterable[str]) -> int:
    """Create an empty record for each customer key the organisation has none for (the
    interactions' write path calls this once per batch with the batch's new keys); returns how
    many keys were asked about.

    One INSERT … ON CONFLICT DO NOTHING per ENSURE_CHUNK keys (SQLite and PostgreSQL both
    have it), written as SQL: the ORM's bulk_create spends about 0.2 ms a row preparing
    model instances, which an import of 20,000 rows a second cannot afford."""
    wanted = sorted({key for key in keys if key})
    if not wanted:
        return 0
    meta = Customer._meta
    quote = connection.ops.quote_name
    columns = ("organisation_id", "key", "name", "email", "phone", "language", "attributes")
    names = ", ".join(quote(_column(meta, c)) for c in columns)
    stamps = ", ".join(quote(_column(meta, c)) for c in ("created_at", "updated_at"))
    now = timezone.now()
    # Constants as literals, so that PostgreSQL types them from the columns (text, jsonb).
    row = "(%s, %s, '', '', '', '', '{}', %s, %s)"
    with connection.cursor() as cursor:
        for start in range(0, len(wanted), ENSURE_CHUNK):
            chunk = wanted[start : start + ENSURE_CHUNK]
            params: list[Any] = []
            for key in chunk:
                params += [organisation.pk, key, now, now]
            cursor.execute(
                f"INSERT INTO {quote(meta.db_table)} ({names}, {stamps}) VALUES "  # noqa: S608
                + ", ".join([row] * len(chunk))
                + " ON CONFLICT DO NOTHING",
                params,
            )
    return len(wanted)


@dataclass
class CustomerData:
    """One customer as a file row or a form gives it (blank fields leave what is stored)."""

    key: str
    name: str = ""
    email: str = ""
    phone: str = ""
    language: str = ""
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass
class CustomersResult:
    created: int = 0
    updated: int = 0


def customers_upsert(
    *, organisation: Organisation, records: Sequence[CustomerData]
) -> CustomersResult:
    """Create or update customers by key. A blank field keeps what the record has; attributes
    are merged (a blank value removes that attribute only when `records` says so explicitly
    with the value None). The last of repeated keys wins."""
    latest: dict[str, CustomerData] = {}
    for record in records:
        latest[record.key] = record
    result = CustomersResult()
    with transaction.atomic():
        existing = {
            c.key: c
            for c in Customer.objects.select_for_update().filter(
                organisation=organisation, key__in=list(latest)
            )
        }
        new: list[Customer] = []
        changed: list[Customer] = []
        for key, record in latest.items():
            customer = existing.get(key) or Customer(organisation=organisation, key=key)
            for name in CUSTOMER_FIELDS:
                value = getattr(record, name)
                if value:
                    setattr(customer, name, value)
            attributes = dict(customer.attributes or {})
            for name, value in record.attributes.items():
                if value is None:
                    attributes.pop(name, None)
                elif value != "":
                    attributes[name] = value
            customer.attributes = attributes
            (changed if customer.pk else new).append(customer)
        Customer.objects.bulk_create(new, batch_size=500)
        Customer.objects.bulk_update(
            changed, [*CUSTOMER_FIELDS, "attributes", "updated_at"], batch_size=500
        )
        result.created, result.updated = len(new), len(changed) + len(records) - len(latest)
    return result


def customer_update(*, customer: Customer, values: Mapping[str, Any]) -> Customer:
    """Set the customer's name, e-mail, phone, language and attributes from `values`."""
    with transaction.atomic():
        for name in CUSTOMER_FIELDS:
            if name in values:
                setattr(customer, name, (values[name] or "").strip())
        if "attributes" in values:
            customer.attributes = {
                str(k).strip(): str(v).strip()
                for k, v in (values["attributes"] or {}).items()
                if str(k).strip() and str(v).strip()
            }
        customer.save()
    return customer


def segment_save(
    *,
    organisation: Organisation,
    name: str,
    description: str = "",
    rules: list[dict[str, Any]],
    segment: Segment | None = None,
) -> Segment:
    """Create a segment (or change `segment`); SegmentError when the name is taken."""
    name = " ".join(name.split())
    if not name:
        raise SegmentError(_("A segment needs a name."))
    taken = Segment.objects.filter(organisation=organisation, name__iexact=name)
    if segment is not None:
        taken = taken.exclude(pk=segment.pk)
    if taken.exists():
        raise SegmentError(_("There is already a segment called “%(name)s”.") % {"name": name})
    segment = segment or Segment(organisation=organisation)
    old_name = segment.name if segment.pk else ""
    segment.name, segment.description, segment.rules = name, description.strip(), rules
    try:
        with transaction.atomic():
            segment.save()
            if old_name and old_name != name:
                segment_renamed.send(sender=Segment, segment=segment, old_name=old_name)
    except IntegrityError as error:
        raise SegmentError(
            _("There is already a segment called “%(name)s”.") % {"name": name}
        ) from error
    return segment


def segment_delete(*, segment: Segment) -> None:
    """Delete `segment`; SegmentError naming what still uses it (goals scoped to it)."""
    users = sorted(
        name
        for _receiver, names in segment_deleting.send(sender=Segment, segment=segment)
        for name in names or []
    )
    if users:
        raise SegmentError(
            _("The segment is still used by: %(names)s. Change those first.")
            % {"names": ", ".join(f"“{name}”" for name in users)}
        )
    with transaction.atomic():
        segment.delete()
