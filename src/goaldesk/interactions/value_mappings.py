"""Values an organisation's files write that GoalDesk does not know, and what they mean.

A channel called "Self service", a status "Awaiting User Info": neither the canonical
vocabulary (records.py CHANNELS, STATUSES, OUTCOMES, SENTIMENTS, matched whatever the case,
spaces or hyphens) nor the preset's value table understands them, so their rows would be
rejected. The mapping step lists each such value found in the file's first rows (and a dry run
counts them over the whole file); the manager maps each once to a canonical value, to "leave
empty" or to "reject the row". The choice is a `ValueMapping` of the organisation, applied to
every later import whatever its preset: a job keeps the organisation's mappings in its mapping
("_value_map": {canonical field: {source: target}}) when it starts, so the worker, a resume
and the command line read the same. A preset's own value table wins over a saved mapping.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from goaldesk.interactions.models import ValueMapping
from goaldesk.interactions.records import CHANNELS, OUTCOMES, SENTIMENTS, STATUSES

REJECT = ValueMapping.REJECT
#: vocabulary → its canonical values
VOCABULARIES: dict[str, tuple[str, ...]] = {
    "channel": CHANNELS,
    "status": STATUSES,
    "outcome": OUTCOMES,
    "sentiment": SENTIMENTS,
}
#: canonical field → its vocabulary
FIELD_VOCABULARY: dict[str, str] = {
    "channel": "channel",
    "status": "status",
    "outcome": "outcome",
    "sentiment_start": "sentiment",
    "sentiment_end": "sentiment",
}
#: vocabulary → the first canonical field that uses it
FIELD_VOCABULARY_FIRST: dict[str, str] = {}
for _field, _vocabulary in FIELD_VOCABULARY.items():
    FIELD_VOCABULARY_FIRST.setdefault(_vocabulary, _field)

#: Distinct unknown values a job counts per field (the rest are counted under none).
UNKNOWN_LISTED = 200
#: Longest value kept (ValueMapping.source).
SOURCE_CHARS = 200

_SEPARATORS = str.maketrans({"-": "_", " ": "_"})


def fold_value(value: object) -> str:
    """A file's value as value tables compare it: trimmed and lower-cased."""
    return str(value).strip().lower()


def is_canonical(field_name: str, value: object) -> bool:
    """Whether the canonical vocabulary reads `value` in `field_name` (as records.py does)."""
    key = fold_value(value).translate(_SEPARATORS)
    return not key or key in VOCABULARIES[FIELD_VOCABULARY[field_name]]


# --- selectors ------------------------------------------------------------------------------


def value_mappings_of(organisation: Any) -> list[ValueMapping]:
    return list(ValueMapping.objects.filter(organisation=organisation).order_by("field", "source"))


def organisation_value_map(organisation: Any) -> dict[str, dict[str, str]]:
    """{canonical field: {folded source: target}} of the organisation's saved mappings."""
    by_vocabulary: dict[str, dict[str, str]] = {}
    for item in ValueMapping.objects.filter(organisation=organisation).values_list(
        "field", "source", "target"
    ):
        vocabulary, source, target = item
        by_vocabulary.setdefault(vocabulary, {})[source] = target
    return {
        field_name: dict(by_vocabulary[vocabulary])
        for field_name, vocabulary in FIELD_VOCABULARY.items()
        if vocabulary in by_vocabulary
    }


def unknown_values(
    rows: Iterable[Mapping[str, Any]],
    columns: Mapping[str, str],
    *,
    transforms: Mapping[str, Any],
    value_map: Mapping[str, Mapping[str, str]],
) -> dict[str, dict[str, int]]:
    """{vocabulary: {value as first written: rows}} of the values in `rows` that neither the
    canonical vocabulary, the preset (`transforms`: its values and empty texts) nor the saved
    mappings understand; a vocabulary counts both sentiment columns together."""
    preset_values = transforms.get("values") or {}
    empty = {fold_value(v) for v in transforms.get("empty_values") or ()}
    found: dict[str, dict[str, int]] = {}
    folded_seen: dict[tuple[str, str], str] = {}
    for row in rows:
        for field_name, vocabulary in FIELD_VOCABULARY.items():
            header = columns.get(field_name)
            if not header:
                continue
            value = row.get(header)
            if value is None:
                continue
            key = fold_value(value)
            if (
                key in empty
                or key in (preset_values.get(field_name) or {})
                or key in (value_map.get(field_name) or {})
                or is_canonical(field_name, value)
            ):
                continue
            shown = folded_seen.setdefault((vocabulary, key), str(value).strip())
            counts = found.setdefault(vocabulary, {})
            counts[shown] = counts.get(shown, 0) + 1
    return found


def target_choices(vocabulary: str) -> list[tuple[str, str]]:
    """(value, label) of what a value of `vocabulary` can be mapped to, for a select."""
    return [
        *((value, value) for value in VOCABULARIES[vocabulary]),
        ("", _("leave empty")),
        (REJECT, _("reject the row")),
    ]


# --- services -------------------------------------------------------------------------------


class ValueMappingError(ValueError):
    """A value mapping that cannot be saved; the message says why."""


def check_target(vocabulary: str, target: str) -> str:
    """`target` when a value of `vocabulary` may be mapped to it; ValueMappingError else."""
    if vocabulary not in VOCABULARIES:
        raise ValueMappingError(
            _("“%(field)s” has no list of values to map.") % {"field": vocabulary}
        )
    if target not in ("", REJECT, *VOCABULARIES[vocabulary]):
        raise ValueMappingError(
            _("“%(value)s” is not a value of %(field)s; use one of: %(choices)s.")
            % {
                "value": target,
                "field": vocabulary,
                "choices": ", ".join(f"“{c}”" for c in VOCABULARIES[vocabulary]),
            }
        )
    return target


@transaction.atomic
def value_mapping_set(
    *, organisation: Any, field: str, source: str, target: str, user: Any = None
) -> ValueMapping:
    """Save (or change) what the organisation's files mean by `source` in `field` (a
    vocabulary, or a canonical field such as sentiment_end). Raises ValueMappingError."""
    vocabulary = FIELD_VOCABULARY.get(field, field)
    check_target(vocabulary, target)
    folded = fold_value(source)[:SOURCE_CHARS]
    if not folded:
        raise ValueMappingError(_("An empty value needs no mapping: it is read as empty."))
    if is_canonical(FIELD_VOCABULARY_FIRST[vocabulary], folded):
        raise ValueMappingError(
            _("“%(value)s” is already a value of %(field)s.")
            % {"value": source, "field": vocabulary}
        )
    mapping, _created = ValueMapping.objects.update_or_create(
        organisation=organisation,
        field=vocabulary,
        source=folded,
        defaults={"target": target, "created_by": user},
    )
    return mapping


@transaction.atomic
def value_mapping_delete(*, mapping: ValueMapping) -> None:
    mapping.delete()


def read_values_file(spec: Any) -> dict[str, dict[str, str]]:
    """{canonical field: {folded source: target}} from a `--values` JSON file's content
    ({"channel": {"Self service": "web"}, "sentiment": {...}}); ValueMappingError when a
    field or target is not one that can be mapped."""
    if not isinstance(spec, dict):
        raise ValueMappingError(_("The values file must hold an object {field: {value: value}}."))
    result: dict[str, dict[str, str]] = {}
    for field_name, table in spec.items():
        vocabulary = FIELD_VOCABULARY.get(field_name, field_name)
        if vocabulary not in VOCABULARIES or not isinstance(table, dict):
            raise ValueMappingError(
                _("“%(field)s” cannot be mapped; the values file maps %(fields)s.")
                % {"field": field_name, "fields": ", ".join(VOCABULARIES)}
            )
        folded = {fold_value(k): check_target(vocabulary, str(v)) for k, v in table.items()}
        fields = [f for f, v in FIELD_VOCABULARY.items() if v == vocabulary]
        if field_name in FIELD_VOCABULARY and field_name not in VOCABULARIES:
            fields = [field_name]
        for name in fields:
            result.setdefault(name, {}).update(folded)
    return result
