"""The shape of the package, checked: no import cycles (a function-level import counts the
same as one at the top: hiding a cycle inside a function does not remove it), and each layer
imports only what lies beneath it (docs/architecture.md draws the layers)."""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "lint_reports"

# Who may not import whom, by package (a module's package is its first name under lint_reports).
# cli sits on top; lsp beside it; formats render findings; core runs kinds over documents.
FORBIDDEN = {
    "core": {"cli", "lsp", "formats"},
    "kinds": {"cli", "lsp", "formats", "speed.result_cache", "speed.packcache", "core.runner", "core.engine",
              "core.baseline", "config.packs", "io.walk"},
    # what a kind's check is given: a model of the document and its settings, beneath the engine
    "core.context": {"core.engine", "core.runner", "config", "kinds", "io", "cli", "lsp", "formats"},
    "config": {"cli", "lsp", "formats"},
    "io": {"cli", "lsp", "formats", "kinds", "speed"},
    "speed": {"cli", "lsp", "formats", "kinds"},
    "formats": {"cli", "lsp", "kinds", "speed", "config"},
    "lsp": {"cli"},
}


def _modules() -> dict:
    """Dotted name (without lint_reports.) -> (path, is_package)."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts = parts[:-1]
        found[".".join(parts)] = (path, is_package)
    return found


def _imports(name: str, path: Path, is_package: bool, modules: dict) -> set:
    """The lint_reports modules `name` imports, anywhere in it (functions included)."""
    here = ["lint_reports"] + (name.split(".") if name else [])
    if not is_package:
        here = here[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
            candidates = [(t, ()) for t in targets]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            candidates = [(target, [alias.name for alias in node.names])]
        else:
            continue
        for target, names in candidates:
            if target != "lint_reports" and not target.startswith("lint_reports."):
                continue
            inner = target[len("lint_reports."):] if target != "lint_reports" else ""
            submodules = [f"{inner}.{n}".strip(".") for n in names if f"{inner}.{n}".strip(".") in modules]
            found.update(submodules or [inner])
    found.discard(name)
    return found


def _graph() -> dict:
    modules = _modules()
    return {name: _imports(name, path, is_package, modules) for name, (path, is_package) in modules.items()}


def _cycles(graph: dict) -> list:
    """The strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, result = {}, {}, [], set(), []

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
                result.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return result


def _within(name: str, area: str) -> bool:
    return name == area or name.startswith(area + ".")


def test_the_graph_sees_function_level_imports():
    graph = _graph()
    assert "config.settings" in graph["core.engine"]  # a top-level import
    assert "speed.result_cache" in graph["core.runner"]  # one inside a function


def test_no_import_cycles():
    assert _cycles(_graph()) == []


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_layers_import_only_downward():
    offences = []
    for name, targets in sorted(_graph().items()):
        for area, banned in FORBIDDEN.items():
            if not _within(name, area):
                continue
            offences += [f"{name} imports {target}" for target in sorted(targets)
                         if any(_within(target, b) for b in banned)]
    assert offences == []


def test_every_kind_lives_under_kinds():
    """A rule kind is found by name under lint_reports.kinds; nothing else declares KIND."""
    from lint_reports.kinds import known_kinds

    declaring = sorted(name for name, (path, _) in _modules().items()
                       if any(isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "KIND" for t in node.targets)
                              for node in ast.parse(path.read_text(encoding="utf-8")).body))
    assert all(name.startswith("kinds.") for name in declaring), declaring
    assert len(declaring) == len(known_kinds())
