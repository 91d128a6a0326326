#!/usr/bin/python3
"""The Python peer of `brm check`: python3-jsonschema with PyYAML's C loader.

Reads every record file and brm.yaml, parses each with PyYAML's CSafeLoader (YAML 1.2
core scalars: dates and yes/no stay strings) and collects every error of a
Draft202012Validator with a format checker against brm's schemas (converted to JSON),
plus the repository's own schema/<kind>.schema.yaml. References between records are not
checked (brm check does that as well).

usage: bench/pyjsonschema-check.py REPO SCHEMA_JSON_DIR
Prints one line per error and a summary; exits 1 when there are errors, as brm check does.
"""
import json
import os
import re
import sys

import jsonschema
import yaml


class Loader(yaml.CSafeLoader):
    pass


# YAML 1.2 core schema: no timestamps, and only true/false are booleans.
Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers
            if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for first, resolvers in yaml.CSafeLoader.yaml_implicit_resolvers.items()}
Loader.add_implicit_resolver("tag:yaml.org,2002:bool",
                             re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))

KINDS = {"customers": "customer", "agreements": "agreement", "complaints": "complaint",
         "meetings": "meeting", "surveys": "survey", "services": "service",
         "requirements": "requirement"}


def yaml_files(folder):
    try:
        return sorted(n for n in os.listdir(folder) if n.endswith(".yaml") and not n.startswith("."))
    except FileNotFoundError:
        return []


def load(path):
    with open(path, "rb") as f:
        return yaml.load(f, Loader)


def main(repo, schema_dir):
    schemas = {}
    for name in os.listdir(schema_dir):
        if name.endswith(".json"):
            with open(os.path.join(schema_dir, name)) as f:
                schema = json.load(f)
            schemas[schema["$id"]] = schema
    Validator = jsonschema.Draft202012Validator
    checker = jsonschema.FormatChecker()

    # jsonschema >= 4.18 resolves $ref through a referencing.Registry; older ones (Debian 12
    # has 4.10) through a RefResolver with a store.
    try:
        from referencing import Registry, Resource
        registry = Registry().with_resources(
            (uri, Resource.from_contents(s)) for uri, s in schemas.items())

        def validator(schema):
            return Validator(schema, registry=registry, format_checker=checker)
    except ImportError:
        def validator(schema):
            resolver = jsonschema.RefResolver.from_schema(schema, store=dict(schemas))
            return Validator(schema, resolver=resolver, format_checker=checker)

    def builtin(kind):
        return validator(schemas[f"urn:brm:schema:{kind}"])

    own = {}
    for name in yaml_files(os.path.join(repo, "schema")):
        schema = load(os.path.join(repo, "schema", name))
        schema.pop("$id", None)
        own[name[: -len(".schema.yaml")]] = validator(schema)

    files = errors = 0

    def check(rel, validators):
        nonlocal files, errors
        files += 1
        try:
            doc = load(os.path.join(repo, rel))
        except yaml.YAMLError as e:
            errors += 1
            print(f"{rel}: {str(e).splitlines()[0]}")
            return
        for v in validators:
            for e in v.iter_errors(doc):
                errors += 1
                print(f"{rel}: /{'/'.join(map(str, e.absolute_path))} {e.message}")

    check("brm.yaml", [builtin("settings")])
    for folder, kind in KINDS.items():
        validators = [builtin(kind)] + ([own[kind]] if kind in own else [])
        for name in yaml_files(os.path.join(repo, folder)):
            check(f"{folder}/{name}", validators)
    print(f"checked {files} files: {errors} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: pyjsonschema-check.py REPO SCHEMA_JSON_DIR")
    sys.exit(main(sys.argv[1], sys.argv[2]))
