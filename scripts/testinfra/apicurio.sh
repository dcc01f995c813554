#!/usr/bin/env bash
# Fetches Apicurio Registry (a Confluent-compatible Schema Registry through its /apis/ccompat/v7 API) into
# .testinfra/apicurio for the Schema Registry integration tests. Idempotent: a marker records what was installed.
#
# Apicurio 3.x is compiled for Java 21 (class file 65): it is used when a Java 21+ is found (APICURIO_JAVA,
# JAVA_HOME, `java` on PATH, or /usr/lib/jvm/*). Otherwise 2.6.13.Final, which runs on Java 17, is used.
# Only the self-contained Quarkus tarball (classifier `all`) is fetched: its Maven dependency tree is not fully served.
# The result is described in .testinfra/apicurio/launch.env (APICURIO_VERSION, APICURIO_JAVA, APICURIO_JAR).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$ROOT/.testinfra/apicurio"
LAUNCH="$OUT/launch.env"
V3_CANDIDATES="3.3.3 3.3.2 3.0.9"
V2_CANDIDATES="2.6.13.Final"

java_major() { "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print int($2)}'; }

find_java() {
  local want="$1" c
  for c in "${APICURIO_JAVA:-}" "${JAVA_HOME:+$JAVA_HOME/bin/java}" "$(command -v java || true)" /usr/lib/jvm/*/bin/java; do
    [ -n "$c" ] && [ -x "$c" ] || continue
    if [ "$(java_major "$c")" -ge "$want" ] 2>/dev/null; then echo "$c"; return 0; fi
  done
  return 1
}

if [ -f "$LAUNCH" ]; then
  # shellcheck disable=SC1090
  . "$LAUNCH"
  if [ -f "${APICURIO_JAR:-}" ] && [ -x "${APICURIO_JAVA:-}" ]; then
    echo "apicurio: ready ($APICURIO_VERSION, $APICURIO_JAR, java $APICURIO_JAVA)"
    exit 0
  fi
fi

command -v mvn >/dev/null || { echo "apicurio: mvn is required" >&2; exit 1; }
if JAVA="$(find_java 21)"; then CANDIDATES="$V3_CANDIDATES $V2_CANDIDATES"; else
  JAVA="$(find_java 17)" || { echo "apicurio: java 17+ is required" >&2; exit 1; }
  echo "apicurio: no Java 21+ found; Apicurio 3.x needs it, using 2.x on $JAVA"
  CANDIDATES="$V2_CANDIDATES"
fi

mkdir -p "$OUT"
rm -rf "$OUT/app" "$LAUNCH"
for V in $CANDIDATES; do
  case "$V" in 2.*) [ "$(java_major "$JAVA")" -ge 17 ] || continue ;; esac
  case "$V" in 3.*) J="$JAVA" ;; *) J="$(find_java 17)" ;; esac
  TARBALL="$OUT/apicurio-registry-app-$V-all.tar.gz"
  if [ ! -f "$TARBALL" ]; then
    echo "apicurio: fetching io.apicurio:apicurio-registry-app:$V:tar.gz:all"
    mvn -B -q -Dstyle.color=never org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
      -Dartifact="io.apicurio:apicurio-registry-app:$V:tar.gz:all" -DoutputDirectory="$OUT" >/dev/null 2>&1 || {
        echo "apicurio: $V is not available from Maven Central, trying the next version"; rm -f "$TARBALL"; continue; }
  fi
  mkdir -p "$OUT/app"
  tar -xzf "$TARBALL" -C "$OUT/app"
  # 3.x ships the Quarkus fast-jar layout, 2.x a single runner jar next to lib/.
  JAR="$OUT/app/quarkus-run.jar"
  [ -f "$JAR" ] || JAR="$(ls "$OUT"/app/apicurio-registry-app-*-runner.jar 2>/dev/null | head -1)"
  [ -n "$JAR" ] && [ -f "$JAR" ] || { echo "apicurio: no launcher jar in the $V tarball" >&2; rm -rf "$OUT/app"; continue; }
  printf 'APICURIO_VERSION=%s\nAPICURIO_JAVA=%s\nAPICURIO_JAR=%s\n' "$V" "$J" "$JAR" > "$LAUNCH"
  echo "apicurio: ready ($V, $JAR, java $J)"
  exit 0
done
echo "apicurio: none of $CANDIDATES could be fetched" >&2
exit 1
