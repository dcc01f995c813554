#!/usr/bin/env bash
# Fetches what the test suite runs against: Kafka jars, emulators, oracle libraries. Idempotent: each
# scripts/testinfra/*.sh skips work already done, so this is quick on a warm machine.
set -euo pipefail
cd "$(dirname "$0")/.."
for s in scripts/testinfra/*.sh; do
  echo "== $s" >&2
  bash "$s"
done
