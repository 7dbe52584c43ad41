"""`goaldesk serve` and the demo's server: two instances on one host share no control socket."""

import os
import socket
import subprocess
import sys
import time
import urllib.request

from tests.test_cli_database import SRC, goaldesk_command


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answers(port: int, deadline: float) -> bool:
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/signin/", timeout=2) as response:
                return response.status == 200
        except OSError:
            time.sleep(0.3)
    return False


def test_two_servers_on_one_host_leave_no_shared_control_socket(tmp_path):
    """gunicorn's default control socket is ~/.gunicorn/gunicorn.ctl, one for every instance."""
    home = tmp_path / "home"
    home.mkdir()
    data = tmp_path / "data"
    assert goaldesk_command(data, "migrate").returncode == 0
    ports = [_free_port(), _free_port()]
    servers = []
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOALDESK_", "DJANGO_"))}
    env.update(HOME=str(home), GOALDESK_DATA_DIR=str(data), PYTHONPATH=SRC)
    try:
        for port in ports:
            command = [sys.executable, "-m", "goaldesk", "serve", "--port", str(port)]
            servers.append(
                subprocess.Popen(
                    [*command, "--workers", "1"],
                    cwd=tmp_path,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        deadline = time.monotonic() + 60
        assert all(_answers(port, deadline) for port in ports)
        sockets = [p for p in tmp_path.rglob("*") if p.is_socket()]
        assert sockets == []
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=20)


def test_the_demo_server_has_no_control_socket(monkeypatch):
    from goaldesk.demo import commands

    started: list[list[str]] = []

    class Ended:
        returncode = 0

        def __init__(self, command, env=None):
            started.append(command)

        def poll(self):
            return 0

        def wait(self, timeout=None):
            return 0

    monkeypatch.setattr(commands.subprocess, "Popen", Ended)
    commands._serve(host="127.0.0.1", port=8123)
    gunicorn = next(c for c in started if "gunicorn" in c)
    assert "--no-control-socket" in gunicorn
