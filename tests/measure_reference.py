#!/usr/bin/env python3
"""A second, deliberately simple implementation of MEASURES.md, and the test that brm
agrees with it to the unit on generated repositories.

    python3 tests/measure_reference.py --brm BRM --generator bench/generate.py
    python3 tests/measure_reference.py --reference REPO --as-of D [--since D]   (prints JSON)
    python3 tests/measure_reference.py --brm BRM --generator bench/generate.py --trend

With --trend the generated repository becomes one git commit, and each row of
`brm measure --trend monthly` must equal `brm measure --as-of E` for its month end E (and
the reference), row by row: a trend by the records' own dates needs no history.

It reads the files itself with PyYAML's BaseLoader (every scalar a string: PyYAML is
YAML 1.1 and would turn `2026-03-04` into a date and `no` into False) and converts the
few numbers it needs. It assumes a valid repository (the test runs `brm check` first).
Exit status 77 when PyYAML is missing, which ctest reports as skipped.
"""

import argparse
import datetime as dt
import functools
import json
import math
import os
import subprocess
import sys
import tempfile

try:
    import yaml
except ImportError:  # python3-yaml is in the Makefile's DEBS
    print("measure_reference: PyYAML is not installed; skipping", file=sys.stderr)
    sys.exit(77)

FOLDERS = ["customers", "agreements", "complaints", "meetings", "surveys", "services",
           "requirements"]


def read(path):
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=yaml.BaseLoader)


@functools.lru_cache(maxsize=4)  # the trend check asks about one repository many times
def load(root):
    settings = read(os.path.join(root, "brm.yaml")) or {}
    records = {}
    for folder in FOLDERS:
        records[folder] = {}
        d = os.path.join(root, folder)
        if not os.path.isdir(d):
            continue
        for name in sorted(os.listdir(d)):
            if name.endswith(".yaml") and not name.startswith("."):
                records[folder][name[:-5]] = read(os.path.join(d, name))
    return settings, records


def day(text):
    return dt.date.fromisoformat(text)


def default_since(as_of):
    y, m, d = as_of.year - 1, as_of.month, as_of.day
    if m == 2 and d == 29:  # no Feb 29 a year earlier unless that year is a leap year too
        d = 28
    return dt.date(y, m, d) + dt.timedelta(days=1)


def reference(root, as_of, since=None):
    settings, rec = load(root)
    survey = settings.get("survey", {})
    scale = int(survey.get("scale", "5"))
    satisfied_at = int(survey.get("satisfied", "4"))
    as_of = day(as_of)
    since = day(since) if since else default_since(as_of)

    def in_period(text):
        return text is not None and since <= day(text) <= as_of

    people = rec["customers"]

    def current(r):
        return (r.get("status", "active") == "active"
                and ("since" not in r or day(r["since"]) <= as_of))

    def contact(r):
        return r.get("it_contact", "").strip(" \t\n\r\f\v") != ""

    def account(pid):
        r = people.get(pid)
        if r is None:
            return None
        return r["customer"] if r["role"] == "purchaser" else pid

    accounts = {}
    for pid in sorted(people):
        r = people[pid]
        if current(r) and r["role"] == "customer":
            accounts[pid] = {"purchasers": 0, "purchasers_with_contact": 0,
                             "has_contact": contact(r), "written_agreement": False,
                             "responses": 0, "mean": None, "complaints_received": 0,
                             "complaints_open": 0}

    roles = {"customer": [0, 0], "purchaser": [0, 0]}
    for pid, r in people.items():
        if not current(r):
            continue
        roles[r["role"]][0] += 1
        roles[r["role"]][1] += contact(r)
        if r["role"] == "purchaser" and r["customer"] in accounts:
            accounts[r["customer"]]["purchasers"] += 1
            accounts[r["customer"]]["purchasers_with_contact"] += contact(r)

    for a in rec["agreements"].values():
        # in force while it ran: active, or expired or terminated on its `end`
        ran = a["status"] == "active" or (a["status"] in ("expired", "terminated") and "end" in a)
        written = (ran and "signed" in a and day(a["signed"]) <= as_of
                   and day(a["start"]) <= as_of and ("end" not in a or day(a["end"]) >= as_of))
        if written and a["customer"] in accounts:
            accounts[a["customer"]]["written_agreement"] = True

    scores, satisfied, sums = [], 0, {}
    for s in rec["surveys"].values():
        if not in_period(s["date"]):
            continue
        threshold = satisfied_at
        own = int(s.get("scale", scale))
        if "scale" in s:
            threshold = math.ceil(satisfied_at * own / scale)
        for resp in s["responses"]:
            raw = int(resp["score"])
            # on brm.yaml's scale: 1 + (x - 1)(S - 1)/(s - 1)
            score = raw if own == scale else 1 + (raw - 1) * (scale - 1) / (own - 1)
            scores.append(score)
            satisfied += raw >= threshold
            acc = account(resp["customer"])
            if acc in accounts:
                sums.setdefault(acc, []).append(score)
    for acc, xs in sums.items():
        accounts[acc]["responses"] = len(xs)
        accounts[acc]["mean"] = sum(xs) / len(xs)

    received = open_ = 0
    days_to_close = []
    for c in rec["complaints"].values():
        acc = account(c["customer"])
        if in_period(c["received"]):
            received += 1
            if acc in accounts:
                accounts[acc]["complaints_received"] += 1
        closed = c.get("closed")
        if day(c["received"]) <= as_of and (c["status"] in ("open", "in-progress")
                                            or (closed and day(closed) > as_of)):
            open_ += 1
            if acc in accounts:
                accounts[acc]["complaints_open"] += 1
        if in_period(closed):
            days_to_close.append((day(closed) - day(c["received"])).days)

    days_to_close.sort()
    n = len(days_to_close)
    median = None
    if n:
        median = (days_to_close[n // 2] if n % 2
                  else (days_to_close[n // 2 - 1] + days_to_close[n // 2]) / 2)

    with_agreement = sum(a["written_agreement"] for a in accounts.values())
    out = {
        "version": 1,  # docs/decisions.md: every JSON document brm prints is versioned
        "as_of": as_of.isoformat(),
        "since": since.isoformat(),
        "contacts": {
            "customers": {"total": roles["customer"][0], "with_contact": roles["customer"][1]},
            "purchasers": {"total": roles["purchaser"][0], "with_contact": roles["purchaser"][1]},
        },
        "agreements": {"total": len(accounts), "with_written_agreement": with_agreement},
        "satisfaction": {"responses": len(scores),
                         "mean": sum(scores) / len(scores) if scores else None,
                         "satisfied": satisfied,
                         "csat": satisfied / len(scores) if scores else None},
        "complaints": {"received": received, "open": open_, "closed": n,
                       "median_days_to_close": median},
        "by_account": accounts,
    }
    targets = targets_of(settings.get("targets", {}), out)
    if targets:
        out["targets"] = targets
    return out


def targets_of(wanted, m):
    """MEASURES.md, "Targets": each target with the figure it is about."""
    c = m["contacts"]
    total = c["customers"]["total"] + c["purchasers"]["total"]
    contacts = c["customers"]["with_contact"] + c["purchasers"]["with_contact"]
    agreements = m["agreements"]
    actual = {
        "contacts": contacts / total if total else None,
        "agreements": (agreements["with_written_agreement"] / agreements["total"]
                       if agreements["total"] else None),
        "csat": m["satisfaction"]["csat"],
        "complaints_open": m["complaints"]["open"],
    }
    out = {}
    for key in ("contacts", "agreements", "csat", "complaints_open"):
        if key not in wanted:
            continue
        target = int(wanted[key]) if key == "complaints_open" else float(wanted[key])
        a = actual[key]
        met = None if a is None else (a <= target if key == "complaints_open" else a >= target)
        out[key] = {"target": target, "actual": a, "met": met}
    return out


def differences(want, got, path=""):
    """Where two JSON values differ: exact for all but floats (1e-9), key order too."""
    out = []
    if isinstance(want, dict) and isinstance(got, dict):
        if list(want) != list(got):
            out.append(f"{path or '/'}: keys {list(want)} != {list(got)}")
        for k in want:
            if k in got:
                out += differences(want[k], got[k], f"{path}/{k}")
    elif isinstance(want, bool) or isinstance(got, bool) or want is None or got is None:
        if type(want) is not type(got) or want != got:
            out.append(f"{path}: {want!r} != {got!r}")
    elif isinstance(want, (int, float)) and isinstance(got, (int, float)):
        if abs(want - got) > 1e-9:
            out.append(f"{path}: {want!r} != {got!r}")
    elif want != got:
        out.append(f"{path}: {want!r} != {got!r}")
    return out


CASES = [  # as_of, since
    ("2026-11-26", None), ("2026-06-30", None), ("2025-12-31", None), ("2024-02-29", None),
    ("2025-02-28", None), ("2025-03-01", None), ("2026-11-26", "2026-01-01"),
    ("2024-06-15", "2024-06-15"), ("2027-03-01", None),
]


def month_ends(first, last):
    """The month ends from first's month to last, in order."""
    out = []
    y, m = first.year, first.month
    while True:
        end = dt.date(y + m // 12, m % 12 + 1, 1) - dt.timedelta(days=1)
        if end > last:
            return out
        out.append(end.isoformat())
        y, m = y + m // 12, m % 12 + 1


TREND_CASES = [  # the flags, the month ends the rows must have
    ([], month_ends(dt.date(2025, 11, 1), dt.date(2026, 11, 26))[-12:]),
    (["--from", "2023-12-15", "--to", "2026-11-30"],
     month_ends(dt.date(2023, 12, 1), dt.date(2026, 11, 30))),
]


def trend_check(brm, repo, env):
    subprocess.run(["git", "-C", repo, "init", "-q"], check=True)
    subprocess.run(["git", "-C", repo, "add", "-A"], check=True)
    subprocess.run(["git", "-C", repo, "-c", "user.name=T", "-c", "user.email=t@example.com",
                    "commit", "-qm", "all at once"], check=True,
                   env=dict(env, GIT_AUTHOR_DATE="2026-11-26T12:00:00Z",
                            GIT_COMMITTER_DATE="2026-11-26T12:00:00Z"))

    def measure(*args):
        out = subprocess.run([brm, "-C", repo, "measure", "--format", "json", *args], env=env,
                             check=True, capture_output=True, text=True).stdout
        return json.loads(out)

    failed = 0
    for flags, ends in TREND_CASES:
        rows = measure("--trend", "monthly", *flags)["periods"]
        got_ends = [r["as_of"] for r in rows]
        if got_ends != ends:
            print(f"FAIL --trend monthly {' '.join(flags)}: rows {got_ends} != {ends}")
            failed += 1
            continue
        bad = 0
        for row in rows:
            single = measure("--as-of", row["as_of"])
            single.pop("by_account")
            single.pop("version")  # the document's, not a period's
            want = reference(repo, row["as_of"])
            want.pop("by_account")
            want.pop("version")
            diff = differences(single, row) + differences(want, row)
            for d in diff[:10]:
                print(f"     {row['as_of']}: {d}")
            bad += bool(diff)
        print(f"{'ok  ' if not bad else 'FAIL'} --trend monthly {' '.join(flags)}: "
              f"{len(rows)} rows agree with --as-of and the reference")
        failed += bool(bad)
    return 1 if failed else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--brm")
    ap.add_argument("--generator")
    ap.add_argument("--customers", type=int, default=40)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--reference", metavar="REPO")
    ap.add_argument("--as-of")
    ap.add_argument("--since")
    ap.add_argument("--trend", action="store_true")
    a = ap.parse_args()
    if a.reference:
        print(json.dumps(reference(a.reference, a.as_of, a.since), indent=2))
        return 0

    env = dict(os.environ, BRM_TODAY="2026-11-26", NO_COLOR="1")
    with tempfile.TemporaryDirectory() as tmp:
        repo = os.path.join(tmp, "repo")
        subprocess.run([sys.executable, a.generator, repo, "--customers", str(a.customers),
                        "--seed", str(a.seed)], check=True, stdout=subprocess.DEVNULL)
        check = subprocess.run([a.brm, "-C", repo, "check", "--strict"], env=env,
                               capture_output=True, text=True)
        if check.returncode != 0:
            print("the generated repository does not check clean:\n" + check.stdout)
            return 1
        if a.trend:
            return trend_check(a.brm, repo, env)
        failed = 0
        for as_of, since in CASES:
            args = [a.brm, "-C", repo, "measure", "--format", "json", "--as-of", as_of]
            if since:
                args += ["--since", since]
            got = json.loads(subprocess.run(args, env=env, check=True, capture_output=True,
                                            text=True).stdout)
            want = reference(repo, as_of, since)
            diff = differences(want, got)
            label = f"--as-of {as_of}" + (f" --since {since}" if since else "")
            print(f"{'ok  ' if not diff else 'FAIL'} {label}: "
                  f"{want['satisfaction']['responses']} responses, "
                  f"{want['complaints']['received']} complaints, {len(want['by_account'])} accounts")
            for d in diff[:20]:
                print("     " + d)
            failed += bool(diff)
        return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
