#!/usr/bin/python3
"""The peer of `brm measure --format json`: the four measures of MEASURES.md in plain
Python + PyYAML (C loader), the script a user would write instead. It trusts the data to
be valid (run brm check first) and prints the same JSON object.

usage: bench/measure.py REPO --as-of YYYY-MM-DD [--since YYYY-MM-DD]
"""
import argparse
import datetime as dt
import json
import os
import re
import statistics

import yaml


class Loader(yaml.CSafeLoader):
    pass


# YAML 1.2 core schema: dates stay strings ("YYYY-MM-DD" compares like a date), and only
# true/false are booleans.
Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers
            if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for first, resolvers in yaml.CSafeLoader.yaml_implicit_resolvers.items()}
Loader.add_implicit_resolver("tag:yaml.org,2002:bool",
                             re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def records(repo, folder):
    path = os.path.join(repo, folder)
    names = sorted(os.listdir(path)) if os.path.isdir(path) else []
    out = {}
    for name in names:
        if name.endswith(".yaml") and not name.startswith("."):
            with open(os.path.join(path, name), "rb") as f:
                out[name[:-5]] = yaml.load(f, Loader)
    return out


def default_since(as_of):
    d = dt.date.fromisoformat(as_of)
    year_before = d.replace(year=d.year - 1, day=28 if (d.month, d.day) == (2, 29) else d.day)
    return (year_before + dt.timedelta(days=1)).isoformat()


def days(a, b):
    return (dt.date.fromisoformat(b) - dt.date.fromisoformat(a)).days


def measure(repo, as_of, since):
    with open(os.path.join(repo, "brm.yaml"), "rb") as f:
        survey_settings = (yaml.load(f, Loader) or {}).get("survey") or {}
    base_scale = survey_settings.get("scale", 5)
    base_satisfied = survey_settings.get("satisfied", 4)
    people = records(repo, "customers")

    def in_period(d):
        return d is not None and since <= d <= as_of

    def current(r):
        return r.get("status", "active") == "active" and r.get("since", as_of) <= as_of

    def has_contact(r):
        return isinstance(r.get("it_contact"), str) and r["it_contact"].strip() != ""

    def account(who):
        r = people.get(who)
        if r is None:
            return None
        return r.get("customer") if r["role"] == "purchaser" else who

    acc = {}
    contacts = {"customers": {"total": 0, "with_contact": 0},
                "purchasers": {"total": 0, "with_contact": 0}}
    for pid in sorted(people):
        r = people[pid]
        if not current(r):
            continue
        role = contacts[r["role"] + "s"]
        role["total"] += 1
        role["with_contact"] += has_contact(r)
        if r["role"] == "customer":
            acc[pid] = {"purchasers": 0, "purchasers_with_contact": 0,
                        "has_contact": has_contact(r), "written_agreement": False,
                        "responses": 0, "mean": None, "complaints_received": 0,
                        "complaints_open": 0}
    for pid, r in people.items():
        if current(r) and r["role"] == "purchaser" and r.get("customer") in acc:
            acc[r["customer"]]["purchasers"] += 1
            acc[r["customer"]]["purchasers_with_contact"] += has_contact(r)

    for r in records(repo, "agreements").values():
        if (r.get("status") == "active" and r.get("signed", "9999") <= as_of
                and r["start"] <= as_of and r.get("end", as_of) >= as_of
                and r["customer"] in acc):
            acc[r["customer"]]["written_agreement"] = True

    scores, satisfied, sums = [], 0, {}
    for s in records(repo, "surveys").values():
        if not in_period(s.get("date")):
            continue
        threshold = base_satisfied
        if isinstance(s.get("scale"), int):
            threshold = -(-base_satisfied * s["scale"] // base_scale)
        for resp in s.get("responses") or []:
            score = resp.get("score")
            if not isinstance(score, int) or isinstance(score, bool):
                continue
            scores.append(score)
            satisfied += score >= threshold
            a = account(resp.get("customer"))
            if a in acc:
                acc[a]["responses"] += 1
                sums[a] = sums.get(a, 0) + score
    for a, total in sums.items():
        acc[a]["mean"] = total / acc[a]["responses"]

    received = open_ = 0
    closing_days = []
    for c in records(repo, "complaints").values():
        rec, closed, a = c.get("received"), c.get("closed"), account(c.get("customer"))
        if in_period(rec):
            received += 1
            if a in acc:
                acc[a]["complaints_received"] += 1
        if rec is not None and rec <= as_of and (
                c.get("status") in ("open", "in-progress") or (closed is not None and closed > as_of)):
            open_ += 1
            if a in acc:
                acc[a]["complaints_open"] += 1
        if in_period(closed):
            closing_days.append(days(rec, closed))

    written = sum(a["written_agreement"] for a in acc.values())
    return {
        "as_of": as_of,
        "since": since,
        "contacts": contacts,
        "agreements": {"total": len(acc), "with_written_agreement": written},
        "satisfaction": {"responses": len(scores),
                         "mean": sum(scores) / len(scores) if scores else None,
                         "satisfied": satisfied,
                         "csat": satisfied / len(scores) if scores else None},
        "complaints": {"received": received, "open": open_, "closed": len(closing_days),
                       "median_days_to_close":
                           statistics.median(closing_days) if closing_days else None},
        "by_account": dict(sorted(acc.items())),
    }


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("repo")
    p.add_argument("--as-of", default=dt.date.today().isoformat())
    p.add_argument("--since")
    args = p.parse_args()
    print(json.dumps(measure(args.repo, args.as_of, args.since or default_since(args.as_of)),
                     indent=2))
