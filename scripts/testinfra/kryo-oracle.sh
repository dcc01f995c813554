#!/usr/bin/env bash
# Fetches Kryo 5.6.2 (+ kryo-serializers 0.45, Gson) into .testinfra/kryo/libs and compiles the Kryo oracle into .testinfra/kryo/classes.
# Idempotent: jars are fetched once; the oracle is recompiled only when its source is newer than the class file.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$ROOT/.testinfra/kryo"
LIBS="$OUT/libs"
CLASSES="$OUT/classes"
SRC="$ROOT/test/interop/kryo/KryoOracle.java"

mkdir -p "$LIBS" "$CLASSES"

if ! ls "$LIBS"/kryo-5.6.2.jar >/dev/null 2>&1 || ! ls "$LIBS"/gson-*.jar >/dev/null 2>&1 \
   || ! ls "$LIBS"/kryo-serializers-0.45.jar >/dev/null 2>&1; then
  echo "kryo-oracle: fetching jars into $LIBS"
  mvn -B -q -f "$ROOT/scripts/testinfra/kryo/pom.xml" \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -DoutputDirectory="$LIBS" -DincludeScope=runtime
fi

if [ ! -f "$CLASSES/KryoOracle.class" ] || [ "$SRC" -nt "$CLASSES/KryoOracle.class" ]; then
  echo "kryo-oracle: compiling $SRC"
  rm -rf "$CLASSES" && mkdir -p "$CLASSES"
  javac -encoding UTF-8 -d "$CLASSES" -cp "$LIBS/*" "$SRC"
fi

echo "kryo-oracle: ready ($OUT)"
