# A small repository for the record commands' golden cases (customer-*, agreement-*, ...):
# a customer with a purchaser, a customer without an IT contact, a catalogue of two
# services, an agreement, open and closed complaints, a meeting with done, overdue and
# open actions, a survey and a requirement. BRM_TODAY is 2026-11-26 in the cases.
# Usage, in a case's `git` file: bash "$SOURCE_DIR/tests/cli/records-fixture.sh"
# (writes into the current folder and commits it).
set -e
mkdir -p customers agreements complaints meetings surveys services requirements
cat > brm.yaml <<'EOF'
brm: 1
organisation: Test Group IT
currency: EUR
EOF
cat > customers/anna-berg.yaml <<'EOF'
# Chairs the retail IT board.
name: Anna Berg
role: customer
title: Head of Retail Division
it_contact: Erik Lund
budget:
  amount: 1200000
  year: 2026
since: 2024-03-01
EOF
cat > customers/per-holm.yaml <<'EOF'
name: Per Holm
role: purchaser
unit: Retail Stores
customer: anna-berg
EOF
cat > customers/lena-ek.yaml <<'EOF'
name: Lena Ek
role: customer
unit: Finance
status: inactive
EOF
cat > services/email.yaml <<'EOF'
name: Email and calendar
status: live
owner: Collaboration services
EOF
cat > services/service-desk.yaml <<'EOF'
name: Service desk
status: live
EOF
cat > agreements/retail-2026.yaml <<'EOF'
title: Retail IT services 2026
customer: anna-berg
status: active
signed: 2025-12-15
start: 2026-01-01
end: 2026-12-31
services:
  - service: email
    levels:
      - metric: availability
        target: 99.5
        unit: percent
  - service: service-desk
financing:
  amount: 480000
  period: yearly
  cost_centre: "4410"
EOF
cat > complaints/2026-03-04-email-outages.yaml <<'EOF'
customer: per-holm
received: 2026-03-04
channel: email
service: email
severity: high
summary: Email outages during Monday opening
status: open
EOF
cat > complaints/2026-01-10-slow-service-desk.yaml <<'EOF'
customer: anna-berg
received: 2026-01-10
severity: medium
summary: Service desk answers slowly
status: resolved
closed: 2026-02-01
resolution: Two more agents in the morning shift
EOF
cat > meetings/2026-03-15-anna-berg.yaml <<'EOF'
date: 2026-03-15
customer: anna-berg
type: review
attendees: [Anna Berg, Erik Lund]
actions:
  - what: Send the revised service level draft
    owner: Erik Lund
    due: 2026-03-31
    done: 2026-03-29
  - what: Plan the store Wi-Fi upgrade
    owner: Erik Lund
    due: 2026-06-30
  - what: Prepare the 2027 budget
    owner: Anna Berg
    due: 2026-12-15
EOF
cat > surveys/2026-06-30-satisfaction-2026-h1.yaml <<'EOF'
title: Satisfaction 2026 H1
date: 2026-06-30
responses:
  - customer: anna-berg
    score: 4
  - customer: per-holm
    score: 3
    comment: Email is not reliable on Mondays
EOF
cat > requirements/2026-02-01-password-reset.yaml <<'EOF'
title: Self-service password reset in stores
customer: per-holm
type: improvement
raised: 2026-02-01
meeting: 2026-03-15-anna-berg
status: proposed
EOF
git init -q
git add -A
git commit -qm "the records fixture"
