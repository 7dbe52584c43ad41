"""Writes a reading request makes on the side (when an API token was last used): they must not
keep the request waiting behind another writer."""

from collections.abc import Callable

from django.db import OperationalError, connection, transaction

#: How long such a write waits for the database's write lock on SQLite (a long import batch
#: holds it for seconds); PostgreSQL's row locks do not wait on other rows' writers.
WAIT_MILLISECONDS = 200


def write_if_free(write: Callable[[], object]) -> bool:
    """Run write() unless the database is busy with another writer for longer than a moment
    (then nothing is written and False is returned: the note is made on a later request)."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        write()
        return True
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        (usual,) = cursor.fetchone()
        cursor.execute(f"PRAGMA busy_timeout = {WAIT_MILLISECONDS}")
    try:
        with transaction.atomic():
            write()
        return True
    except OperationalError as error:
        if "locked" not in str(error):
            raise
        return False
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {int(usual)}")
