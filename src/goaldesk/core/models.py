"""What every background job has in common: its state, times, error and progress.

`BackgroundJob` is abstract: an import, a forecast run and a schedule each keep their own table
and add their inputs and results. The writes that move a job from one state to the next are in
`goaldesk.core.jobs`; its progress partial is `core/_job_progress.html`, served to polling
pages by `goaldesk.core.views.job_progress_response`.
"""

from typing import ClassVar

from django.db import models
from django.utils.functional import Promise, cached_property
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class JobState(models.TextChoices):
    """The stored values are the ones every job table already holds."""

    PENDING = "pending", gettext_lazy("Waiting")
    RUNNING = "running", gettext_lazy("Running")
    DONE = "done", gettext_lazy("Done")
    FAILED = "failed", gettext_lazy("Failed")


class BackgroundJob(models.Model):
    """A job run by the worker: queued (pending), running, then done or failed.

    A subclass says how far it is (`progress_counts`, or its own `percent`) and how its
    progress partial reads: the element's id, the bar's name, the polling URL, the sentence
    while running and when done, and the words before the error when it failed.
    """

    State = JobState

    state = models.CharField(max_length=16, choices=JobState.choices, default=JobState.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    #: Written every few seconds by the process running the job (`goaldesk.core.jobs`): a
    #: running job whose heartbeat is old has lost that process and is queued again.
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    # Each subclass sets these three.
    #: The progress partial's element id (pages and tests find the bar by it).
    progress_dom_id: ClassVar[str]
    #: The progress bar's accessible name ("Import progress").
    progress_label: ClassVar[str | Promise]
    #: Shown before the job's error when it failed ("The import stopped:").
    progress_stopped: ClassVar[str | Promise]
    #: A template shown under the sentence and refreshed with it (counts so far), or "".
    progress_details_template: ClassVar[str] = ""

    class Meta:
        abstract = True

    @property
    def finished(self) -> bool:
        """True once the job is done or failed: its progress bar stops polling."""
        return self.state in (JobState.DONE, JobState.FAILED)

    @cached_property
    def lost(self) -> bool:
        """True when the job is running without a heartbeat and no worker holds it: the process
        that ran it stopped. Pages show it as stopped (with "Retry") without writing anything;
        the worker's recovery marks it failed."""
        from goaldesk.core.jobs import job_is_lost  # jobs.py builds on this module

        return job_is_lost(self)

    @property
    def stopped(self) -> bool:
        """True when the job failed or was lost: it will not go on unless retried."""
        return self.state == JobState.FAILED or self.lost

    @property
    def stopped_reason(self) -> str:
        """Why the job stopped, for the page."""
        if self.state == JobState.FAILED:
            return self.error
        from goaldesk.core.jobs import JOB_LOST_MESSAGE

        return str(JOB_LOST_MESSAGE) if self.lost else ""

    def progress_counts(self) -> tuple[int, int | None]:
        """(steps done, steps in all — None or 0 while not known) for `percent`."""
        raise NotImplementedError

    @property
    def percent(self) -> int:
        """How far the job is, 0–100 (100 once done; 0 while the total is not known)."""
        done, total = self.progress_counts()
        if not total:
            return 100 if self.state == JobState.DONE else 0
        return min(100, round(100 * done / total))

    def progress_url(self) -> str:
        """The URL the progress partial polls until the job is finished."""
        raise NotImplementedError

    def progress_running_html(self) -> SafeString:
        """The sentence under the bar while the job runs."""
        raise NotImplementedError

    def progress_done_html(self) -> SafeString:
        """The sentence under the bar once the job is done."""
        return format_html("{}", _("Finished."))


class ThrottleHit(models.Model):
    """One counted request of a throttled kind (`scope`: "help_contact", "password_reset"…) from
    one source (`key`: a client address, an e-mail address…); see `goaldesk.core.throttle`.

    In the database, not a cache: no CACHES is configured and Django's default cache lives in
    each process's memory, so every app process must count in the same place. Rows older than
    their scope's window are deleted when the scope is counted again."""

    scope = models.CharField(max_length=40)
    key = models.CharField(max_length=300)
    at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["scope", "key", "at"], name="throttle_scope_key_at"),
            models.Index(fields=["scope", "at"], name="throttle_scope_at"),
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key} at {self.at:%Y-%m-%d %H:%M}"
