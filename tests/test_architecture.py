"""The shape of the code, held by tests: a pipeline that flows one way, renderers that read nothing,
options that never travel through the environment, no import circles, modules one screen of outline long."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "briefgen"
MODULES = sorted(SRC.rglob("*.py"))


def _name(path: Path) -> str:
    return ".".join(("briefgen", *path.relative_to(SRC).with_suffix("").parts)).removesuffix(".__init__")


def _imports(path: Path, module_level_only: bool = False) -> set[str]:
    """Every briefgen module ``path`` imports (lazily inside functions too, unless module_level_only)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = _name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    nodes = tree.body if module_level_only else list(ast.walk(tree))
    out = set()
    for node in nodes:
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package[:len(package) - node.level + 1] + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            if base.startswith("briefgen"):
                if node.module:  # "from . import api" names a module, not the package
                    out.add(base)
                out.update(f"{base}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("briefgen"))
    known = {_name(p) for p in MODULES}
    return {m for m in out if m in known}


def test_renderers_import_no_reader_and_open_no_file():
    for path in (SRC / "render").rglob("*.py"):
        assert not {m for m in _imports(path) if m.startswith(("briefgen.load", "briefgen.inputs", "briefgen.cache"))}, path
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                assert called not in ("open", "read_text", "read_bytes", "stat", "iterdir", "glob"), (
                    f"{path.name}:{node.lineno} calls {called}")
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
                assert not any(n.startswith("PIL") for n in names), f"{path.name}:{node.lineno} imports PIL"


def test_the_model_and_theme_know_nothing_downstream():
    for module in ("model.py", "theme.py", "units.py", "errors.py"):
        assert not {m for m in _imports(SRC / module) if m.startswith(("briefgen.load", "briefgen.render",
                                                                        "briefgen.api"))}, module


def test_the_cli_goes_through_the_api():
    allowed = {"briefgen.api", "briefgen.errors", "briefgen.formats"}
    assert _imports(SRC / "cli.py") <= allowed, _imports(SRC / "cli.py") - allowed


def test_no_option_travels_through_the_environment():
    for path in MODULES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            target = None
            if isinstance(node, ast.Assign):
                target = node.targets[0]
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                if node.func.attr in ("putenv", "setdefault", "update", "pop") and "environ" in ast.unparse(node.func):
                    pytest.fail(f"{path.name}:{node.lineno} changes the environment: {ast.unparse(node)}")
            if isinstance(target, ast.Subscript) and "environ" in ast.unparse(target.value):
                pytest.fail(f"{path.name}:{node.lineno} writes to the environment")


def test_no_import_circles():
    graph = {_name(p): _imports(p, module_level_only=True) for p in MODULES}

    def visit(node, trail):
        for nxt in graph.get(node, ()):
            if nxt in trail:
                pytest.fail("import circle: " + " -> ".join(trail[trail.index(nxt):] + [nxt]))
            visit(nxt, trail + [nxt])

    for module in graph:
        visit(module, [module])


def test_the_checks_above_do_catch_a_breach(tmp_path, monkeypatch):
    """The import scanner sees a renderer importing a reader, also lazily inside a function."""
    fake = SRC / "render" / "_probe_for_test.py"
    monkeypatch.setattr(f"{__name__}.MODULES", [*MODULES, fake])
    source = "def f():\n    from ..load.fonts import metrics\n    return open('x')\n"
    tree_imports = None
    try:
        fake.write_text(source, encoding="utf-8")
        tree_imports = _imports(fake)
        with pytest.raises(AssertionError):
            test_renderers_import_no_reader_and_open_no_file()
    finally:
        fake.unlink()
    assert "briefgen.load.fonts" in tree_imports


def test_no_module_is_longer_than_one_screen_of_outline():
    """About 500 lines: past that, a module is doing more than one job (DESIGN.md)."""
    long = {p.relative_to(SRC).as_posix(): n for p in MODULES
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 500}
    assert not long, long
