"""The shape of the codebase (ARCHITECTURE.md, README → Layout): apps depend downward only, and modules stay small.

accounts < core < suppliers < pricing, planning < orders < audits < communications; orders < payments; all of them <
partnership < scorecards < integrations, portal < demo. A lower app that must trigger a higher one calls a hook the higher app registered from its ready().
"""

import ast
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)

# What each app may import from the project's other apps (config/, bench/ and tests/ wire everything together).
ALLOWED = {
    "accounts": set(),
    "core": {"accounts"},
    "suppliers": {"accounts", "core"},
    "pricing": {"accounts", "core", "suppliers"},
    "planning": {"accounts", "core", "suppliers"},
    "orders": {"accounts", "core", "suppliers", "pricing", "planning"},
    "audits": {"accounts", "core", "suppliers", "pricing", "planning", "orders"},
    "communications": {"accounts", "core", "suppliers", "pricing", "planning", "orders", "audits"},
    "payments": {
        "accounts",
        "core",
        "suppliers",
        "pricing",
        "planning",
        "orders",
        "audits",
        "communications",
    },
    "partnership": {
        "accounts",
        "core",
        "suppliers",
        "pricing",
        "planning",
        "orders",
        "audits",
        "communications",
        "payments",
    },
    "scorecards": {
        "accounts",
        "core",
        "suppliers",
        "pricing",
        "planning",
        "orders",
        "audits",
        "communications",
        "payments",
        "partnership",
    },
    "imports": {
        "accounts",
        "core",
        "suppliers",
        "pricing",
        "planning",
        "orders",
        "audits",
        "communications",
        "payments",
        "partnership",
        "scorecards",
    },
    "integrations": {
        "accounts",
        "core",
        "suppliers",
        "pricing",
        "planning",
        "orders",
        "audits",
        "communications",
        "payments",
        "partnership",
        "scorecards",
    },
    "portal": {
        "accounts",
        "core",
        "suppliers",
        "pricing",
        "planning",
        "orders",
        "audits",
        "communications",
        "payments",
        "partnership",
        "scorecards",
    },
    "demo": {
        "accounts",
        "core",
        "suppliers",
        "pricing",
        "planning",
        "orders",
        "audits",
        "communications",
        "payments",
        "partnership",
        "scorecards",
        "imports",
        "integrations",
        "portal",
    },
}
MAX_MODULE_LINES = 400


def app_modules(app: str):
    """Yield the Python modules of an app, migrations left out (Django writes them)."""
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def imported_apps(path: Path) -> dict[str, int]:
    """Return the project apps a module imports (at any level, function bodies too), with a line of each."""
    found = {}
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top in ALLOWED:
                found.setdefault(top, node.lineno)
    return found


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_app_imports_only_the_apps_below_it(app):
    if not (ROOT / app).is_dir():
        pytest.skip(f"{app}/ does not exist")
    upward = [
        f"{path.relative_to(ROOT)}:{line} imports {other}"
        for path in app_modules(app)
        for other, line in imported_apps(path).items()
        if other != app and other not in ALLOWED[app]
    ]
    assert not upward, "imports that go up the dependency order:\n" + "\n".join(upward)


def test_every_local_app_is_placed_in_the_order():
    apps = {
        name for name in settings.LOCAL_APPS if not name.startswith("config.")
    }  # config wires, it is no app
    assert apps <= set(ALLOWED), apps - set(ALLOWED)


def test_the_order_checker_finds_an_upward_import(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from scorecards import alerts\n")
    assert imported_apps(module) == {"scorecards": 2}
