#!/bin/sh
# What `make test` needs besides Python: Java 17+ and Maven (the Elasticsearch node of the store tests).
# As root with apt-get, install what is missing; otherwise say in one line what is missing.
java_major() {
  java -version 2>&1 | sed -n 's/.*version "\([0-9][0-9.]*\).*/\1/p' | head -1 | awk -F. '{print ($1 == 1) ? $2 : $1}'
}
missing=""
if ! command -v java >/dev/null 2>&1 || [ "$(java_major)" -lt 17 ] 2>/dev/null; then missing="openjdk-17-jdk-headless"; fi
if ! command -v mvn >/dev/null 2>&1; then missing="${missing:+$missing }maven"; fi
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "make test: installing $missing from apt"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null && exit 0
fi
echo "make test: missing $(echo "$missing" | sed 's/ / and /') (Java 17+ and Maven run the Elasticsearch tests; install them, or those tests are skipped outside CI)"
