# tests/lib.sh - helpers for the CLI and terminal test scripts (sourced).
#
# Each check prints one TAP line, "ok N - what" or "not ok N - what" with the
# details indented below, and tests/run.sh counts them. Every script works in
# its own temporary directory ($T), removed at exit.
#
#   t_ok WHAT CMD...        passes when CMD succeeds
#   t_fail WHAT CMD...      passes when CMD fails
#   t_eq WHAT GOT WANT      passes when the two strings are equal
#   t_match WHAT TEXT RE    passes when TEXT matches the extended regex RE
#   t_nomatch WHAT TEXT RE  passes when TEXT does not match RE
#   t_exit WHAT CODE CMD... passes when CMD exits with CODE
: "${TAMIS:?TAMIS must point at the tamis binary}"
: "${TAMIS_TOP:?TAMIS_TOP must point at the source tree}"
SAMPLE=$TAMIS_TOP/boards/comptoir-des-services.yaml
T=$(mktemp -d "${TMPDIR:-/tmp}/tamis-t.XXXXXX")
trap 't_cleanup' EXIT
# The account's signing key (src/sign.h) lives in the script's own
# directory, never in the real home, and no key leaks from one script to
# another. A script playing several accounts points XDG_CONFIG_HOME at
# another directory for each.
export HOME="$T/home" XDG_CONFIG_HOME="$T/config"
mkdir -p "$HOME"
t_n=0
t_cleanup() {
	[ -n "${t_cleanup_hook:-}" ] && eval "$t_cleanup_hook"
	rm -rf "$T"
}
t_pass() { t_n=$((t_n + 1)); echo "ok $t_n - $1"; }
t_failed() {
	t_n=$((t_n + 1))
	echo "not ok $t_n - $1"
	shift
	[ $# -gt 0 ] && printf '%s\n' "$@" | sed 's/^/#   /'
	return 0
}
t_ok() {
	what=$1; shift
	if out=$("$@" 2>&1); then t_pass "$what"; else t_failed "$what" "command failed: $*" "$out"; fi
}
t_fail() {
	what=$1; shift
	if out=$("$@" 2>&1); then t_failed "$what" "command succeeded: $*" "$out"; else t_pass "$what"; fi
}
t_exit() {
	what=$1; want=$2; shift 2
	out=$("$@" 2>&1); rc=$?
	if [ "$rc" -eq "$want" ]; then t_pass "$what"; else t_failed "$what" "exit $rc, wanted $want: $*" "$out"; fi
}
t_eq() {
	if [ "$2" = "$3" ]; then t_pass "$1"; else t_failed "$1" "got:" "$2" "wanted:" "$3"; fi
}
t_match() {
	if printf '%s\n' "$2" | grep -Eq -- "$3"; then t_pass "$1"; else t_failed "$1" "no match for /$3/ in:" "$2"; fi
}
t_nomatch() {
	if printf '%s\n' "$2" | grep -Eq -- "$3"; then t_failed "$1" "unexpected match for /$3/ in:" "$2"; else t_pass "$1"; fi
}
