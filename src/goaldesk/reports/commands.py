"""`goaldesk digests send [--org SLUG] [--dry-run] [--json]`: what the worker's clock does, for
cron users. Progress on standard error; the list (or JSON) on standard output.

Exit codes: 0 success (also when nothing was due); 1 some digest could not be sent (it is tried
again by the next run); 2 unusable arguments (unknown organisation).
"""

import argparse
import json
import sys

from django.utils.translation import gettext as _


def cmd_digests_send(args: argparse.Namespace) -> int:
    from goaldesk.accounts.models import Organisation
    from goaldesk.core.commands import fail
    from goaldesk.reports.services import DigestOutcome, digests_send

    organisation = None
    if args.org:
        organisation = Organisation.objects.filter(slug=args.org).first()
        if organisation is None:
            return fail(_("--org: no organisation “%(slug)s”.") % {"slug": args.org})

    def progress(outcome: DigestOutcome) -> None:
        print(
            f"{outcome.result}: {outcome.organisation} {outcome.frequency} "
            f"{outcome.period_start.isoformat()}..{outcome.period_end.isoformat()} "
            f"{outcome.email}",
            file=sys.stderr,
        )

    outcomes = digests_send(organisation=organisation, dry_run=args.dry_run, progress=progress)
    counts = {
        result: sum(1 for o in outcomes if o.result == result)
        for result in ("sent", "would send", "taken", "failed")
    }
    if args.json:
        payload = {
            "dry_run": bool(args.dry_run),
            "counts": counts,
            "digests": [
                {
                    "organisation": o.organisation,
                    "user_id": o.user_id,
                    "email": o.email,
                    "frequency": o.frequency,
                    "period_start": o.period_start.isoformat(),
                    "period_end": o.period_end.isoformat(),
                    "result": o.result,
                }
                for o in outcomes
            ],
        }
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    elif args.dry_run:
        for o in outcomes:
            sys.stdout.write(
                f"{o.organisation}\t{o.frequency}\t{o.period_start.isoformat()}\t"
                f"{o.period_end.isoformat()}\t{o.email}\n"
            )
        sys.stdout.write(f"{counts['would send']} digest(s) would be sent\n")
    else:
        sys.stdout.write(
            f"{counts['sent']} digest(s) sent, {counts['failed']} failed, "
            f"{counts['taken']} sent by another process\n"
        )
    return 1 if counts["failed"] else 0
