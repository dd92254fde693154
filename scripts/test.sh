#!/usr/bin/env bash
# Runs the whole suite on SQLite, then again on PostgreSQL.
#
# PostgreSQL: KETENCONF_TEST_DATABASE_URL, or the local server at 127.0.0.1:5432.
# With CI=true a suite that cannot reach PostgreSQL or Chromium fails instead of skipping.
# When both runs happen, a test that touches no database runs only on SQLite and a browser
# test only on PostgreSQL (KETENCONF_TEST_ONCE, tests/conftest.py).
# Each run uses KETENCONF_TEST_WORKERS processes (pytest-xdist, default 2; 0 for one process),
# each with its own test database and its own Chromium; a test file stays in one process.
# Extra arguments go to pytest.
set -u
cd "$(dirname "$0")/.."
BIN=.venv/bin
export DJANGO_ALLOW_ASYNC_UNSAFE=true
ci=false
case "${CI:-}" in 1|true|TRUE|yes) ci=true ;; esac
pg_url="${KETENCONF_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"

workers="${KETENCONF_TEST_WORKERS:-2}"
parallel=()
if [ "$workers" != 0 ]; then parallel=(-n "$workers" --dist loadfile); fi

pytest_run() {
  local label=$1; shift
  echo "== $label"
  "$BIN/pytest" "${parallel[@]}" "$@"
  local rc=$?
  if [ "$rc" -eq 5 ]; then
    echo "== $label: pytest collected no tests"
    if [ "$ci" = true ]; then return 1; fi
    return 0
  fi
  return "$rc"
}

status=0
echo "== lint: ruff, mypy, import contracts"
"$BIN/ruff" check --quiet . || status=1
"$BIN/ruff" format --check --quiet . || status=1
"$BIN/mypy" ketenconf || status=1
"$BIN/lint-imports" --no-cache >/dev/null || { "$BIN/lint-imports" --no-cache; status=1; }

postgres=false
if [ "${KETENCONF_TEST_POSTGRES:-1}" != 0 ] \
  && "$BIN/python" -c "import psycopg, sys; psycopg.connect(sys.argv[1], connect_timeout=3).close()" "$pg_url" 2>/dev/null; then
  postgres=true
  export KETENCONF_TEST_ONCE=1
fi

(unset KETENCONF_DATABASE_URL; pytest_run "SQLite" "$@") || status=1

if [ "${KETENCONF_TEST_POSTGRES:-1}" = 0 ]; then
  echo "== PostgreSQL: left out (KETENCONF_TEST_POSTGRES=0)"
elif [ "$postgres" = true ]; then
  KETENCONF_DATABASE_URL="$pg_url" pytest_run "PostgreSQL" "$@" || status=1
elif [ "$ci" = true ]; then
  echo "== PostgreSQL: cannot connect to $pg_url, and CI must run these tests"
  status=1
else
  echo "== PostgreSQL: not reachable at $pg_url; set KETENCONF_TEST_DATABASE_URL to test on it"
fi
exit "$status"
