# The terminal tests with the UI under valgrind memcheck: each suite of
# $TAMIS_VALGRIND_SUITES (default: the headless suite, the resize storm and
# the hostile text in tmux; `make valgrind` runs every terminal suite) runs
# with TAMIS_WRAP set, so that every UI run of the suite (tui_script,
# tui_start) is valgrind's; its checks must pass there too, and then every
# valgrind log must say 0 errors and 0 bytes definitely lost.
#
# Skipped (one "ok # SKIP" line) for a sanitizer build (make check): ASan
# and valgrind do not mix.
. "$TAMIS_TOP/tests/lib.sh"

suites=${TAMIS_VALGRIND_SUITES:-headless resize hostile}
if ldd "$TAMIS" 2>/dev/null | grep -q 'libasan\|libubsan'; then
	echo "ok 1 # SKIP valgrind: $TAMIS is built with sanitizers"
	exit 0
fi
if ! command -v valgrind >/dev/null 2>&1; then
	t_failed "valgrind is installed (tests/deps.sh installs it)"
	exit 1
fi

total_runs=0
total_errors=0
total_lost=0
for s in $suites; do
	logs=$T/vg-$s
	mkdir -p "$logs"
	start=$(date +%s)
	# --error-exitcode: an error also changes the exit status the suite checks.
	# valgrind.supp: a false report the fortified build (-D_FORTIFY_SOURCE) causes.
	TAMIS_WRAP="valgrind --leak-check=full --errors-for-leak-kinds=definite \
--error-exitcode=98 --num-callers=30 --suppressions=$TAMIS_TOP/tests/tui/valgrind.supp \
--log-file=$logs/vg.%p.log" \
		sh "$TAMIS_TOP/tests/tui/$s.sh" >"$T/$s.tap" 2>&1
	rc=$?
	took=$(($(date +%s) - start))
	# The suite's own checks, renamed; a suite that stopped early fails.
	sed -e "s/^ok [0-9]* - /ok - valgrind $s: /" -e "s/^not ok [0-9]* - /not ok - valgrind $s: /" "$T/$s.tap"
	t_eq "valgrind $s: the suite ran to its end" "$rc" 0
	runs=$(find "$logs" -name 'vg.*.log' | wc -l)
	# ERROR SUMMARY counts definite leaks too (--errors-for-leak-kinds).
	errors=$(cat "$logs"/vg.*.log 2>/dev/null | sed -n 's/.*ERROR SUMMARY: \([0-9,]*\) errors.*/\1/p' |
		tr -d , | awk '{ s += $1 } END { print s + 0 }')
	lost=$(cat "$logs"/vg.*.log 2>/dev/null | sed -n 's/.*definitely lost: \([0-9,]*\) bytes.*/\1/p' |
		tr -d , | awk '{ s += $1 } END { print s + 0 }')
	summaries=$(grep -l 'ERROR SUMMARY' "$logs"/vg.*.log 2>/dev/null | wc -l)
	# A run without its summary was ended by the test (its pane closed:
	# SIGHUP while valgrind was still checking, or SIGKILL); one that died
	# of a signal of its own making crashed.
	crashed=$(grep -l 'Process terminating with default action of signal [0-9]* (SIG\(SEGV\|ABRT\|BUS\|FPE\|ILL\|SYS\))' \
		"$logs"/vg.*.log 2>/dev/null)
	echo "# valgrind $s: $runs runs of the UI in ${took}s ($((runs - summaries)) ended by the test before their summary), $errors errors, $lost bytes definitely lost"
	t_match "valgrind $s: the UI ran under valgrind" "$summaries" '^[1-9][0-9]*$'
	t_eq "valgrind $s: no run crashed" "$crashed" ""
	if [ "$errors" -eq 0 ] && [ "$lost" -eq 0 ]; then
		t_pass "valgrind $s: 0 errors, 0 bytes definitely lost"
	else
		t_failed "valgrind $s: 0 errors, 0 bytes definitely lost" \
			"$errors errors, $lost bytes definitely lost; the first report:" \
			"$(grep -l -e 'ERROR SUMMARY: [1-9]' -e 'definitely lost: [1-9]' "$logs"/vg.*.log |
				head -1 | xargs head -60)"
	fi
	total_runs=$((total_runs + runs))
	total_errors=$((total_errors + errors))
	total_lost=$((total_lost + lost))
done
echo "# valgrind: $total_runs runs of the UI, $total_errors errors, $total_lost bytes definitely lost"
