#!/bin/bash
# A small repository for the measure cases, written into the current folder. With BRM_TODAY
# 2026-11-26 (period 2025-11-27..2026-11-26) it has an edge of each definition: an inactive
# customer, one in the role only from 2027, a blank IT contact, an agreement ending on the
# day, a survey on a scale of 10, a complaint received the day before the period, one
# closed after the day, purchasers' complaints and responses rolled up to their customer.
set -e
mkdir -p customers agreements complaints surveys
cat > brm.yaml <<'YAML'
brm: 1
organisation: Test Group IT
survey:
  scale: 5
  satisfied: 4
YAML
w() { cat > "$1"; }
w customers/retail.yaml <<'YAML'
name: Anna Berg
role: customer
it_contact: Erik Lund
YAML
w customers/finance.yaml <<'YAML'
name: Karin Ek
role: customer
since: 2024-03-01
YAML
w customers/hr.yaml <<'YAML'
name: Olof Dahl
role: customer
status: inactive
YAML
w customers/ops.yaml <<'YAML'
name: Greta Holm
role: customer
since: 2027-01-01
YAML
w customers/stores.yaml <<'YAML'
name: Per Holm
role: purchaser
customer: retail
YAML
w customers/web.yaml <<'YAML'
name: Sofia Lund
role: purchaser
customer: retail
it_contact: Maria Sjö
YAML
w customers/payroll.yaml <<'YAML'
name: Nils Berg
role: purchaser
customer: finance
it_contact: "  "
YAML
w agreements/retail-2026.yaml <<'YAML'
title: Retail IT services 2026
customer: retail
status: active
signed: 2025-11-20
start: 2025-11-27
end: 2026-11-26
services:
  - service: email
YAML
w agreements/finance-draft.yaml <<'YAML'
title: Finance IT services
customer: finance
status: draft
start: 2026-01-01
services:
  - service: email
YAML
w complaints/2026-03-04-outage.yaml <<'YAML'
customer: stores
received: 2026-03-04
severity: high
summary: Email outages during Monday opening
status: resolved
closed: 2026-03-10
resolution: Mail gateway replaced
YAML
w complaints/2026-10-01-slow.yaml <<'YAML'
customer: finance
received: 2026-10-01
severity: medium
summary: Month-end reports are slow
status: open
YAML
w complaints/2025-11-26-printer.yaml <<'YAML'
customer: retail
received: 2025-11-26
severity: low
summary: Printers in store 12
status: resolved
closed: 2026-01-05
resolution: Printers replaced
YAML
w complaints/2026-11-20-payslips.yaml <<'YAML'
customer: payroll
received: 2026-11-20
severity: high
summary: Payslips late
status: resolved
closed: 2026-12-01
resolution: Batch job moved
YAML
w surveys/2026-06-01-h1.yaml <<'YAML'
title: Satisfaction 2026 H1
date: 2026-06-01
scale: 10
responses:
  - customer: web
    score: 8
  - customer: finance
    score: 7
YAML
w surveys/2026-10-15-q3.yaml <<'YAML'
title: Satisfaction 2026 Q3
date: 2026-10-15
responses:
  - customer: retail
    score: 4
  - customer: payroll
    score: 3
  - customer: stores
    score: 5
YAML
w surveys/2025-11-26-old.yaml <<'YAML'
title: Satisfaction 2025
date: 2025-11-26
responses:
  - customer: retail
    score: 1
YAML
