"""Views and view helpers shared by the apps."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _

from goaldesk.core.jobs import job_can_retry, job_requeue
from goaldesk.core.models import BackgroundJob


def job_progress_response(request: HttpRequest, job: BackgroundJob) -> HttpResponse:
    """The job's progress partial (`core/_job_progress.html`), polled by htmx every second.

    A GET that writes nothing: a job whose process was lost and which no worker will resume is
    shown as stopped (the page then offers "Retry"; the worker's recovery marks it failed).
    Once the job is finished or stopped, the poll reloads the whole page (`HX-Refresh`), which
    then shows the result or the error, and polls no more.
    """
    response = render(request, "core/_job_progress.html", {"job": job})
    if (job.finished or job.lost) and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


def job_retry_response(request: HttpRequest, job: BackgroundJob, *, next_url: str) -> HttpResponse:
    """Queue a failed `job` again (an import resumes after its last committed batch) and go
    to `next_url`; a job that has not failed is left as it is, with a message."""
    if job_can_retry(job):
        job_requeue(job=job)
    else:
        messages.error(request, _("Only a job that stopped can be retried."))
    return HttpResponseRedirect(next_url)
