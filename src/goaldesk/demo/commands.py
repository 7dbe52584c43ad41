"""`goaldesk demo` (build the demo and serve it) and `goaldesk demo-data` (write a demo CSV)."""

import argparse
import csv
import datetime as dt
import os
import signal
import subprocess
import sys
import time
import zoneinfo
from collections.abc import Callable, Iterable
from types import FrameType
from typing import IO, Any

from django.core.management import call_command
from django.urls import reverse
from django.utils.translation import gettext as _

from goaldesk.demo.generator import DUBAI, FIELDS, generate_interactions

PROGRESS_EVERY_ROWS = 100_000
DEFAULT_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")


def _stderr_progress() -> Callable[[str], None]:
    """A progress printer: one updating line on a terminal, plain lines otherwise."""
    on_terminal = sys.stderr.isatty()

    def show(message: str) -> None:
        if on_terminal:
            sys.stderr.write(f"\r\033[K{message}")
        else:
            sys.stderr.write(f"{message}\n")
        sys.stderr.flush()

    return show


def cmd_demo_data(args: argparse.Namespace) -> int:
    """Write demo interactions as a canonical CSV: 6 months ending today in Dubai, streaming."""
    if args.size is not None and args.size < 0:
        print(_("--size must be 0 or more, not %(size)s.") % {"size": args.size}, file=sys.stderr)
        return 2
    now = dt.datetime.now(tz=dt.UTC)
    today = now.astimezone(zoneinfo.ZoneInfo(DUBAI.timezone)).date()
    rows = generate_interactions(
        seed=args.seed, start=today - dt.timedelta(days=181), days=182, size=args.size,
        timezone=DUBAI.timezone, now=now,
    )  # fmt: skip
    show = _stderr_progress()
    started = time.perf_counter()
    try:
        if args.out == "-":
            written = _write_csv(sys.stdout, rows, show)
        else:
            with open(args.out, "w", newline="", encoding="utf-8") as out:
                written = _write_csv(out, rows, show)
    except OSError as error:
        print(
            _("Cannot write %(file)s: %(reason)s") % {"file": args.out, "reason": error.strerror},
            file=sys.stderr,
        )
        return 2
    seconds = time.perf_counter() - started
    show(
        _("%(rows)s interactions written to %(file)s in %(seconds).1f s.")
        % {"rows": written, "file": args.out, "seconds": seconds}
    )
    if sys.stderr.isatty():
        sys.stderr.write("\n")
    return 0


def _write_csv(out: IO[str], rows: Iterable[dict[str, object]], show: Callable[[str], None]) -> int:
    writer = csv.writer(out)
    writer.writerow(FIELDS)
    written = 0
    datetime_type = dt.datetime
    for row in rows:
        writer.writerow([v.isoformat() if type(v) is datetime_type else v for v in row.values()])
        written += 1
        if written % PROGRESS_EVERY_ROWS == 0:
            show(_("%(rows)s interactions…") % {"rows": written})
    return written


def cmd_demo(args: argparse.Namespace) -> int:
    """Migrate, build the demo (unless it exists), print how to sign in, then serve it."""
    from django.conf import settings

    from goaldesk.demo.build import demo_build

    show = _stderr_progress()
    show(_("Preparing the database…"))
    call_command("migrate", interactive=False, verbosity=0)
    if not os.environ.get("GOALDESK_SITE_URL"):
        # Links in the demo's e-mails (survey invitations, digests) lead to this server.
        settings.GOALDESK_SITE_URL = _base_url(args.host, args.port)
    summary = demo_build(seed=args.seed, reset=args.reset, progress=show)
    if summary["built"]:
        show(_("Demo built in %(seconds)s s.") % {"seconds": summary["seconds"]})
    else:
        show(_("The demo exists already (use --reset to rebuild it)."))
    if sys.stderr.isatty():
        sys.stderr.write("\n")
    _print_sign_in(summary, host=args.host, port=args.port)
    mail_dir = _mail_to_data_dir()
    if mail_dir:
        print(
            _(
                "  E-mails (survey invitations, digests, notifications) are written to %(path)s"
                " as .eml files"
            )
            % {"path": mail_dir}
        )
        print(flush=True)
    if args.no_serve:
        return 0
    return _serve(host=args.host, port=args.port, mail_dir=mail_dir)


def _mail_to_data_dir() -> str | None:
    """Where the demo's worker and server write e-mail (as .eml files): <data dir>/mail, unless
    GOALDESK_EMAIL_URL says otherwise (then None)."""
    from django.conf import settings

    if os.environ.get("GOALDESK_EMAIL_URL"):
        return None
    return str(settings.DATA_DIR / "mail")


def _base_url(host: str, port: int) -> str:
    """The demo server's address as a browser on this machine opens it."""
    shown_host = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host  # noqa: S104
    if ":" in shown_host and not shown_host.startswith("["):
        shown_host = f"[{shown_host}]"
    return f"http://{shown_host}:{port}"


def _print_sign_in(summary: dict[str, Any], *, host: str, port: int) -> None:
    base = _base_url(host, port)
    lines = [
        "",
        _("GoalDesk demo — sign in at %(url)s") % {"url": base + reverse("accounts:login")},
        "",
    ]
    for org in summary["organisations"]:
        lines.append(
            _("  %(name)s (%(slug)s): %(interactions)s interactions, %(reviews)s reviews") % org
        )
    lines += ["", _("  user name        password         role")]
    for user in summary["users"]:
        roles = ", ".join(f"{role} @ {slug}" for slug, role in user["roles"].items())
        lines.append(f"  {user['username']:<16} {user['password']:<16} {roles}")
    token = summary["api_token"]
    lines.append("")
    if token:
        lines += _token_lines(token)
        lines.append(_("  API documentation: %(url)s") % {"url": f"{base}/api/docs"})
    else:
        lines.append(
            _("  The demo's API token was shown when it was built; --reset makes a new one.")
        )
    lines += [
        "",
        _("  These passwords are public: run the demo on your own machine only."),
        "",
    ]
    print("\n".join(lines), flush=True)


def _token_lines(raw_token: str) -> list[str]:
    """The demo's API token, whose it is and what it may do, as the database says."""
    from goaldesk.accounts.models import ApiToken, Membership, Role, hash_token

    token = ApiToken.objects.select_related("organisation", "created_by").get(
        token_hash=hash_token(raw_token)
    )
    org = token.organisation.slug
    routes = f"/api/v1/orgs/{org}/…"
    if Membership(role=token.role).allows(Role.MANAGER):
        can = _(
            "    It belongs to the organisation %(org)s and acts as a manager there: it reads "
            "and writes that organisation's data through the API (%(routes)s)."
        )
    else:
        can = _(
            "    It belongs to the organisation %(org)s and acts as a viewer there: it only "
            "reads that organisation's data through the API (%(routes)s)."
        )
    lines = [
        _("  API token: %(token)s") % {"token": raw_token},
        can % {"org": org, "routes": routes},
    ]
    creator = token.created_by
    membership = (
        Membership.objects.filter(user=creator, organisation=token.organisation).first()
        if creator is not None
        else None
    )
    if creator is not None and membership is not None and membership.allows(Role.OWNER):
        lines.append(
            _(
                "    %(user)s (owner of %(org)s) created it and sees it under Settings → API "
                "tokens; only owners manage tokens."
            )
            % {"user": creator.get_username(), "org": org}
        )
    else:
        lines.append(
            _("    The owners of %(org)s see it under Settings → API tokens.") % {"org": org}
        )
    return lines


def _serve(*, host: str, port: int, mail_dir: str | None = None) -> int:
    """Run a background worker and gunicorn until either stops or we are told to stop."""
    env = dict(os.environ)
    env.setdefault("GOALDESK_SITE_URL", _base_url(host, port))
    if mail_dir:
        env["GOALDESK_EMAIL_URL"] = f"file://{mail_dir}"
    if host not in DEFAULT_HOSTS and "GOALDESK_ALLOWED_HOSTS" not in env:
        env["GOALDESK_ALLOWED_HOSTS"] = ",".join([*DEFAULT_HOSTS, host])
    bind = f"[{host}]:{port}" if ":" in host and not host.startswith("[") else f"{host}:{port}"
    commands = {
        "worker": [sys.executable, "-m", "goaldesk", "worker"],
        "web": [
            sys.executable, "-m", "gunicorn", "goaldesk.wsgi:application", "--bind", bind,
            "--workers", "2", "--access-logfile", "-",
            "--no-control-socket",  # as `goaldesk serve`: no socket shared by every instance
        ],
    }  # fmt: skip
    processes = {name: subprocess.Popen(command, env=env) for name, command in commands.items()}  # noqa: S603 - our own arguments
    stop_requested = False

    def request_stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stop_requested
        stop_requested = True

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    exit_code = 0
    try:
        while not stop_requested:
            ended = {name: p.returncode for name, p in processes.items() if p.poll() is not None}
            if ended:
                for name, code in ended.items():
                    print(
                        _(
                            "The %(process)s process stopped (exit code %(code)s); stopping the demo."
                        )
                        % {"process": name, "code": code},
                        file=sys.stderr,
                    )
                exit_code = next(iter(ended.values())) or 1
                break
            time.sleep(0.3)
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + 15
        for process in processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return exit_code
