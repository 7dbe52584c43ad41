"""Errors the engine raises for unusable input, typed so callers need not read their text.

The engine has no translations. An `InputError` names the argument (`field`), the rule it
breaks (`code`) and the values a message needs (`params`); its text is an English sentence
for people calling the engine directly. Pages, the API and the command line turn the code
into their own translated sentence.
"""

from collections.abc import Mapping
from typing import Any

#: code → the English sentence of `InputError` (formatted with `field` and the params).
ENGLISH = {
    "positive": "{field} must be a positive number, got {value!r}.",
    "non_negative": "{field} must be zero or a positive number, got {value!r}.",
    "fraction": "{field} must be a fraction in {low}, {high}, got {value!r}.",
    "whole_non_negative": "The number of agents must be a whole number ≥ 0, got {value!r}.",
    "whole_at_least_one": "{field} must be a whole number ≥ 1, got {value!r}.",
    "patience_with_concurrency": "Erlang A (patience) and chat concurrency cannot be combined.",
    "interval_negative": "Interval {interval}: {field} must be zero or positive, got {value!r}.",
    "interval_not_positive": "Interval {interval}: {field} must be positive, got {value!r}.",
    "length_mismatch": "{field} must have one entry per interval.",
    "no_open_interval": "There is deferred work but no open interval to do it in.",
    # Quality rubrics and reviews (engine/quality.py); `field` is the criterion's key.
    "no_criteria": "{field} must have at least one criterion.",
    "duplicate_criterion": "{field}: the criterion {value!r} appears more than once.",
    "scale_too_small": "{field} needs a scale of at least two different points, got {value!r}.",
    "unknown_criterion": "{field} is not a criterion of this rubric.",
    "missing_answer": "{field} has no answer.",
    "not_in_scale": "{field} must be one of the points {points}, got {value!r}.",
    "not_applicable_not_allowed": "{field} cannot be marked not applicable.",
    "pair_mismatch": "{field} must pair one review with each of the other {other}, got {value}.",
}


class InputError(ValueError):
    """An argument the engine cannot use.

    `field` is the argument's name (``aht_seconds``), `code` a key of `ENGLISH` (``positive``)
    and `params` the values the sentence quotes (always ``value`` when there is one).
    """

    def __init__(self, field: str, code: str, **params: Any) -> None:
        self.field = field
        self.code = code
        self.params: Mapping[str, Any] = params
        super().__init__(ENGLISH[code].format(field=field, **params))
