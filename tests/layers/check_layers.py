#!/usr/bin/env python3
"""brm's library is layered (lib/CMakeLists.txt): base < text < schema < git < repo < views.

Checks, over every source of lib/ and cmd/, what the build can only refuse one file at a
time, and names each offence:
  - an include that goes up a layer (the build fails on it: the header is not on the path);
  - a private header (lib/LAYER/x.hpp) included from outside its layer;
  - an include cycle between the modules of lib/ (x.cpp with its x.hpp): a module that
    uses, through its header or its source, a module that uses it back.
usage: check_layers.py SOURCE_DIR
"""
import os
import re
import sys

LAYERS = ["base", "text", "schema", "git", "repo", "views"]
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def main(root):
    lib = os.path.join(root, "lib")
    headers = {}  # include spelling -> (layer, private)
    modules = {}  # module name -> (layer, [files])
    for layer in LAYERS:
        d = os.path.join(lib, layer)
        for dirpath, _, names in os.walk(d):
            for n in sorted(names):
                if not n.endswith((".cpp", ".hpp")):
                    continue
                path = os.path.join(dirpath, n)
                public = os.path.basename(dirpath) == "brm" and "include" in dirpath
                if n.endswith(".hpp"):
                    key = ("brm/" if public else "") + n
                    if key in headers:
                        return fail([f"{path}: a second header '{key}'"])
                    headers[key] = (layer, not public, path)
                modules.setdefault(n[:-4], (layer, []))[1].append(path)
    stray = [n for n in os.listdir(lib) if n.endswith((".cpp", ".hpp"))]
    problems = [f"lib/{n}: outside every layer; put it in the folder of its layer" for n in stray]

    uses = {m: set() for m in modules}
    for m, (layer, files) in modules.items():
        for path in files:
            text = open(path, encoding="utf-8").read()
            for match in INCLUDE.finditer(text):
                inc = match.group(1)
                line = text.count("\n", 0, match.start()) + 1
                where = f"{os.path.relpath(path, root)}:{line}"
                if inc not in headers:
                    continue  # the file's own folder (cmd/, tests/) or a system header
                hlayer, private, _ = headers[inc]
                if LAYERS.index(hlayer) > LAYERS.index(layer):
                    problems.append(f"{where}: the {layer} layer includes '{inc}' of the "
                                    f"{hlayer} layer above it")
                if private and hlayer != layer:
                    problems.append(f"{where}: '{inc}' is private to the {hlayer} layer")
                used = os.path.basename(inc)[:-4]
                if used != m:
                    uses[m].add(used)

    for path in walk(os.path.join(root, "cmd")):
        text = open(path, encoding="utf-8").read()
        for match in INCLUDE.finditer(text):
            inc = match.group(1)
            if inc in headers and headers[inc][1]:
                line = text.count("\n", 0, match.start()) + 1
                problems.append(f"{os.path.relpath(path, root)}:{line}: cmd/ includes '{inc}', "
                                f"private to the {headers[inc][0]} layer")

    for cycle in cycles(uses):
        problems.append("include cycle: these modules use each other: " + ", ".join(cycle))
    if problems:
        return fail(problems)
    print(f"{len(modules)} modules in {len(LAYERS)} layers: no include goes up, no private "
          f"header is used outside its layer, no include cycle")
    return 0


def walk(d):
    for dirpath, _, names in os.walk(d):
        for n in sorted(names):
            if n.endswith((".cpp", ".hpp")):
                yield os.path.join(dirpath, n)


def cycles(graph):
    """The strongly connected components of more than one module (Tarjan), each as a path."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in graph:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def fail(problems):
    for p in problems:
        print(p)
    noun = "problem" if len(problems) == 1 else "problems"
    print(f"{len(problems)} {noun} with brm's layers (see lib/CMakeLists.txt)")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "."))
