"""The app dependency rules of docs/architecture.md, read from the import statements of our own code.

Only the rules the code keeps today are asserted; each names the sentence of the page it checks."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OUR_APPS = {
    "core",
    "accounts",
    "audit",
    "reminders",
    "municipalities",
    "programs",
    "applications",
    "gatherings",
    "guidance",
}


def imported_apps(path: Path) -> set[str]:
    """Our apps that a module imports, at the top or inside a function (`from x import y`, `import x.y`,
    `importlib.import_module("x.y")`, `apps.get_model("x", ...)`)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) in {"import_module", "get_model"}
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            names = [node.args[0].value]
        else:
            continue
        found |= {name.split(".")[0] for name in names} & OUR_APPS
    return found


def offenders(app: str, forbidden: set[str], *, except_under: str = "") -> list[str]:
    """`path: app` for every module of `app` (not its migrations) that imports one of `forbidden`."""
    found = []
    for path in sorted((ROOT / app).rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if "/migrations/" in relative or (except_under and relative.startswith(except_under)):
            continue
        found += [f"{relative}: {name}" for name in sorted(imported_apps(path) & forbidden)]
    return found


DOMAIN = {"municipalities", "programs", "applications", "gatherings", "guidance"}


@pytest.mark.parametrize(
    ("app", "forbidden", "except_under"),
    [
        # "core knows no domain and imports no app of ours."
        ("core", OUR_APPS - {"core"}, ""),
        # "municipalities is the reference data everything else points at."
        ("municipalities", DOMAIN - {"municipalities"}, ""),
        # "gatherings and guidance depend on programs, never on applications"; gatherings learns who advises a
        # group from the hook guidance registers (gatherings.permissions.advised_groups_register), not by
        # importing guidance.
        ("gatherings", {"applications", "guidance"}, ""),
        ("guidance", {"applications"}, ""),
        # programs knows no app built on it, except its report (programs/report/), which reads them all.
        ("programs", {"applications", "gatherings", "guidance"}, "programs/report/"),
    ],
)
def test_apps_import_only_what_the_architecture_allows(app, forbidden, except_under):
    assert offenders(app, forbidden, except_under=except_under) == []


def test_the_import_scan_sees_imports_inside_functions(tmp_path):
    """The rule above must be able to fail: an import tucked into a function counts as much as one at the top."""
    module = tmp_path / "permissions.py"
    module.write_text(
        "def advised(user):\n    from guidance.models import GuidanceAgreement\n    return GuidanceAgreement\n",
        encoding="utf-8",
    )
    assert imported_apps(module) == {"guidance"}
    module.write_text('from django.apps import apps\nM = apps.get_model("guidance", "X")\n', encoding="utf-8")
    assert imported_apps(module) == {"guidance"}
