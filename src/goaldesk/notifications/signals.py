"""Notifications answering the signals of the apps below them (core's jobs)."""

import logging
from typing import Any

from django.db import transaction
from django.urls import NoReverseMatch, reverse

logger = logging.getLogger(__name__)

#: What a job's notification says and links to, by its model (`app_label.model_name`): the kind
#: of job (a key `kinds.job_label` turns into words in the reader's language), its details and
#: the name of its page. The job models live in apps above this one, so they are named here,
#: not imported.
JOB_NOTICES: dict[str, tuple[str, str]] = {
    "interactions.importjob": ("import", "imports:job"),
    "forecasting.forecastrun": ("forecast", "forecasting:run"),
    "scheduling.schedule": ("schedule", "scheduling:schedule_detail"),
}


def job_params(job: Any) -> dict[str, Any]:
    """The JSON parameters of a job's notification: its kind and what names it."""
    kind, _url = JOB_NOTICES.get(job._meta.label_lower, ("", ""))
    params: dict[str, Any] = {"job": kind}
    if kind == "import":
        params["file"] = str(getattr(job, "original_name", ""))
    elif kind == "schedule" and getattr(job, "week_start", None):
        params["week"] = job.week_start.isoformat()
    return params


def job_notify(*, job: Any, failed: bool, **_: Any) -> None:
    """Tell the person who started `job` that it finished (`job_finished`) or failed
    (`job_failed`, with its error). A job started by nobody (the command line, the demo) tells
    no one. A failure to notify is logged, never raised: the job's own state is what counts."""
    from goaldesk.notifications.services import notify

    starter = getattr(job, "created_by", None)
    organisation = getattr(job, "organisation", None)
    if starter is None or organisation is None:
        return
    try:
        params = job_params(job)
        if failed:
            params["reason"] = str(job.error)
        _kind, name = JOB_NOTICES.get(job._meta.label_lower, ("", ""))
        try:
            url = reverse(name, args=[organisation.slug, job.pk]) if name else ""
        except NoReverseMatch:
            url = ""
        with transaction.atomic():  # a failure here undoes only itself
            notify(
                kind="job_failed" if failed else "job_finished",
                recipients=[starter],
                organisation=organisation,
                params=params,
                url=url,
            )
    except Exception:
        logger.exception("Could not tell the starter of %s %s", job._meta.label, job.pk)
