"""Run in a subprocess by test_worker_crash.py: queue web-style imports, as the upload page does.

    python tests/core/worker_scenario.py CSV_PATH [CSV_PATH …]
    python tests/core/worker_scenario.py --token

creates the organisation "crash" (UTC) when it is missing, then queues one import of each
CSV_PATH through the services the import pages call (`import_job_create`, then
`import_job_start` with the guessed columns), and prints their ids as JSON. The database and
data directory come from GOALDESK_DATABASE_URL and GOALDESK_DATA_DIR. With --token, it
prints {"token": …}: a new viewer API token of that organisation.
"""

import json
import sys
from pathlib import Path


def main(csv_paths: list[str]) -> None:
    import django

    django.setup()
    if csv_paths == ["--token"]:
        from goaldesk.accounts.models import Organisation
        from goaldesk.accounts.services import api_token_create

        organisation = Organisation.objects.get(slug="crash")
        _token, raw = api_token_create(
            organisation=organisation, name="processes", role="viewer", created_by=None
        )
        print(json.dumps({"token": raw}))
        return
    from django.core.files import File

    from goaldesk.accounts.models import Organisation
    from goaldesk.accounts.services import organisation_create
    from goaldesk.interactions.importing import import_job_create, import_job_start, job_columns

    organisation = Organisation.objects.filter(slug="crash").first()
    if organisation is None:
        organisation = organisation_create(
            name="Crash", slug="crash", timezone="UTC", language="en"
        )
    ids = []
    for csv_path in csv_paths:
        with Path(csv_path).open("rb") as handle:
            job = import_job_create(
                organisation=organisation, upload=File(handle, name="calls.csv")
            )
        import_job_start(job=job, columns=job_columns(job), dry_run=False)
        ids.append(job.pk)
    print(json.dumps({"organisation": organisation.pk, "jobs": ids}))


if __name__ == "__main__":
    main(sys.argv[1:])
