"""Background jobs of the goals app (run by `goaldesk worker`)."""

from django_tasks import task


@task()
def goals_digest_task(organisation_id: int | None = None, base_url: str = "") -> int:
    """Close goals past their deadline and send the weekly digest to goal owners.

    With no organisation, every organisation is covered. Returns the number of e-mails sent.
    """
    from goaldesk.accounts.models import Organisation
    from goaldesk.goals.services import goals_digest_send

    organisations = Organisation.objects.all()
    if organisation_id is not None:
        organisations = organisations.filter(pk=organisation_id)
    return sum(
        goals_digest_send(organisation=organisation, base_url=base_url)
        for organisation in organisations
    )
