#!/usr/bin/env bash
# Fetches Mysto FF3 1.2.0 (the release Kryptonite 0.7.0 uses) into .testinfra/ff3/libs and compiles the FF3
# oracle into .testinfra/ff3/classes. Idempotent: jars are fetched once; recompiles only when the source changed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$ROOT/.testinfra/ff3"
LIBS="$OUT/libs"
CLASSES="$OUT/classes"
SRC="$ROOT/test/interop/ff3/Ff3Oracle.java"

mkdir -p "$LIBS" "$CLASSES"

if ! ls "$LIBS"/ff3-1.2.0.jar >/dev/null 2>&1 || ! ls "$LIBS"/log4j-api-*.jar >/dev/null 2>&1; then
  echo "ff3-oracle: fetching jars into $LIBS"
  mvn -B -q -f "$ROOT/scripts/testinfra/ff3/pom.xml" \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -DoutputDirectory="$LIBS" -DincludeScope=runtime
fi

if [ ! -f "$CLASSES/Ff3Oracle.class" ] || [ "$SRC" -nt "$CLASSES/Ff3Oracle.class" ]; then
  echo "ff3-oracle: compiling $SRC"
  rm -rf "$CLASSES" && mkdir -p "$CLASSES"
  javac -encoding UTF-8 -d "$CLASSES" -cp "$LIBS/*" "$SRC"
fi

echo "ff3-oracle: ready ($OUT)"
