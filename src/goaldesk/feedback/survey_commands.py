"""`goaldesk surveys send`: invitations for one interaction or for the interactions of some
days, as links the organisation passes on through its own SMS or chat tool (or by e-mail)."""

import argparse
import json
import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from goaldesk.core.commands import fail, text_table
from goaldesk.core.parsing import ArgumentProblem, parse_days

from . import survey_services as services
from .models import SurveyInvitation


def _entry(made: services.Made, *, new: bool) -> dict[str, Any]:
    invitation = made.invitation
    return {
        "interaction": invitation.interaction.external_id,
        "customer": invitation.customer_id,
        "agent": invitation.agent.key if invitation.agent else "",
        "delivery": invitation.delivery,
        "language": invitation.language,
        "sent_on": invitation.sent_on.isoformat() if invitation.sent_on else None,
        "expires_at": invitation.expires_at.isoformat() if invitation.expires_at else None,
        "answered": invitation.answered_at is not None,
        "new": new,
        "url": made.url,
    }


def cmd_surveys_send(args: argparse.Namespace) -> int:
    """Invite: one entry per invitation, with its `url`."""
    from goaldesk.accounts.models import Organisation
    from goaldesk.interactions.models import Interaction

    organisation = Organisation.objects.filter(slug=args.org).first()
    if organisation is None:
        return fail(_("--org: no organisation “%(slug)s”.") % {"slug": args.org})
    delivery = SurveyInvitation.Delivery.EMAIL if args.email else SurveyInvitation.Delivery.LINK
    entries: list[dict[str, Any]] = []
    skipped = 0
    if args.interaction:
        if args.date_from or args.date_to:
            return fail(_("Give either --interaction or --from and --to, not both."))
        interaction = Interaction.objects.filter(
            organisation=organisation, external_id=args.interaction
        ).first()
        if interaction is None:
            return fail(
                _("--interaction: no interaction “%(id)s” in this organisation.")
                % {"id": args.interaction}
            )
        existing = SurveyInvitation.objects.filter(interaction=interaction).first()
        if existing is not None:
            entries.append(
                _entry(services.Made(existing, services.survey_url(existing)), new=False)
            )
        else:
            try:
                made = services.invitation_create(
                    organisation=organisation,
                    interaction=interaction,
                    delivery=delivery,
                    email=args.address or "",
                    language=args.language or "",
                )
            except ValidationError as error:
                return fail(" ".join(error.messages))
            entries.append(_entry(made, new=True))
    else:
        if not (args.date_from and args.date_to):
            return fail(_("Give --interaction, or --from and --to."))
        try:
            date_from, date_to = parse_days(args.date_from, args.date_to)
        except ArgumentProblem as problem:
            return fail(str(problem))
        made_all, skipped = services.invitations_for_period(
            organisation=organisation, date_from=date_from, date_to=date_to, delivery=delivery
        )
        entries = [_entry(made, new=True) for made in made_all]
    if args.json:
        print(json.dumps(entries, ensure_ascii=False, indent=2))
    else:
        rows = [(_("Interaction"), _("Customer"), _("Link"))]
        rows += [(e["interaction"], e["customer"] or "—", e["url"]) for e in entries]
        print(text_table(rows))
    if skipped:
        print(
            _("%(count)s interactions left out by the survey rules.") % {"count": skipped},
            file=sys.stderr,
        )
    return 0
