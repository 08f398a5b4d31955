# File safety against a hostile board directory (shared with others, who may
# plant links there): temporary files are made with O_EXCL in the board's
# directory; a symbolic link planted at a side path (.NAME.lock, .NAME.live,
# .NAME.journal) is never followed, whoever writes (a command, the UI);
# nothing tamis makes is ever world-writable, even with umask 000; the
# board's mode is kept; and no shell or other program is ever run.
. "$TAMIS_TOP/tests/lib.sh"
export TAMIS_TIME_NOW=2019-06-28T12:00:00Z TZ=UTC
DATA=$TAMIS_TOP/tests/tui/data/atelier.yaml

# strace ARGS...: LeakSanitizer (make check) cannot work under ptrace.
traced() { ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" strace "$@"; }
# A crash: killed by a signal, or stopped by a sanitizer (make check).
crashed() { # STATUS OUTPUT-FILE
	[ "$1" -ge 128 ] || grep -q -e 'runtime error:' -e 'ERROR: AddressSanitizer' "$2"
}

# The UI, headless, moving a card: $1 the board.
ui_move() {
	printf '<Enter>l<Enter>\n' >"$T/move.script"
	TERM=xterm-256color TAMIS_BY=x TAMIS_SCRIPT="$T/move.script" "$TAMIS" "$1"
}

# --- temporary files: O_EXCL, in the board's directory ---------------------------
mkdir "$T/d"
cp "$DATA" "$T/d/b.yaml"
traced -f -o "$T/strace" -e trace=openat,open,creat,rename,renameat,renameat2 \
	"$TAMIS" add "$T/d/b.yaml" "une idée" >/dev/null
creat=$(grep -E 'O_CREAT' "$T/strace" | grep -v -e '\.lock"' -e '\.live"' -e '/dev/' | grep "$T/d/")
t_match "add: the new board is written to a temporary file in the board's directory" \
	"$creat" "\"$T/d/\\.b\\.yaml\\.[A-Za-z0-9]{6}\""
t_eq "add: every file it creates there is opened with O_EXCL" \
	"$(printf '%s\n' "$creat" | grep -v O_EXCL)" ""
t_match "add: then renamed over the board" "$(grep rename "$T/strace")" \
	"rename.*\"$T/d/\\.b\\.yaml\\.[A-Za-z0-9]{6}\", .*\"$T/d/b\\.yaml\""
printf '<Enter>l<Enter>\nR\n' >"$T/r.script"
TERM=xterm-256color TAMIS_BY=x TAMIS_SCRIPT="$T/r.script" \
	traced -f -o "$T/strace.ui" -e trace=openat,open,creat "$TAMIS" "$T/d/b.yaml"
creat=$(grep -E 'O_CREAT' "$T/strace.ui" | grep -v -e '\.lock"' -e '\.live"' -e '/dev/' | grep "$T/d/")
t_match "the UI: its files (journal, board, report) come from temporary files" "$creat" "O_EXCL"
t_eq "the UI: every file it creates there is opened with O_EXCL" \
	"$(printf '%s\n' "$creat" | grep -v O_EXCL)" ""
t_eq "no temporary file is left behind" "$(ls -A "$T/d" | grep -v -e '^b\.yaml$' -e '^\.b\.yaml\.lock$' \
	-e '^\.b\.yaml\.live$' -e '^b-report-2019-06-28-1200\.md$')" ""

# --- symbolic links planted at the side paths ------------------------------------
# SIDE: each side path in turn points at a victim file (and at a missing
# one, which must not be created); each writer runs; the victim must stay
# as it was and the writer must not crash (a refusal is fine).
# (This found a crash: session_open() failing after the load closed the
# session with no error buffer, which its catch-up then wrote into.)
for side in lock live journal; do
	for writer in add ui; do
		w=$T/sym-$side-$writer
		mkdir "$w"
		cp "$DATA" "$w/b.yaml"
		printf 'precious\n' >"$w/victim"
		ln -s "$w/victim" "$w/.b.yaml.$side"
		ln -s "$w/nothing" "$w/.b.yaml.$side.missing"
		if [ $writer = add ]; then
			"$TAMIS" add "$w/b.yaml" "x" >"$w/out" 2>&1
		else
			ui_move "$w/b.yaml" >"$w/out" 2>&1
		fi
		rc=$?
		t_eq ".b.yaml.$side a link, $writer: the file it points at is untouched" \
			"$(cat "$w/victim")" precious
		t_eq ".b.yaml.$side a link, $writer: still a link" \
			"$(readlink "$w/.b.yaml.$side")" "$w/victim"
		if crashed "$rc" "$w/out"; then
			t_failed ".b.yaml.$side a link, $writer: no crash" "status $rc" "$(cat "$w/out")"
		else
			t_pass ".b.yaml.$side a link, $writer: no crash (status $rc)"
		fi
		# Refusing while the link is there is fine, if it says why (the UI
		# then keeps the changes in a rescue copy, status 74); the board file
		# itself must be intact.
		if [ "$rc" -ne 0 ] && ! crashed "$rc" "$w/out"; then
			t_match ".b.yaml.$side a link, $writer: the refusal names the link" "$(cat "$w/out")" \
				"'$w/\.b\.yaml\.$side': Too many levels of symbolic links"
		fi
		rm "$w/.b.yaml.$side"
		t_ok ".b.yaml.$side a link, $writer: the board file loads" "$TAMIS" check "$w/b.yaml"
		# A dangling link: nothing may be created at its target.
		mv "$w/.b.yaml.$side.missing" "$w/.b.yaml.$side"
		if [ $writer = add ]; then
			"$TAMIS" add "$w/b.yaml" "y" >"$w/out" 2>&1
		else
			ui_move "$w/b.yaml" >"$w/out" 2>&1
		fi
		t_fail ".b.yaml.$side a dangling link, $writer: nothing is created where it points" \
			test -e "$w/nothing"
	done
done

# --- never world-writable, the board's mode kept ----------------------------------
mkdir "$T/m"
(
	umask 000
	"$TAMIS" new "$T/m/new.yaml" >/dev/null
	cp "$DATA" "$T/m/b.yaml"
	chmod 0640 "$T/m/b.yaml"
	"$TAMIS" add "$T/m/b.yaml" "idée" >/dev/null
	ui_move "$T/m/b.yaml" >/dev/null
	printf 'R\n' >"$T/r2.script"
	TERM=xterm-256color TAMIS_BY=x TAMIS_SCRIPT="$T/r2.script" "$TAMIS" "$T/m/b.yaml"
	"$TAMIS" report "$T/m/b.yaml" -o "$T/m/r.md"
	printf 'Une idée\n' >"$T/m/ideas.txt"
	"$TAMIS" import "$T/m/new.yaml" "$T/m/ideas.txt" >/dev/null
	cp "$T/m/b.yaml" "$T/m/b2.yaml"
	"$TAMIS" merge "$T/m/merged.yaml" "$T/m/b.yaml" "$T/m/b2.yaml" >/dev/null
)
t_eq "with umask 000, nothing tamis made is world-writable" \
	"$(find "$T/m" -newer "$DATA" -perm -o+w ! -name ideas.txt | sed "s|$T/m/||")" ""
t_eq "it made them all: new and merged boards, two reports, side files" \
	"$(ls -A "$T/m" | grep -c -e '^new\.yaml$' -e '^merged\.yaml$' -e '^r\.md$' -e '^b-report-2019-06-28-1200\.md$' \
		-e '^\.b\.yaml\.lock$' -e '^\.b\.yaml\.live$')" 6
t_eq "the board's mode (0640) is kept by the CLI and the UI" "$(stat -c %a "$T/m/b.yaml")" 640
cp "$DATA" "$T/m/g.yaml"
chmod 0666 "$T/m/g.yaml"
"$TAMIS" add "$T/m/g.yaml" "idée" >/dev/null
t_eq "a world-writable board loses only its o+w" "$(stat -c %a "$T/m/g.yaml")" 664

# --- no shell, no program ----------------------------------------------------------
# Every command, and the UI with its report, runs no other program (no
# $EDITOR, no pager, no shell): one execve, tamis's own.
cp "$DATA" "$T/x.yaml"
printf 'Idée ; rm -rf / $(touch %s/pwned) `touch %s/pwned`\n' "$T" "$T" >"$T/ideas.txt"
for cmd in "add $T/x.yaml \$(touch\ $T/pwned)" "list $T/x.yaml" "show $T/x.yaml 1111" \
	"sieve $T/x.yaml" "report $T/x.yaml" "import $T/x.yaml $T/ideas.txt" \
	"deal $T/x.yaml --pairs A,B" "compact $T/x.yaml" "check $T/x.yaml"; do
	# shellcheck disable=SC2086 # the command's words
	traced -f -qq -o "$T/exec" -e trace=execve,execveat $TAMIS $cmd >/dev/null 2>&1
	t_eq "tamis ${cmd%% *}: no other program run" \
		"$(grep -c "^[0-9]* *execve" "$T/exec")" 1
done
printf 'a$(touch %s/pwned)<Enter><Enter>\nR\n:dump\n' "$T" >"$T/x.script"
TERM=xterm-256color TAMIS_BY=x TAMIS_SCRIPT="$T/x.script" \
	traced -f -qq -o "$T/exec" -e trace=execve,execveat "$TAMIS" "$T/x.yaml" >/dev/null
t_eq "the UI (adding a card, writing the report): no other program run" \
	"$(grep -c "^[0-9]* *execve" "$T/exec")" 1
t_fail "no command ran the text it was given" test -e "$T/pwned"
