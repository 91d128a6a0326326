#!/bin/bash
# A git repository at "$1" with sixteen months of history, one commit a month on the 10th,
# 2025-07-10 .. 2026-10-10 (UTC): each month a customer is added (every other one with an
# IT contact) and a complaint is received, so that every month's figures differ.
set -e
git init -q "$1"
cd "$1"
mkdir -p customers complaints
printf 'brm: 1\norganisation: Test Group IT\n' > brm.yaml
export GIT_AUTHOR_DATE GIT_COMMITTER_DATE
for i in $(seq 0 15); do
  y=$((2025 + (6 + i) / 12)); m=$(((6 + i) % 12 + 1)); day=$(printf '%d-%02d-10' $y $m)
  contact=$([ $((i % 2)) = 0 ] && echo 'it_contact: Erik Lund' || true)
  printf 'name: Customer %d\nrole: customer\n%s\n' $i "$contact" > customers/c$i.yaml
  printf 'customer: c%d\nreceived: %s\nseverity: low\nsummary: Month %d\nstatus: open\n' \
    $i $day $i > complaints/$day-m$i.yaml
  GIT_AUTHOR_DATE=${day}T12:00:00+0000 GIT_COMMITTER_DATE=$GIT_AUTHOR_DATE
  git add -A && git commit -qm "month $i: customer c$i, a complaint"
done
