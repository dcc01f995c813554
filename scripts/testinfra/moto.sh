#!/usr/bin/env bash
# Installs moto server (AWS KMS + Secrets Manager emulator) into the shared test venv. Idempotent.
# Only ADDS packages to .testinfra/venv (other scripts install Tink there too); tink's AWS
# integration (boto3) is added here because the KMS interop test drives it against moto.
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV=.testinfra/venv
MOTO_VERSION=5.2.5
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
if ! "$VENV/bin/python" -c "import moto, boto3, flask, flask_cors; assert moto.__version__ == '$MOTO_VERSION'" 2>/dev/null; then
  "$VENV/bin/pip" install -q --disable-pip-version-check "moto[server]==$MOTO_VERSION"
fi
[ -x "$VENV/bin/moto_server" ] || { echo "moto_server missing from $VENV after install" >&2; exit 1; }
echo "moto $MOTO_VERSION ready in $VENV"
