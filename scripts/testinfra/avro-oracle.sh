#!/usr/bin/env bash
# Fetches Apache Avro 1.11.4 (+ Jackson 2.18.4, as Kryptonite 0.7.0 ships them) into .testinfra/avro/libs and compiles
# the Avro oracle (test/interop/avro/AvroOracle.java) into .testinfra/avro/classes.
# Idempotent: jars are fetched once; the oracle is recompiled only when its source is newer than the class file.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$ROOT/.testinfra/avro"
LIBS="$OUT/libs"
CLASSES="$OUT/classes"
SRC="$ROOT/test/interop/avro/AvroOracle.java"

mkdir -p "$LIBS" "$CLASSES"

if ! ls "$LIBS"/avro-1.11.4.jar >/dev/null 2>&1 || ! ls "$LIBS"/jackson-databind-2.18.4.jar >/dev/null 2>&1; then
  echo "avro-oracle: fetching jars into $LIBS"
  mvn -B -q -f "$ROOT/scripts/testinfra/avro/pom.xml" \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -DoutputDirectory="$LIBS" -DincludeScope=runtime
fi

if [ ! -f "$CLASSES/AvroOracle.class" ] || [ "$SRC" -nt "$CLASSES/AvroOracle.class" ]; then
  echo "avro-oracle: compiling $SRC"
  rm -rf "$CLASSES" && mkdir -p "$CLASSES"
  javac -encoding UTF-8 -d "$CLASSES" -cp "$LIBS/*" "$SRC"
fi

echo "avro-oracle: ready ($OUT)"
