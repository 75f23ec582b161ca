#!/usr/bin/env bash
# The whole test suite: static checks, every test once on the embedded SQLite
# database and once on the PostgreSQL server, and each benchmark command once
# at a small size so it cannot rot.
set -euo pipefail
cd "$(dirname "$0")/.."

PG_URL="${REDRESS_TEST_PG:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable}"
# Browser tests (tag "browser") drive Debian's chromium; .ci/run installs it.
TAGS="browser"

echo "== gofmt"
bad=$(gofmt -l cmd internal)
if [ -n "$bad" ]; then echo "gofmt would change:"; echo "$bad"; exit 1; fi

echo "== go vet"
go vet -tags "$TAGS" ./...

echo "== tests on SQLite"
go test -tags "$TAGS" -count=1 -timeout 20m ./...

echo "== tests on PostgreSQL ($PG_URL)"
REDRESS_TEST_DB="$PG_URL" go test -tags "$TAGS" -count=1 -timeout 20m ./...

echo "== benchmark smoke runs"
go build -o /tmp/redress-ci ./cmd/redress
/tmp/redress-ci bench intake --n 200 --clients 1,16
/tmp/redress-ci bench intake --n 200 --clients 1,16 --db "$PG_URL"
/tmp/redress-ci bench sweep --n 2000
/tmp/redress-ci bench sweep --n 2000 --db "$PG_URL"
/tmp/redress-ci bench repeats --n 2000 --lookups 200 --intake 200
/tmp/redress-ci bench repeats --n 2000 --lookups 200 --intake 200 --db "$PG_URL"
/tmp/redress-ci bench web --n 100 --petitions 20000 --demo 200 --rate 100 --clients 4
/tmp/redress-ci bench web --n 100 --petitions 20000 --demo 200 --rate 100 --clients 4 --db "$PG_URL"
/tmp/redress-ci bench rankings --cases 20000 --months 12
/tmp/redress-ci bench rankings --cases 20000 --months 12 --db "$PG_URL"
echo "== repeats end to end: import internal/repeats/testdata/labelled.jsonl, repeats pairs, repeats eval"
go test -count=1 -run TestRepeatsEndToEnd -v ./internal/cli | grep -E "F1|^ok|FAIL"
REDRESS_TEST_DB="$PG_URL" go test -count=1 -run TestRepeatsEndToEnd -v ./internal/cli | grep -E "F1|^ok|FAIL"
echo "== all checks passed"
