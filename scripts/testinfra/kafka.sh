#!/usr/bin/env bash
# Fetches the Apache Kafka 4.4.0 broker jars (KRaft, no ZooKeeper) into .testinfra/kafka/libs for the
# integration tests and the demo. Idempotent: a marker file records the version of a complete fetch.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VERSION=4.4.0
OUT="$ROOT/.testinfra/kafka"
LIBS="$OUT/libs"
MARKER="$OUT/libs.version"
POM="$ROOT/scripts/testinfra/kafka/pom.xml"
# The marker holds the pom's checksum, so editing the pom (a new version, another jar) triggers a fresh fetch.
STAMP="$(sha256sum "$POM" | cut -c1-16)"

if [ -f "$MARKER" ] && [ "$(cat "$MARKER")" = "$STAMP" ] && [ -f "$LIBS/kafka_2.13-$VERSION.jar" ]; then
  echo "kafka: jars ready ($LIBS)"
  exit 0
fi

command -v java >/dev/null || { echo "kafka: java (17+) is required" >&2; exit 1; }
command -v mvn >/dev/null || { echo "kafka: mvn is required" >&2; exit 1; }

echo "kafka: fetching kafka_2.13:$VERSION and its runtime dependencies into $LIBS"
# A partial earlier fetch may have left jars of another version: start clean.
rm -rf "$LIBS" "$MARKER"
mkdir -p "$LIBS"
mvn -B -q -Dstyle.color=never -f "$POM" \
  org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
  -DoutputDirectory="$LIBS" -DincludeScope=runtime

# The broker needs Java 17 bytecode at most on this JDK: class file major 61 = Java 17.
major="$(unzip -p "$LIBS/kafka_2.13-$VERSION.jar" kafka/Kafka.class | head -c 8 | od -An -tu1 | awk '{print $7 * 256 + $8}')"
java_major="$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.class.version/ {print int($2)}')"
if [ -n "$major" ] && [ -n "$java_major" ] && [ "$major" -gt "$java_major" ]; then
  echo "kafka: kafka_2.13-$VERSION needs class version $major but this java supports $java_major" >&2
  exit 1
fi

echo "$STAMP" > "$MARKER"
echo "kafka: jars ready ($(ls "$LIBS" | wc -l) jars in $LIBS)"
