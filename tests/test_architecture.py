"""The code's shape: no import cycles, and each capability imports only what the rule allows.

The rule (README, "Layout"): ``soteria`` ← ``kpis.engine`` ← everything else. The kpis
capability packages (imports, evidence, deck) and the apps ``panels`` and
``recommendations`` depend on the engine, never on each other. ``kpis.models``,
``kpis.admin``, ``kpis.urls``, ``kpis.apps`` and the management commands are the app's
wiring and may import any of its packages.

Every import statement counts, including ones inside functions: a lazy import is still a
dependency, and a cycle through one is still a cycle.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("soteria", "kpis", "panels", "recommendations")
CAPABILITIES = ("kpis.imports", "kpis.evidence", "kpis.deck", "kpis.national", "kpis.profile")
WIRING = (
    "kpis.models",
    "kpis.admin",
    "kpis.urls",
    "kpis.national_urls",
    "kpis.apps",
    "kpis.management",
)
MAX_LINES = 400


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                found[_module_name(path)] = path
    return found


MODULES = _modules()


def _resolve(module: str, path: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _imports(module: str, path: Path) -> set[str]:
    """Project modules that ``module`` imports (a name imported from a package that is itself
    a module counts as that module)."""
    targets = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            source = _resolve(module, path, node)
            names = [
                f"{source}.{alias.name}" if f"{source}.{alias.name}" in MODULES else source
                for alias in node.names
            ]
        else:
            continue
        for name in names:
            while name and name not in MODULES:
                name = name.rpartition(".")[0]
            if name and name != module:
                targets.add(name)
    return targets


GRAPH = {module: _imports(module, path) for module, path in MODULES.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan's algorithm)."""
    index, low, on_stack, stack, components = {}, {}, set(), [], []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def _within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def _owner(module: str) -> str:
    """Which room a module belongs to, for the dependency rule."""
    for prefix in (*WIRING, *CAPABILITIES, "kpis.engine", "panels", "recommendations", "soteria"):
        if _within(module, prefix):
            return prefix
    return module


def test_there_is_no_import_cycle():
    assert _cycles(GRAPH) == []


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_import_walker_sees_imports_inside_functions():
    assert "kpis.engine.models" in GRAPH["kpis.imports.tasks"]
    assert "kpis.engine.snapshots" in GRAPH["kpis.engine.tasks"]


ALLOWED = {
    "soteria": {"soteria"},
    "kpis.engine": {"soteria", "kpis.engine"},
    **{c: {"soteria", "kpis.engine", c} for c in CAPABILITIES},
    "panels": {"soteria", "kpis.engine", "panels"},
    "recommendations": {"soteria", "kpis.engine", "recommendations"},
}


@pytest.mark.parametrize("room", sorted(ALLOWED))
def test_each_room_imports_only_what_the_rule_allows(room):
    broken = sorted(
        f"{module} imports {target}"
        for module, targets in GRAPH.items()
        if _owner(module) == room
        for target in targets
        if _owner(target) not in ALLOWED[room]
    )
    assert broken == []


def test_services_never_import_tasks():
    broken = sorted(
        f"{module} imports {target}"
        for module, targets in GRAPH.items()
        # An app's AppConfig.ready imports its task modules to register their names.
        if not module.endswith("tasks") and not module.endswith(".apps")
        for target in targets
        if target.endswith(".tasks")
    )
    assert broken == []


def test_no_module_is_over_400_lines_without_a_reason_at_its_top():
    """A long module must say in its docstring why it is one thing ("Long because ...")."""
    long = []
    for module, path in sorted(MODULES.items()):
        text = path.read_text()
        lines = text.splitlines()
        if len(lines) > MAX_LINES and "Long because" not in (
            ast.get_docstring(ast.parse(text)) or ""
        ):
            long.append(f"{module} ({len(lines)} lines)")
    assert long == []
