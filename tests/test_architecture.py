"""The shape of the package: subpackages, an import graph without cycles (lazy imports included), no private name
imported across modules, short functions and lines."""
import ast
from pathlib import Path
import pytest

PKG = Path(__file__).resolve().parent.parent/'layerwise_adapter'
MAX_FUNCTION_LINES, MAX_LINE = 60, 120

def module_name(path:Path)->str:
    parts = path.relative_to(PKG.parent).with_suffix('').parts
    return '.'.join(parts[:-1] if parts[-1] == '__init__' else parts)

def modules()->dict[str, Path]:
    return {module_name(p): p for p in sorted(PKG.rglob('*.py')) if p.name != '_modidx.py'}

def resolve(mod:str, path:Path, node:ast.ImportFrom)->str:
    "The absolute module an ImportFrom names."
    if not node.level: return node.module or ''
    pkg = mod.split('.') if path.name == '__init__.py' else mod.split('.')[:-1]
    base = pkg[:len(pkg) - node.level + 1]
    return '.'.join(base + ([node.module] if node.module else []))

def imports(mods:dict)->list[tuple]:
    "(importer, imported module, name or None, line) for every import anywhere in a module, nested ones included."
    out = []
    for mod, path in mods.items():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                out += [(mod, a.name, None, node.lineno) for a in node.names if a.name.startswith('layerwise_adapter')]
            elif isinstance(node, ast.ImportFrom):
                target = resolve(mod, path, node)
                if not target.startswith('layerwise_adapter'): continue
                for a in node.names:
                    sub = f'{target}.{a.name}'
                    out.append((mod, sub if sub in mods else target, None if sub in mods else a.name, node.lineno))
    return out

def test_subpackages():
    pkgs = sorted(module_name(p) for p in PKG.rglob('__init__.py'))
    for want in ('core', 'data', 'stats', 'models', 'importance', 'selection', 'distill', 'preference', 'workflow',
                 'experiments'):
        assert f'layerwise_adapter.{want}' in pkgs, pkgs
    flat = [p.name for p in PKG.glob('*.py') if p.name not in ('__init__.py', '_modidx.py')]
    assert not flat, f'modules outside a subpackage: {flat}'

def find_cycle(graph:dict)->list|None:
    "A cycle of `graph` (node -> set of nodes) as a list of nodes, or None."
    state, stack = {}, []
    def visit(n):
        state[n] = 1; stack.append(n)
        for m in sorted(graph.get(n, ())):
            if state.get(m) == 1: return stack[stack.index(m):] + [m]
            if not state.get(m) and (c := visit(m)): return c
        state[n] = 2; stack.pop()
    for n in sorted(graph):
        if not state.get(n) and (c := visit(n)): return c

def test_find_cycle_finds_one():
    assert find_cycle({'a': {'b'}, 'b': {'c'}, 'c': {'a'}}) == ['a', 'b', 'c', 'a']
    assert find_cycle({'a': {'b'}, 'b': {'c'}, 'c': set()}) is None

def test_no_import_cycle():
    mods = modules()
    graph = {}
    for a, b, _, _ in imports(mods):
        # the root package only holds the version string; a package's __init__ is a node like any module
        if b == 'layerwise_adapter' or a == b: continue
        graph.setdefault(a, set()).add(b)
    assert (c := find_cycle(graph)) is None, f'import cycle: {" -> ".join(c)}'

def test_no_private_name_across_modules():
    bad = [f'{a}:{line} imports {n} from {b}' for a, b, n, line in imports(modules())
           if n and n.startswith('_') and not n.startswith('__') and a != b]
    assert not bad, bad

def test_short_functions():
    long = []
    for mod, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                n = node.end_lineno - node.lineno + 1
                if n > MAX_FUNCTION_LINES: long.append(f'{mod}.{node.name}: {n} lines')
    assert not long, long

def test_short_lines():
    files = [*modules().values(), *Path(__file__).parent.glob('*.py')]
    # nbdev writes `__all__` wrapped at 120 characters after its 10-character `__all__ = `: its own line, not ours
    long = [f'{p.name}:{i}' for p in files for i, l in enumerate(p.read_text().split('\n'), 1)
            if len(l) > MAX_LINE and not l.startswith('__all__ = [')]
    assert not long, long

def test_cited_references_exist():
    "Every [Key] a docstring or comment of the package cites has an entry in nbs/references.md."
    import re
    known = set(re.findall(r'\*\*\[(\w+)\]\*\*', (PKG.parent/'nbs'/'references.md').read_text()))
    cited = {k for p in modules().values() for k in re.findall(r'\[([A-Z][A-Za-z]+\d{4})\]', p.read_text())}
    assert cited and not cited - known, sorted(cited - known)
