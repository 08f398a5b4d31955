#!/bin/sh
# tests/fuzz/fuzz.sh SECONDS DIR NAME... - runs libFuzzer harness DIR/fuzz_NAME
# for SECONDS on DIR/corpus-NAME (a copy of tests/fuzz/corpus/NAME, kept and
# grown from run to run), with its dictionary tests/fuzz/NAME.dict, 512 MB of
# memory and 5 s per input at most. What it finds is saved as
# tests/fuzz/crashes/NAME-KIND-SHA1.bin. Prints one summary line per harness
# (the figures for docs/RELIABILITY.md) and fails when anything was found.
# Called by `make fuzz` and `make fuzz-smoke` (tests/fuzz/fuzz.mk).
secs=$1
dir=$2
shift 2
top=$(cd "$(dirname "$0")/../.." && pwd)
crashes=$top/tests/fuzz/crashes
status=0
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}"
mkdir -p "$crashes"

for name; do
	corpus=$dir/corpus-$name
	log=$dir/fuzz-$name.log
	mkdir -p "$corpus"
	cp "$top/tests/fuzz/corpus/$name"/* "$corpus/"
	set -- -max_total_time="$secs" -rss_limit_mb=512 -timeout=5 -print_final_stats=1 \
		-artifact_prefix="$crashes/$name-"
	[ -f "$top/tests/fuzz/$name.dict" ] && set -- "$@" -dict="$top/tests/fuzz/$name.dict"
	start=$(date +%s)
	"$dir/fuzz_$name" "$@" "$corpus" >"$log" 2>&1
	rc=$?
	took=$(($(date +%s) - start))
	# libFuzzer names them crash-SHA1, leak-..., timeout-..., oom-...: add .bin.
	found=
	for f in "$crashes/$name"-*; do
		case $f in
		*.bin) ;;
		*) [ -f "$f" ] && mv "$f" "$f.bin" && found="$found ${f#"$top/"}.bin" ;;
		esac
	done
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
	rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -1)
	cov=$(grep -Eo 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[0-9]+[a-zA-Z]*' "$log" | tail -1)
	printf 'fuzz_%-8s %ss: %s execs (%s/s), %s, peak RSS %s MB\n' "$name" "$took" \
		"${execs:-?}" "${rate:-?}" "${cov:-no coverage line}" "${rss:-?}"
	if [ "$rc" -ne 0 ]; then
		status=1
		echo "fuzz_$name FOUND A PROBLEM (exit $rc):"
		grep -E '^(==[0-9]+==ERROR|SUMMARY|fuzz:)' "$log" | head -6 | sed 's/^/    /'
		echo "    input:${found:- none saved}"
		echo "    log: $log"
	fi
done
exit $status
