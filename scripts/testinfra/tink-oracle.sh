#!/usr/bin/env bash
# Installs the Tink oracle's runtime: a Python venv at .testinfra/venv with tink==1.16.1 from PyPI.
# Idempotent: creates the venv only if missing and installs tink only if it is not importable at that version.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="$ROOT/.testinfra/venv"
TINK_VERSION="1.16.1"

if [ ! -x "$VENV/bin/python" ]; then
  echo "tink-oracle: creating venv $VENV"
  python3 -m venv "$VENV"
fi

if ! "$VENV/bin/python" -c "import importlib.metadata as m, sys; sys.exit(0 if m.version('tink') == '$TINK_VERSION' else 1)" 2>/dev/null; then
  echo "tink-oracle: installing tink==$TINK_VERSION"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check "tink==$TINK_VERSION"
fi

echo '{"op":"version"}' | "$VENV/bin/python" "$ROOT/test/interop/tink/tink-oracle.py" | grep -q "\"$TINK_VERSION\"" \
  || { echo "tink-oracle: the oracle did not start" >&2; exit 1; }
echo "tink-oracle: ready ($VENV, tink $TINK_VERSION)"
