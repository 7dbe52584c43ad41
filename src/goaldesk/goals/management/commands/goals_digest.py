"""`goaldesk manage goals_digest [--org SLUG] [--base-url URL] [--enqueue]`

Sends every goal owner a summary of their active goals (and closes goals whose deadline has
passed). Schedule it weekly, e.g. with cron on Monday at 07:00:

    0 7 * * 1  GOALDESK_DATABASE_URL=… /path/to/.venv/bin/goaldesk manage goals_digest \
               --base-url https://goaldesk.example.com

E-mail goes through Django's backend (GOALDESK_EMAIL_BACKEND; the console by default).
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Send the weekly goals digest to goal owners."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", help="organisation slug (default: every organisation)")
        parser.add_argument("--base-url", default="", help="site address for links in the e-mail")
        parser.add_argument(
            "--enqueue", action="store_true", help="queue it for `goaldesk worker` instead"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from goaldesk.accounts.models import Organisation
        from goaldesk.goals.services import goals_digest_send
        from goaldesk.goals.tasks import goals_digest_task

        organisations = Organisation.objects.all()
        if options["org"]:
            organisations = organisations.filter(slug=options["org"])
            if not organisations.exists():
                raise CommandError(f"--org: no organisation “{options['org']}”.")
        if options["enqueue"]:
            for organisation in organisations:
                goals_digest_task.enqueue(organisation.pk, options["base_url"])
            self.stdout.write(f"queued {organisations.count()} digest job(s)")
            return
        sent = sum(
            goals_digest_send(organisation=o, base_url=options["base_url"]) for o in organisations
        )
        self.stdout.write(f"{sent} digest e-mail(s) sent")
