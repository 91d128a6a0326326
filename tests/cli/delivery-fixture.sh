# A small repository for the golden cases of plans, projects and results (plan-*,
# project-*, result-*): a customer with a purchaser, two services, an agreement whose
# levels go both ways (percent: higher is better; hours: lower), a requirement, plans
# (review within 30 days, past, later, superseded), projects on time, late and red,
# done, and two results, one met and one breached. BRM_TODAY is 2026-11-26 in the cases.
# Usage, in a case's `git` file: bash "$SOURCE_DIR/tests/cli/delivery-fixture.sh"
# (writes into the current folder and commits it).
set -e
mkdir -p customers services agreements requirements plans projects results
cat > brm.yaml <<'EOF'
brm: 1
organisation: Test Group IT
review_warning_days: 30
EOF
cat > customers/anna-berg.yaml <<'EOF'
name: Anna Berg
role: customer
it_contact: Erik Lund
EOF
cat > customers/per-holm.yaml <<'EOF'
name: Per Holm
role: purchaser
customer: anna-berg
EOF
cat > customers/lena-ek.yaml <<'EOF'
name: Lena Ek
role: customer
EOF
cat > services/email.yaml <<'EOF'
name: Email and calendar
status: live
EOF
cat > services/service-desk.yaml <<'EOF'
name: Service desk
status: live
EOF
cat > agreements/retail-2026.yaml <<'EOF'
title: Retail IT services 2026
customer: anna-berg
status: active
start: 2026-01-01
end: 2026-12-31
services:
  - service: email
    levels:
      - metric: availability
        target: 99.5
        unit: percent
      - metric: p1 resolution
        target: 4
        unit: hours
  - service: service-desk
    levels:
      - metric: incidents reopened
        target: 10
        unit: count
        better: lower
EOF
cat > requirements/2026-02-01-password-reset.yaml <<'EOF'
title: Self-service password reset
customer: per-holm
type: requirement
raised: 2026-02-01
status: accepted
decided: 2026-02-20
EOF
cat > plans/retail-strategy.yaml <<'EOF'
title: Retail strategy 2026-2028
customer: anna-berg
type: strategy
start: 2026-01-01
end: 2028-12-31
received: 2026-01-15
objectives:
  - Open 20 stores in the Baltics
implications:
  - Store systems in three new countries
requirements:
  - 2026-02-01-password-reset
review: 2026-12-10
status: current
EOF
cat > plans/stores-change.yaml <<'EOF'
title: Stores open on Sundays
customer: per-holm
type: change
start: 2026-03-01
review: 2026-11-01
status: current
EOF
cat > plans/loyalty-app.yaml <<'EOF'
title: Loyalty app for all stores
customer: anna-berg
type: operational-plan
start: 2026-09-01
review: 2027-03-01
status: current
EOF
cat > plans/old-strategy.yaml <<'EOF'
title: Retail strategy 2023-2025
customer: anna-berg
type: strategy
start: 2023-01-01
end: 2025-12-31
review: 2025-06-01
status: superseded
EOF
cat > projects/baltic-rollout.yaml <<'EOF'
title: Store systems rollout Baltics
customer: anna-berg
status: active
health: amber
start: 2026-02-01
planned_end: 2026-09-30
forecast_end: 2027-01-31
services:
  - email
milestones:
  - what: Pilot store live
    due: 2026-04-30
    done: 2026-05-05
  - what: All stores live
    due: 2026-09-30
EOF
cat > projects/payment-terminals.yaml <<'EOF'
title: New payment terminals
customer: per-holm
status: active
health: red
start: 2026-06-01
planned_end: 2027-03-31
requirements:
  - 2026-02-01-password-reset
EOF
cat > projects/mail-migration.yaml <<'EOF'
title: Mail migration
customer: anna-berg
status: done
start: 2026-01-10
planned_end: 2026-06-30
forecast_end: 2026-08-31
ended: 2026-08-20
EOF
cat > projects/new-intranet.yaml <<'EOF'
title: New intranet
customer: lena-ek
status: on-hold
start: 2026-05-01
planned_end: 2027-06-30
EOF
cat > results/2026-09-30-retail-2026.yaml <<'EOF'
agreement: retail-2026
start: 2026-09-01
end: 2026-09-30
source: Service level report September 2026
levels:
  - service: email
    metric: availability
    achieved: 99.7
  - service: email
    metric: p1 resolution
    achieved: 3.5
  - service: service-desk
    metric: incidents reopened
    achieved: 8
EOF
cat > results/2026-10-31-retail-2026.yaml <<'EOF'
agreement: retail-2026
start: 2026-10-01
end: 2026-10-31
levels:
  - service: email
    metric: availability
    achieved: 99.5
  - service: email
    metric: p1 resolution
    achieved: 5
    note: two outages on Mondays
  - service: service-desk
    metric: incidents reopened
    achieved: 12
EOF
git init -q
git add -A
git commit -qm "the delivery fixture"
