"""`goaldesk manage summaries_rebuild [--org SLUG]`

Builds every day summary again from the interactions (metrics/summaries.py), for one
organisation or all, with progress on standard error. Figures are right without it (days not
built are read from the interactions); it makes them fast at once, e.g. after a restore.
"""

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from goaldesk.accounts.models import Organisation
from goaldesk.metrics.summaries import summaries_build


class Command(BaseCommand):
    help = "Build every day summary again from the interactions."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", help="only this organisation (its slug)")

    def handle(self, *args: Any, **options: Any) -> None:
        organisations = Organisation.objects.order_by("slug")
        if options["org"]:
            organisations = organisations.filter(slug=options["org"])
            if not organisations.exists():
                raise CommandError(
                    _("--org: no organisation “%(slug)s”.") % {"slug": options["org"]}
                )
        for organisation in organisations:

            def progress(done: int, total: int, slug: str = organisation.slug) -> None:
                print(
                    _("%(slug)s: %(done)s of %(total)s days")
                    % {"slug": slug, "done": done, "total": total},
                    file=sys.stderr,
                )

            built = summaries_build(organisation, everything=True, progress=progress)
            self.stdout.write(
                _("%(slug)s: %(count)s days built.") % {"slug": organisation.slug, "count": built}
            )
