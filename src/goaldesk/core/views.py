"""Views and view helpers shared by the apps."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from goaldesk.core.models import BackgroundJob


def job_progress_response(request: HttpRequest, job: BackgroundJob) -> HttpResponse:
    """The job's progress partial (`core/_job_progress.html`), polled by htmx every second.

    Once the job is finished, the poll reloads the whole page (`HX-Refresh`), which then shows
    the result or the error.
    """
    response = render(request, "core/_job_progress.html", {"job": job})
    if job.finished and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response
