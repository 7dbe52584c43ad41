"""Log filters: what a log line of GoalDesk's own handlers carries."""

import logging


class ClientErrorWithoutTraceback(logging.Filter):
    """Drops the traceback from a log record of a 4xx response (kept on 5xx records).

    Django logs a refused request (403, 400) with the exception that caused it, so every
    PermissionDenied would print a full traceback although nothing went wrong on the server:
    one line says all there is to say.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """True: the record is always logged, without its traceback when it is a 4xx."""
        status_code = getattr(record, "status_code", None)
        if isinstance(status_code, int) and 400 <= status_code < 500:
            record.exc_info = None
            record.exc_text = None
        return True
