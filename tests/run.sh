#!/bin/sh
# tests/run.sh - runs every suite and ends with one line "N passed, N failed".
#
# Every suite prints TAP lines ("ok N - what", "not ok N - what"): the cmocka
# unit tests (CMOCKA_MESSAGE_OUTPUT=TAP), the CLI scripts in tests/cli and the
# terminal scripts in tests/tui (both through tests/lib.sh). A suite that
# exits non-zero without reporting a failure counts as one failure, so a crash
# is never silent. Set TESTS=pattern to run only matching suites.
#
# Needs TAMIS (the binary) and UNIT_DIR (the built unit tests) from make,
# which also gives TAMIS_TEST_TOOLS: the programs the suites call, checked
# before anything runs (tests/deps.sh check), so that a missing one is named
# in one clear line rather than failing tests obscurely.
: "${TAMIS:?TAMIS must point at the tamis binary}"
: "${UNIT_DIR:?UNIT_DIR must point at the unit test binaries}"
top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck disable=SC2086 # one word per tool
if [ -n "${TAMIS_TEST_TOOLS:-}" ] && ! sh "$top/tests/deps.sh" check $TAMIS_TEST_TOOLS; then
	echo "not ok - the tests cannot run here: a tool they need is missing (above)"
	echo "0 passed, 1 failed"
	exit 1
fi
export TAMIS TAMIS_TOP="$top"
export LC_ALL=C.UTF-8 TZ=UTC
unset TAMIS_BY NO_COLOR TAMIS_TIME_NOW

passed=0
failed=0
failures=
logdir=$(mktemp -d "${TMPDIR:-/tmp}/tamis-tests.XXXXXX")
trap 'rm -rf "$logdir"' EXIT
# No suite writes into the real home: signing keys (src/sign.h) go to a
# temporary configuration directory, a fresh one per suite (run_suite).
export HOME="$logdir/home"
mkdir -p "$HOME"

run_suite() { # name command...
	name=$1
	shift
	case $name in *${TESTS:-}*) ;; *) return ;; esac
	log=$logdir/$(echo "$name" | tr '/' '_').log
	XDG_CONFIG_HOME=$logdir/config-$(echo "$name" | tr '/' '_') "$@" >"$log" 2>&1
	rc=$?
	p=$(grep -c '^ok ' "$log")
	f=$(grep -c '^not ok ' "$log")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $name exited with status $rc" >>"$log"
		f=1
	fi
	if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $name ran no test" >>"$log"
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	printf '%-34s %4d passed, %d failed\n' "$name" "$p" "$f"
	if [ "$f" -gt 0 ]; then
		failures="$failures $name"
		grep -v '^ok ' "$log" | sed 's/^/    /' | head -60
	fi
}

units=0
for t in "$UNIT_DIR"/test_*; do
	[ -x "$t" ] || continue
	# Binaries only: no suffix in the name itself (the directory may hold dots).
	case $(basename "$t") in *.*) continue ;; esac
	units=$((units + 1))
	run_suite "unit/$(basename "$t")" env CMOCKA_MESSAGE_OUTPUT=TAP "$t"
done
# A missing unit suite must never pass silently.
if [ "$units" -eq 0 ] && [ -z "${TESTS:-}" ]; then
	echo "not ok - no unit test binary in $UNIT_DIR"
	failed=$((failed + 1))
fi
for kind in cli tui; do
	for t in "$top"/tests/$kind/*.sh; do
		[ -f "$t" ] || continue
		case $t in *lib.sh) continue ;; esac # sourced helpers, not suites
		run_suite "$kind/$(basename "$t" .sh)" sh "$t"
	done
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
