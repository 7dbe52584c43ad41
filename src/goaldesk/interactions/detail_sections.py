"""Sections that apps above interactions add to one interaction's page.

interactions may not import the apps above it (knowledge, feedback…), yet an interaction they
created can carry what only they know: the message a visitor wrote in the help centre's
"contact us" form, the article they came from. Such an app registers, in its
`AppConfig.ready()`, one provider (`register("knowledge.contact", provider)`, as
metrics/providers.py does for metrics); the page calls every provider and shows what they give.

provider(*, interaction, membership) → a `DetailSection` (a template of the registering app and
its context) or None when it has nothing to say about this interaction. `membership` is the
reader's membership of the interaction's organisation, so a provider can leave out what the
reader's role may not see.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from goaldesk.accounts.models import Membership
from goaldesk.interactions.models import Interaction


@dataclass(frozen=True)
class DetailSection:
    template: str
    context: Mapping[str, Any] = field(default_factory=dict)


SectionProvider = Callable[..., DetailSection | None]

_PROVIDERS: dict[str, SectionProvider] = {}


def register(key: str, provider: SectionProvider) -> None:
    """Add `provider`'s section to every interaction's page (registering a key again replaces
    its provider)."""
    _PROVIDERS[key] = provider


def detail_sections(*, interaction: Interaction, membership: Membership) -> list[DetailSection]:
    """The sections the registered apps give for `interaction`, in the order they registered."""
    found = (
        provider(interaction=interaction, membership=membership) for provider in _PROVIDERS.values()
    )
    return [section for section in found if section is not None]
