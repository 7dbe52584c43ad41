"""The apps import each other in one direction only: lower layers never import higher ones.

The order is the one of PRODUCT.md ("Layout") and docs/directory-structure.md. Every import of
every module under src/goaldesk counts, lazy imports inside functions and imports for type
checking included.
"""

import ast
from pathlib import Path

import pytest

import goaldesk

SOURCE = Path(goaldesk.__file__).parent

#: Lowest first. A module may import its own app and the apps before it, never one after it.
LAYERS = [
    "engine",
    "core",
    "formats",  # locale formats (FORMAT_MODULE_PATH), data only
    "accounts",
    "notifications",
    "team",
    "customers",
    "interactions",
    "metrics",
    "goals",
    "forecasting",
    "scheduling",
    "coaching",
    "feedback",
    "knowledge",
    "reports",
    "legacy",
    "api",
    "demo",
    # The entry points and the project's wiring sit on top of everything.
    "settings",
    "urls",
    "wsgi",
    "cli",
    "__main__",
]
RANK = {name: rank for rank, name in enumerate(LAYERS)}


def _layer(module: str) -> str:
    """The layer of a dotted module name under goaldesk ("goaldesk.metrics.views" → "metrics")."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _module_name(path: Path) -> str:
    relative = path.relative_to(SOURCE.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, imported module) for every import in the file, relative ones resolved."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            found.append((node.lineno, base))
            # `from goaldesk import metrics` imports the app itself.
            if base == "goaldesk":
                found += [(node.lineno, f"goaldesk.{alias.name}") for alias in node.names]
    return [(line, name) for line, name in found if name.startswith("goaldesk.")]


def _sources() -> list[Path]:
    return sorted(p for p in SOURCE.rglob("*.py") if "__pycache__" not in p.parts)


def test_every_top_level_package_has_a_layer():
    packages = {
        p.stem if p.is_file() else p.name
        for p in SOURCE.iterdir()
        if (p.is_dir() and (p / "__init__.py").exists()) or p.suffix == ".py"
    }
    packages.discard("__init__")
    assert packages - set(RANK) == set(), "add the new app to LAYERS (and to the docs)"


def test_no_import_goes_against_the_layers():
    wrong = []
    for path in _sources():
        importer = _module_name(path)
        for line, imported in _imports(path):
            if RANK[_layer(imported)] > RANK[_layer(importer)]:
                wrong.append(f"{path.relative_to(SOURCE.parent)}:{line} imports {imported}")
    assert wrong == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from goaldesk.metrics.selectors import kpis\n", ["goaldesk.metrics.selectors"]),
        ("def f():\n    import goaldesk.goals.models\n", ["goaldesk.goals.models"]),
        ("from . import selectors\n", ["goaldesk.team"]),
        ("from ..goals import models\n", ["goaldesk.goals"]),
        ("from goaldesk import scheduling\n", ["goaldesk", "goaldesk.scheduling"]),
        ("import os\nfrom django.db import models\n", []),
    ],
)
def test_the_walker_sees_every_kind_of_import(tmp_path, monkeypatch, source, expected):
    """A check that misses lazy or relative imports would pass on a tangled house."""
    package = tmp_path / "goaldesk" / "team"
    package.mkdir(parents=True)
    module = package / "views.py"
    module.write_text(source)
    monkeypatch.setattr(f"{__name__}.SOURCE", tmp_path / "goaldesk")
    assert [name for _, name in _imports(module)] == [n for n in expected if n != "goaldesk"]
