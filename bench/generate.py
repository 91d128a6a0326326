#!/usr/bin/env python3
"""Generates a valid brm repository of any size, deterministically, for benchmarks and
for the measure-reference test.

    python3 bench/generate.py OUT --customers N [--seed S] [--history MONTHS]

1,000 customers make about 26,000 records: each customer (role customer) has about four
purchasers, two agreements, six complaints, eight meetings and four requirements; there
is a survey for every two customers and a service catalogue. Dates spread over the three
years before 2026-11-26, with the edges of MEASURES.md among them: inactive customers,
customers whose role starts in the future, blank IT contacts, agreements unsigned,
signed late or ending on a month end, surveys on their own scale, complaints closed
after the day they were received.

Every record is a list of versions (the day it changed, its text then). Without
--history the newest version of each is written. With --history M, OUT becomes a git
repository whose first-parent history spans the last M months in weekly commits with
fixed author and committer dates (the git program is fine here; brm itself never runs
it), each commit writing the versions that fell due since the one before, so that the
files at any commit are the repository as it was on that day.
"""

import argparse
import datetime as dt
import os
import random
import subprocess
import sys

END = dt.date(2026, 11, 26)
START = END - dt.timedelta(days=3 * 365)

FIRST = ["Anna", "Erik", "Maria", "Per", "Karin", "Lars", "Sofia", "Jan", "Eva", "Nils",
         "Ingrid", "Olof", "Greta", "Hugo", "Léa", "Jörg", "Zoë", "Björn", "Aino", "Marta"]
LAST = ["Berg", "Lund", "Holm", "Ek", "Sjö", "Dahl", "Novák", "Janssen", "Fontaine", "Tamm",
        "Bakker", "Romano", "Hoffmann", "Peeters", "Sørensen", "Dubois", "Nieminen", "Kowalski"]
UNITS = ["Retail", "Finance", "Logistics", "Marketing", "Production", "Legal", "Sales",
         "Research", "Procurement", "Customer Service", "Facilities", "Human Resources"]
SERVICES = ["Email and calendar", "Service desk", "Network", "ERP", "Point of sale",
            "Data warehouse", "Workplace", "Telephony", "Identity", "Web shop"]
METRICS = [("availability", "percent", (98.0, 99.9)), ("response time", "hours", (1, 8)),
           ("resolution time", "days", (1, 5)), ("incidents", "count", (0, 20))]


def day(d):
    return d.isoformat()


def q(text):
    """A double-quoted YAML string (free text may hold ':' or '#')."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Gen:
    def __init__(self, customers, seed):
        self.rng = random.Random(seed)
        self.n = customers
        self.records = {}  # path -> [(date, text)], dates ascending

    def rand_day(self, lo, hi):
        if hi < lo:
            hi = lo
        return lo + dt.timedelta(days=self.rng.randint(0, (hi - lo).days))

    def name(self):
        return f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"

    def add(self, path, versions):
        # Nothing happens after END: it is the last day of the history.
        versions = sorted((v for v in versions if v[0] <= END), key=lambda v: v[0])
        if versions:
            self.records[path] = versions

    # --- kinds -------------------------------------------------------------------------

    def services(self):
        self.service_ids = []
        for i in range(30 + self.n // 20):
            sid = f"svc-{i:03d}"
            self.service_ids.append(sid)
            status = "retired" if i % 17 == 16 else ("pipeline" if i % 11 == 10 else "live")
            text = (f"name: {q(SERVICES[i % len(SERVICES)] + ' ' + str(i))}\n"
                    f"status: {status}\nowner: {q(self.rng.choice(UNITS) + ' IT')}\n")
            self.add(f"services/{sid}.yaml", [(START - dt.timedelta(days=400), text)])

    def person(self, pid, role, customer, since, created):
        r = self.rng
        name = self.name()
        lines = [f"name: {q(name)}", f"role: {role}"]
        unit = r.choice(UNITS)
        lines.append(f"title: {q(('Head of ' if role == 'customer' else 'Manager, ') + unit)}")
        lines.append(f"unit: {q(unit)}")
        lines.append(f"email: {pid}@example.com")
        if role == "purchaser":
            lines.append(f"customer: {customer}")
        head = "\n".join(lines) + "\n"
        contact = r.random()
        it_contact = None
        if contact < 0.02:
            it_contact = "  "  # blank: counts as no contact
        elif contact < (0.82 if role == "customer" else 0.72):
            it_contact = self.name()
        budget = ""
        if role == "customer":
            budget = (f"budget:\n  amount: {r.randint(1, 400) * 5000}\n  currency: EUR\n"
                      f"  year: 2026\n")
        # The contact may be designated later than the record was made; a person may
        # leave the role (inactive) at some point.
        contact_from = created if r.random() < 0.5 else self.rand_day(created, END)
        leaves = self.rand_day(since, END) if r.random() < 0.06 else None

        def text(on):
            t = head
            if it_contact is not None and on >= contact_from:
                t += f"it_contact: {q(it_contact)}\n"
            t += budget
            t += f"status: {'inactive' if leaves and on >= leaves else 'active'}\n"
            return t + f"since: {day(since)}\n"

        days = {created, contact_from} | ({leaves} if leaves else set())
        self.add(f"customers/{pid}.yaml", [(d, text(d)) for d in sorted(days) if d >= created])

    def people(self):
        r = self.rng
        self.customers = []  # (id, since)
        self.people_ids = []  # (id, account, since)
        for i in range(self.n):
            cid = f"c{i:04d}"
            roll = r.random()
            if roll < 0.03:  # takes the role after the last day: not current yet
                since = self.rand_day(END + dt.timedelta(days=1), END + dt.timedelta(days=200))
            else:
                since = self.rand_day(dt.date(2019, 1, 1), END - dt.timedelta(days=60))
            created = min(since, self.rand_day(START - dt.timedelta(days=200), END))
            self.person(cid, "customer", None, since, created)
            self.customers.append((cid, since))
            self.people_ids.append((cid, cid, since))
            for j in range(r.choice([2, 3, 4, 4, 5, 6])):
                pid = f"{cid}-p{j}"
                psince = self.rand_day(since, since + dt.timedelta(days=300))
                pcreated = max(created, psince - dt.timedelta(days=r.randint(0, 30)))
                self.person(pid, "purchaser", cid, psince, pcreated)
                self.people_ids.append((pid, cid, psince))

    def agreements(self):
        r = self.rng
        for cid, since in self.customers:
            for k in range(r.choice([1, 2, 2, 3])):
                aid = f"{cid}-a{k}"
                start = self.rand_day(max(since, START - dt.timedelta(days=300)), END)
                if r.random() < 0.3:  # ends on a month end, as agreements often do
                    y = start.year + 1
                    end = dt.date(y, start.month, 1) - dt.timedelta(days=1)
                elif r.random() < 0.8:
                    end = start + dt.timedelta(days=r.randint(90, 900))
                else:
                    end = None
                unsigned = r.random() < 0.12
                signed = None if unsigned else start + dt.timedelta(days=r.randint(-40, 30))
                created = min(start, signed or start) - dt.timedelta(days=r.randint(1, 40))
                terminated = (self.rand_day(start, END)
                              if r.random() < 0.05 and start < END else None)
                svc = r.sample(self.service_ids, r.randint(1, 3))
                body = ""
                for s in svc:
                    body += f"  - service: {s}\n"
                    if r.random() < 0.7:
                        body += "    levels:\n"
                        for metric, unit, (lo, hi) in r.sample(METRICS, r.randint(1, 2)):
                            target = round(r.uniform(lo, hi), 1) if unit == "percent" else r.randint(lo, hi)
                            body += (f"      - metric: {metric}\n        target: {target}\n"
                                     f"        unit: {unit}\n")
                financing = (f"financing:\n  amount: {r.randint(1, 200) * 1000}\n  currency: EUR\n"
                             f"  period: {r.choice(['once', 'monthly', 'quarterly', 'yearly'])}\n"
                             f"  cost_centre: \"{r.randint(1000, 9999)}\"\n")

                def text(on, start=start, end=end, signed=signed, terminated=terminated,
                         aid=aid, cid=cid, body=body, financing=financing):
                    if terminated and on >= terminated:
                        status = "terminated"
                    elif end and on > end:
                        status = "expired"
                    elif signed and on >= signed:
                        status = "active"
                    else:
                        status = "draft"
                    t = f"title: {q('IT services for ' + cid + ' ' + str(start.year))}\n"
                    t += f"customer: {cid}\nstatus: {status}\n"
                    if signed and on >= signed:
                        t += f"signed: {day(signed)}\n"
                    t += f"start: {day(start)}\n"
                    # a terminated agreement ends the day it was terminated (FORMAT.md)
                    ended = terminated if status == "terminated" else end
                    if ended:
                        t += f"end: {day(ended)}\n"
                    t += f"services:\n{body}{financing}"
                    return t

                days = {created}
                if signed:
                    days.add(signed)
                if end and end < END:
                    days.add(end + dt.timedelta(days=1))
                if terminated:
                    days.add(terminated)
                self.add(f"agreements/{aid}.yaml",
                         [(d, text(d)) for d in sorted(days) if d <= END])

    def who(self, on):
        """A customer or purchaser in the role by `on` (purchasers more often)."""
        for _ in range(20):
            pid, account, since = self.rng.choice(self.people_ids)
            if since <= on:
                return pid
        return self.customers[0][0]

    def complaints(self):
        r = self.rng
        for i in range(self.n * 6):
            received = self.rand_day(START, END)
            cid = f"{day(received)}-complaint-{i:05d}"
            customer = self.who(received)
            roll = r.random()
            closed = None
            if roll < 0.8:
                closed = received + dt.timedelta(days=int(r.expovariate(1 / 12)))
                if closed > END:
                    closed = None
            in_progress = received + dt.timedelta(days=r.randint(0, 5)) if r.random() < 0.4 else None
            outcome = "rejected" if r.random() < 0.15 else "resolved"
            head = (f"customer: {customer}\nraised_by: {q(self.name())}\nreceived: {day(received)}\n"
                    f"channel: {r.choice(['email', 'phone', 'meeting', 'survey', 'portal', 'other'])}\n"
                    f"service: {r.choice(self.service_ids)}\n"
                    f"severity: {r.choice(['low', 'medium', 'high'])}\n"
                    f"summary: {q('Problem number ' + str(i) + ': slow service')}\n")

            def text(on, head=head, closed=closed, in_progress=in_progress, outcome=outcome):
                if closed and on >= closed:
                    return (head + f"status: {outcome}\nclosed: {day(closed)}\n"
                            f"resolution: {q('Handled')}\n")
                if in_progress and on >= in_progress:
                    return head + "status: in-progress\n"
                return head + "status: open\n"

            days = {received} | ({closed} if closed else set())
            if in_progress and (not closed or in_progress < closed):
                days.add(in_progress)
            self.add(f"complaints/{cid}.yaml", [(d, text(d)) for d in sorted(days) if d <= END])

    def meetings(self):
        r = self.rng
        self.meeting_ids = []  # (id, date)
        for i in range(self.n * 8):
            date = self.rand_day(START, END)
            mid = f"{day(date)}-meeting-{i:05d}"
            customer = self.who(date)
            self.meeting_ids.append((mid, date))
            actions = []
            for k in range(r.randint(0, 3)):
                due = date + dt.timedelta(days=r.randint(7, 60))
                done = date + dt.timedelta(days=r.randint(1, 70)) if r.random() < 0.7 else None
                if done and done > END:
                    done = None
                actions.append((f"Follow up {k + 1}", self.name(), due, done))
            head = (f"date: {day(date)}\ncustomer: {customer}\n"
                    f"type: {r.choice(['regular', 'review', 'escalation', 'workshop'])}\n"
                    f"attendees: [{q(self.name())}, {q(self.name())}]\n"
                    f"agenda: [{q('Service review')}, {q('Plans')}]\n")

            def text(on, head=head, actions=actions):
                t = head
                if actions:
                    t += "actions:\n"
                    for what, owner, due, done in actions:
                        t += f"  - what: {q(what)}\n    owner: {q(owner)}\n    due: {day(due)}\n"
                        if done and on >= done:
                            t += f"    done: {day(done)}\n"
                return t

            days = {date} | {a[3] for a in actions if a[3]}
            self.add(f"meetings/{mid}.yaml", [(d, text(d)) for d in sorted(days)])

    def surveys(self):
        r = self.rng
        for i in range(max(1, self.n // 2)):
            date = self.rand_day(START, END)
            sid = f"{day(date)}-survey-{i:04d}"
            scale = r.choice([None, None, None, 5, 10, 7, 4])
            top = scale or 5
            t = f"title: {q('Satisfaction round ' + str(i))}\ndate: {day(date)}\n"
            if scale:
                t += f"scale: {scale}\n"
            t += "questions:\n  - id: overall\n    text: \"Overall satisfaction\"\n"
            t += "responses:\n"
            seen = set()  # one answer per respondent: a second is a check warning
            for _ in range(r.randint(5, 35)):
                score = r.randint(1, top)
                who = self.who(date)
                answers = r.randint(1, top) if r.random() < 0.5 else None
                if who in seen:
                    continue
                seen.add(who)
                t += f"  - customer: {who}\n    score: {score}\n"
                if answers is not None:
                    t += f"    answers: {{overall: {answers}}}\n"
            self.add(f"surveys/{sid}.yaml", [(date, t)])

    def requirements(self):
        r = self.rng
        for i in range(self.n * 4):
            raised = self.rand_day(START, END)
            rid = f"{day(raised)}-requirement-{i:05d}"
            customer = self.who(raised)
            meeting = None
            if r.random() < 0.3:
                mid, mdate = r.choice(self.meeting_ids)
                if mdate <= raised:
                    meeting = mid
            decided = raised + dt.timedelta(days=r.randint(3, 60)) if r.random() < 0.7 else None
            if decided and decided > END:
                decided = None
            outcome = r.choice(["accepted", "rejected", "delivered"])
            delivered = None
            if decided and outcome == "delivered":
                delivered = decided + dt.timedelta(days=r.randint(10, 120))
                if delivered > END:
                    delivered = None
            head = (f"title: {q('Improvement ' + str(i))}\ncustomer: {customer}\n"
                    f"type: {r.choice(['requirement', 'improvement', 'change'])}\n"
                    f"raised: {day(raised)}\n" + (f"meeting: {meeting}\n" if meeting else ""))

            def text(on, head=head, decided=decided, delivered=delivered, outcome=outcome):
                if delivered and on >= delivered:
                    return (head + f"status: delivered\ndecided: {day(decided)}\n"
                            f"delivered: {day(delivered)}\n")
                if decided and on >= decided:
                    status = "accepted" if outcome == "delivered" else outcome
                    return head + f"status: {status}\ndecided: {day(decided)}\n"
                return head + "status: proposed\n"

            days = {raised} | ({decided} if decided else set()) | ({delivered} if delivered else set())
            self.add(f"requirements/{rid}.yaml", [(d, text(d)) for d in sorted(days)])

    def generate(self):
        self.services()
        self.people()
        self.agreements()
        self.complaints()
        self.meetings()
        self.surveys()
        self.requirements()


SETTINGS = """brm: 1
organisation: Generated Group IT
currency: EUR
survey:
  scale: 5
  satisfied: 4
review_warning_days: 60
meeting_interval_days: 90
targets:
  contacts: 0.8
  agreements: 0.7
  csat: 0.6
  complaints_open: 20
"""


def write(out, path, text):
    full = os.path.join(out, path)
    os.makedirs(os.path.dirname(full) or out, exist_ok=True)
    with open(full, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def git(out, *args, when=None, stdin=None):
    env = dict(os.environ)
    env.update(GIT_AUTHOR_NAME="Rita Relationship", GIT_AUTHOR_EMAIL="rita@example.com",
               GIT_COMMITTER_NAME="Rita Relationship", GIT_COMMITTER_EMAIL="rita@example.com",
               GIT_CONFIG_NOSYSTEM="1", HOME=out)
    if when:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = when
    # No detached `gc --auto` after the commits: it raced the explicit gc below ("gc is
    # already running") and went on using a core after the script had ended.
    subprocess.run(["git", "-c", "gc.auto=0", "-C", out, *args], check=True, env=env, input=stdin,
                   stdout=subprocess.DEVNULL)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--customers", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--history", type=int, default=0, metavar="MONTHS")
    a = ap.parse_args()
    if os.path.exists(a.out) and os.listdir(a.out):
        sys.exit(f"generate.py: '{a.out}' exists and is not empty")
    os.makedirs(a.out, exist_ok=True)

    g = Gen(a.customers, a.seed)
    g.generate()
    write(a.out, "brm.yaml", SETTINGS)

    if a.history <= 0:
        for path, versions in sorted(g.records.items()):
            write(a.out, path, versions[-1][1])
        print(f"{len(g.records)} records in {a.out}")
        return

    git(a.out, "init", "-q", "-b", "main")
    first = END - dt.timedelta(days=round(a.history * 30.44))
    # Weekly commits at noon UTC, the last on END; versions due by a commit's day go in.
    days = []
    d = END
    while d >= first:
        days.append(d)
        d -= dt.timedelta(days=7)
    days.reverse()
    nxt = {path: 0 for path in g.records}
    for n, on in enumerate(days):
        changed = [] if n else ["brm.yaml"]
        for path, versions in sorted(g.records.items()):
            i = nxt[path]
            last = None
            while i < len(versions) and versions[i][0] <= on:
                last = versions[i][1]
                i += 1
            if last is not None:
                nxt[path] = i
                write(a.out, path, last)
                changed.append(path)
        if not changed:
            continue
        git(a.out, "add", "--pathspec-from-file=-", stdin="\n".join(changed).encode())
        git(a.out, "commit", "-q", "-m", f"records as of {day(on)}",
            when=f"{day(on)}T12:00:00+0000")
    # Versions after END never exist: END is the last day.
    # Packed as git's own housekeeping (gc --auto, run detached after commits) leaves a
    # repository sooner or later. Without this the state depended on whether a detached gc
    # happened to finish: one corpus had six packs and another 178,000 loose objects, and
    # reading history from either costs far more than from the one pack a user has.
    git(a.out, "gc", "-q")
    commits = subprocess.run(["git", "-C", a.out, "rev-list", "--count", "HEAD"],
                             capture_output=True, text=True, check=True).stdout.strip()
    print(f"{len(g.records)} records, {commits} commits in {a.out}")


if __name__ == "__main__":
    main()
