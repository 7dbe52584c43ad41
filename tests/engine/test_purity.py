"""The engine is pure Python: importing any of its modules must not import Django."""

import pkgutil
import subprocess
import sys

import goaldesk.engine


def test_engine_never_imports_django():
    modules = [m.name for m in pkgutil.walk_packages(goaldesk.engine.__path__, "goaldesk.engine.")]
    assert modules, "the engine has modules"
    code = (
        "import sys, importlib\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "leaked = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "print(','.join(leaked))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
