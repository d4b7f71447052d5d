#!/bin/sh
# bench/rush-stores.sh - bench/rush three times in one run, for figures
# side by side: SQLite, PostgreSQL with one instance, PostgreSQL with two
# instances (the same database). PostgreSQL is a throwaway server started
# by tests/pg/server on loopback, fsync on (PG_TEST_DURABLE=1), so both
# stores make every commit durable. The knobs of bench/rush apply to all
# three runs (SCHOOLS, SLOTS, THREADS...). Exit status: 0 when every run's
# invariants held.
set -u
BUILD="${BUILD:-build}"
rush="$BUILD/bench/rush"
here=$(dirname "$0")
status=0
summary=""

one() {
	label=$1
	out=$("$rush" 2>&1)
	rc=$?
	printf '%s\n' "$out" | sed "s/^/[$label] /"
	rate=$(printf '%s\n' "$out" | sed -n 's/.* \([0-9.]*\) bookings\/s$/\1/p')
	inv=$(printf '%s\n' "$out" | sed -n 's/^invariants: //p')
	summary="$summary$(printf '%-28s %12s bookings/s  invariants: %s' "$label" "${rate:-?}" "${inv:-?}")
"
	[ "$rc" -eq 0 ] || status=1
}

one "sqlite"
pgdir=$(mktemp -d "${TMPDIR:-/tmp}/creneau-pg-XXXXXX")
if PG_TEST_DURABLE=1 "$here/../tests/pg/server" start "$pgdir"; then
	set -a
	. "$pgdir/env"
	set +a
	INSTANCES=1
	export INSTANCES
	one "postgresql, 1 instance"
	INSTANCES=2
	one "postgresql, 2 instances"
	"$here/../tests/pg/server" stop "$pgdir"
else
	echo "rush-stores: PostgreSQL did not start" >&2
	status=1
fi
rm -rf "$pgdir"
echo
echo "summary:"
printf '%s' "$summary"
exit "$status"
