"""Writes of interactions, agents, teams and reviews.

INTERFACE (implementation in progress).
"""

from collections.abc import Sequence
from dataclasses import dataclass

from goaldesk.accounts.models import Organisation
from goaldesk.interactions.models import ImportJob
from goaldesk.interactions.records import InteractionData


@dataclass
class UpsertResult:
    created: int
    updated: int


def interactions_upsert(
    *, organisation: Organisation, records: Sequence[InteractionData], import_job: ImportJob | None = None
) -> UpsertResult:
    """Insert or update (by external_id) `records` in one transaction, with derived columns.

    Agents and teams named in the records are created when new. Returns how many rows were new
    and how many existed already.
    """
    raise NotImplementedError
