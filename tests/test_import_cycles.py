"""No module of the `autograder` package imports, however indirectly, a module that imports it back.

A cycle hides which module a concern belongs to, and it works only while every import
of it stays in a function or after the names it needs: the graph is built from the
source (Python's syntax tree), top-level and function-level imports alike, including
those only for type checkers, so a lazy import cannot hide one.

Edges: `import autograder.a.b` and `from autograder.a import b` (b a module) depend on
the module autograder.a.b; `from autograder.a import name` (not a module) on
autograder.a itself, that is its __init__.py. The implicit import of a module's parent
packages is not an edge: a package whose __init__.py imports its own submodules is
not a cycle.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "autograder"


@dataclass(frozen=True)
class Edge:
    """`importer` imports `imported` at line `line` of `path`."""

    importer: str
    imported: str
    path: Path
    line: int


def module_names(package: Path) -> dict[str, Path]:
    """Every module of the package under its dotted name (a package under its own, for its __init__.py)."""
    names = {}
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def _target(name: str, modules: dict[str, Path]) -> str | None:
    """The module of the package that importing `name` runs last: `name`, else its nearest enclosing module."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def import_edges(package: Path) -> list[Edge]:
    """Every import of one module of the package by another, wherever in the module it is written."""
    modules = module_names(package)
    root = package.name
    edges = []
    for importer, path in modules.items():
        home = importer if path.name == "__init__.py" else importer.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            wanted: list[str] = []
            if isinstance(node, ast.Import):
                wanted = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = home.split(".")[: len(home.split(".")) - node.level + 1]
                    source = ".".join([*base, node.module] if node.module else base)
                else:
                    source = node.module or ""
                wanted = [f"{source}.{alias.name}" if f"{source}.{alias.name}" in modules else source for alias in node.names]
            for name in wanted:
                if name.split(".")[0] != root:
                    continue
                imported = _target(name, modules)
                if imported and imported != importer:
                    edges.append(Edge(importer, imported, path, node.lineno))
    return edges


def import_cycles(package: Path) -> list[list[Edge]]:
    """One cycle of edges for each group of modules that import each other (strongly connected components)."""
    edges = import_edges(package)
    out: dict[str, list[Edge]] = {}
    for edge in edges:
        out.setdefault(edge.importer, []).append(edge)
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def visit(module: str) -> None:  # Tarjan's algorithm; the package is small enough to recurse
        order[module] = low[module] = len(order)
        stack.append(module)
        on_stack.add(module)
        for edge in out.get(module, []):
            if edge.imported not in order:
                visit(edge.imported)
                low[module] = min(low[module], low[edge.imported])
            elif edge.imported in on_stack:
                low[module] = min(low[module], order[edge.imported])
        if low[module] == order[module]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == module:
                    break
            if len(group) > 1:
                groups.append(group)

    for module in sorted(module_names(package)):
        if module not in order:
            visit(module)
    return [_a_cycle_in(sorted(group), out) for group in groups]


def _a_cycle_in(group: list[str], out: dict[str, list[Edge]]) -> list[Edge]:
    """A shortest path of imports from the group's first module back to itself, inside the group."""
    start = group[0]
    paths: dict[str, list[Edge]] = {start: []}
    frontier = [start]
    while frontier:
        following = []
        for module in frontier:
            for edge in out.get(module, []):
                if edge.imported not in group:
                    continue
                if edge.imported == start:
                    return [*paths[module], edge]
                if edge.imported not in paths:
                    paths[edge.imported] = [*paths[module], edge]
                    following.append(edge.imported)
        frontier = following
    raise AssertionError(f"{group} is strongly connected, so a cycle through {start} exists")


def describe(cycle: list[Edge], package: Path = PACKAGE) -> str:
    """`a -> b (pkg/a.py:3) -> a (pkg/b.py:7)`: the modules of the cycle and where each import is written."""
    steps = [cycle[0].importer]
    for edge in cycle:
        steps.append(f"{edge.imported} ({edge.path.relative_to(package.parent).as_posix()}:{edge.line})")
    return " -> ".join(steps)


def test_the_autograder_package_has_no_import_cycle() -> None:
    cycles = import_cycles(PACKAGE)
    assert not cycles, "import cycles in autograder/ (move the code to the module its concern belongs to):\n" + "\n".join(
        describe(cycle) for cycle in cycles
    )


def test_the_graph_sees_the_package_imports_it_is_meant_to() -> None:
    """The graph is not empty by mistake: known imports of each form are edges of it."""
    edges = {(e.importer, e.imported) for e in import_edges(PACKAGE)}
    assert ("autograder.cli", "autograder.engine") in edges  # top level, `from x import name`
    assert ("autograder.cli", "autograder.staff.commands") in edges  # in a function, `from package import module`
    assert ("autograder.symbolic", "autograder.symbolic.equivalence") in edges  # relative, in an __init__.py


@pytest.fixture
def toy_package(tmp_path: Path) -> Path:
    package = tmp_path / "autograder"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "settings.py").write_text("def fault():\n    from autograder.data import load  # lazily\n    return load()\n")
    (package / "data.py").write_text("from autograder.paths import root\nfrom autograder import settings\n\ndef load():\n    return root\n")
    (package / "paths.py").write_text("root = '.'\n")
    (package / "sub" / "__init__.py").write_text("from .a import x\n")
    (package / "sub" / "a.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..sub.b import y\nx = 1\n")
    (package / "sub" / "b.py").write_text("import autograder.sub.a\ny = 2\n")
    return package


def test_a_lazy_or_type_checking_import_cycle_is_found_and_named(toy_package: Path) -> None:
    described = sorted(describe(cycle, toy_package) for cycle in import_cycles(toy_package))
    assert described == [
        "autograder.data -> autograder.settings (autograder/data.py:2) -> autograder.data (autograder/settings.py:2)",
        "autograder.sub.a -> autograder.sub.b (autograder/sub/a.py:3) -> autograder.sub.a (autograder/sub/b.py:1)",
    ]


def test_a_package_importing_its_own_submodules_is_not_a_cycle(toy_package: Path) -> None:
    (toy_package / "sub" / "b.py").write_text("y = 2\n")
    (toy_package / "data.py").write_text("from autograder.paths import root\n")
    assert import_cycles(toy_package) == []
