"""Benchmark: one digest run for 1,000 recipients. Prints JSON.

    .venv/bin/python bench/digests.py [--recipients 1000] [--size 60000] [--repeat 3]

Builds the demo (its Dubai store with --size interactions, goals, a published schedule) in a
fresh temporary data directory on SQLite, adds --recipients managers with e-mail addresses
(each gets the weekly digest by default), then times `digests_send` for that organisation with
Django's in-memory e-mail backend: every digest rendered in its reader's language and sent.
Before each timed run the delivery rows are removed, so each run sends them all again.
Prints the median and every run's seconds, the digests sent and the machine's load average.
"""

import argparse
import json
import os
import statistics
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=1000)
    parser.add_argument("--size", type=int, default=60_000, help="interactions in the demo store")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="gd-bench-digests-")
    os.environ["GOALDESK_DATA_DIR"] = data_dir
    os.environ.pop("GOALDESK_DATABASE_URL", None)
    os.environ["GOALDESK_EMAIL_URL"] = "memory:"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "goaldesk.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core import mail
    from django.core.management import call_command

    from goaldesk.accounts.models import Membership, Organisation, Role
    from goaldesk.demo.build import demo_build
    from goaldesk.reports.models import DigestDelivery
    from goaldesk.reports.services import digests_send

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    demo_build(seed=7, size=args.size)
    build_seconds = time.perf_counter() - started
    org = Organisation.objects.get(slug="demo")
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"bench{n}", email=f"bench{n}@example.com")
        for n in range(args.recipients)
    )
    Membership.objects.bulk_create(
        Membership(user=user, organisation=org, role=Role.MANAGER) for user in users
    )
    mail.outbox = []
    runs, sent = [], 0
    for _ in range(args.repeat):
        DigestDelivery.objects.all().delete()
        mail.outbox = []
        started = time.perf_counter()
        outcomes = digests_send(organisation=org)
        runs.append(time.perf_counter() - started)
        sent = sum(1 for o in outcomes if o.result == "sent")
        if len(mail.outbox) != sent:
            raise SystemExit(f"{sent} sent but {len(mail.outbox)} in the outbox")
    print(
        json.dumps(
            {
                "recipients": args.recipients,
                "interactions": args.size,
                "digests_sent": sent,
                "seconds": round(statistics.median(runs), 2),
                "runs_seconds": [round(r, 2) for r in runs],
                "build_seconds": round(build_seconds, 1),
                "load_average": [round(x, 2) for x in os.getloadavg()],
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
