# CLI: hostile and broken boards, through every command that reads a board and
# through the terminal UI's entry.
#
# The boards: tests/bad/NAME.yaml, each with NAME.expect beside it:
#
#     # what is broken
#     at: LINE:COLUMN      (or "-" when the problem has no location)
#     message: a substring of the first problem's message
#
# and boards generated here into $T (big ones are never stored in the tree):
# a 10 MB scalar, nesting 10,000 deep, random bytes, an alias bomb, the sample
# board cut at 20 offsets, a 300 MB (sparse) file, a directory, a FIFO...
#
# For every board and every command (check, list, show, sieve, add, move,
# report and import when this tamis has them, the UI with stdin not a
# terminal, and the UI under script(1) with TERM=xterm-256color), one TAP line
# checks all of: no crash (exit < 128), no hang (each board's commands run
# under one timeout), bounded memory (ulimit -v), exit 65 (or 66 when the
# file cannot be read), nothing on stdout, stderr's first line
# "FILE:LINE:COLUMN: message" matching the .expect (or naming 'FILE' when
# there is no location), at most STORE_MAX_ERRORS + 1 lines, no raw control
# character or ESC (so the UI never took the terminal). Then one line per
# board: the file is unchanged byte for byte (and not rewritten: same inode
# and time), and nothing but the lock files (.FILE.lock, .FILE.live: never
# removed, by design) was left beside it.
. "$TAMIS_TOP/tests/lib.sh"
export TAMIS_TIME_NOW=2019-06-28T10:12:00Z TAMIS_LOCK_TIMEOUT=2
unset TAMIS_BY

BAD=$TAMIS_TOP/tests/bad
MAX_ERRORS=$(sed -n 's/^#define STORE_MAX_ERRORS \([0-9]*\).*/\1/p' "$TAMIS_TOP/src/store.h")
MAX_LINES=$((${MAX_ERRORS:-20} + 1))
MEM_KB=262144 # 256 MB of address space for one command on a 10 MB file

# A sanitizer build reserves terabytes of address space: ulimit -v cannot
# bound it, and its own checks take over.
if (ulimit -v $MEM_KB && exec "$TAMIS" --version) >/dev/null 2>&1; then
	mem_ok=1
else
	mem_ok=0
	t_pass "memory bound not checked: $TAMIS cannot run under ulimit -v (a sanitizer build?) # SKIP"
fi

# Commands beyond issue 2's, checked when this tamis has them.
extra=
for c in report import; do
	"$TAMIS" $c --help >/dev/null 2>&1 && extra="$extra $c"
done
all_cmds="check list show sieve add move$extra ui ui-tty"
# A sanitizer build takes 0.2 s to start: there, a reader, a writer and the UI
# only (every command loads through the same store_load()).
if [ $mem_ok = 0 ]; then
	all_cmds="check add ui-tty"
	t_pass "a sanitizer build?: only check, add and the UI run on each board # SKIP"
fi
printf 'x\n' >"$T/ideas.txt"

# --- generated boards ------------------------------------------------------------
# Writes them into $T/gen, and $T/gen/MANIFEST: one "NAME|AT|MESSAGE" line each
# (AT "any": some location inside the file; "maybe": the board may even load).
mkdir -p "$T/gen"
python3 - "$T/gen" "$SAMPLE" <<'EOF' || t_failed "python3 generates the big boards"
import os, random, sys
out, sample = sys.argv[1], open(sys.argv[2], 'rb').read()
manifest = []
def board(name, at, message, data):
    with open(os.path.join(out, name + '.yaml'), 'wb') as f:
        f.write(data if isinstance(data, bytes) else data.encode('utf-8'))
    manifest.append('%s|%s|%s' % (name, at, message))
H = 'tamis: 1\ntitle: '
board('big-scalar', '2:8', 'value too long (10485760 bytes', H + 'a' * (10 << 20) + '\n')
board('big-quoted', '2:8', 'value too long (10485760 bytes', H + '"' + 'a' * (10 << 20) + '"\n')
board('big-key', 'any', "could not find expected ':'", 'tamis: 1\n' + 'k' * (10 << 20) + ': x\n')
board('scalar-65k', '2:8', 'value too long (65537 bytes, the limit is 65536)', H + 'n' * 65537 + '\n')
board('deep-flow', '2:23', 'nesting too deep', H + '[' * 10000 + ']' * 10000 + '\n')
board('deep-flow-open', '2:23', 'nesting too deep', H + '[' * 10000 + '\n')
board('deep-map', '2:68', 'nesting too deep', H + '{a: ' * 10000 + '}' * 10000 + '\n')
board('deep-block', '4:33', 'nesting too deep', H + 'x\ncards:\n  ' + '- ' * 10000 + 'x\n')
board('deep-100k', '2:23', 'nesting too deep', H + '[' * 100000 + '\n')
board('alias-many', '3:4', 'aliases and anchors are not allowed',
      H + 'x\nl: &a [1]\nm: [' + ', '.join(['*a'] * 100000) + ']\n')
board('wide-list', '3:14', "'description' must be a string, not a list",
      H + 'x\ndescription: [' + ', '.join(['0'] * 300000) + ']\n')
board('many-keys', '3:1', "unknown key 'zz0'", H + 'x\n' + ''.join('zz%d: 1\n' % i for i in range(1000)))
board('many-cards-bad', 'any', "unknown theme 'nope'", H + 'x\ncards:\n' + ''.join(
    '  - {id: 00000000-0000-4000-8000-%012x, text: c%d, theme: nope}\n' % (i, i) for i in range(5000)))
board('grids-101', 'any', 'grids', H + 'x\ncriteria:\n  - {id: a, low: l, high: h, easy: low}\n'
      '  - {id: b, low: l, high: h, easy: low}\ngrids:\n' +
      ''.join('  - {id: g%d, x: a, y: b}\n' % i for i in range(101)))
board('history-65', 'any', 'history', H + 'x\nthemes:\n  - {id: t, label: T, color: red}\ncards:\n'
      '  - id: 00000000-0000-4000-8000-000000000001\n    text: x\n    theme: t\n    history:\n' +
      ''.join('      - {at: 2019-06-28T10:12:00Z, by: A, event: edited}\n' for i in range(65)))
r = random.Random(42)
board('random-bytes', 'any', 'invalid UTF-8', bytes(r.getrandbits(8) for _ in range(65536)))
r = random.Random(43)
board('random-yaml', 'any', '', ''.join(r.choice('ab:- \n[]{},"\'&*!|>#%@`?\t') for _ in range(65536)))
r = random.Random(44)
board('random-sample', 'any', '', bytes(b if r.random() > 0.01 else r.getrandbits(8) for b in sample))
# The sample board cut at 20 offsets, 3 of them inside a multi-byte character.
offsets = [len(sample) * k // 18 for k in range(1, 18)]
for k in (2, 8, 14):
    o = len(sample) * k // 18 + 7
    while sample[o] < 0x80:
        o += 1
    offsets.append(o + 1)
for o in sorted(offsets):
    board('cut-%05d' % o, 'maybe', '', sample[:o])
with open(os.path.join(out, 'MANIFEST'), 'w') as f:
    f.write('\n'.join(manifest) + '\n')
EOF
truncate -s 300M "$T/gen/too-large.yaml"
mkdir "$T/gen/directory.yaml"
mkfifo "$T/gen/fifo.yaml"
mkdir "$T/gen/a-directory"
ln -s "$T/gen/a-directory" "$T/gen/link-to-directory.yaml"
ln -s "$T/gen/nowhere.yaml" "$T/gen/dangling-link.yaml"
ln -s /dev/null "$T/gen/dev-null.yaml"
cat >>"$T/gen/MANIFEST" <<'EOF'
too-large|-|too large
directory|-|is a directory
fifo|-|not a regular file
link-to-directory|-|is a directory
dangling-link|-|No such file or directory
dev-null|-|not a regular file
EOF

# --- running the commands on one board -------------------------------------------------
# Most of this script's time goes to starting processes, so every command of
# a board runs in one batch, under the memory bound and one time bound: a
# command that hangs is the one the batch was killed in (it has no .rc).
# batch.sh DIR FILE CMD...: in DIR, each CMD on FILE; leaves DIR/.r/CMD.{out,err,rc}.
cat >"$T/batch.sh" <<'EOF'
cd "$1" || exit 99
file=$2
shift 2
mkdir -p .r
[ "$MEM_KB" ] && ulimit -v "$MEM_KB"
for c; do
	case $c in
	show) "$TAMIS" show "$file" 0000 ;;
	add) "$TAMIS" add "$file" x ;;
	move) "$TAMIS" move "$file" 0000 --grid g --cell 1,1 ;;
	import) "$TAMIS" import "$file" "$IDEAS" ;;
	ui) "$TAMIS" "$file" ;;
	ui-tty) TERM=xterm-256color script -qec "'$TAMIS' '$file'" /dev/null ;;
	*) "$TAMIS" "$c" "$file" ;;
	esac </dev/null >".r/$c.out" 2>".r/$c.err"
	echo $? >".r/$c.rc"
done
EOF
export TAMIS IDEAS="$T/ideas.txt"
[ $mem_ok = 1 ] && export MEM_KB
BATCH_TIMEOUT=${BATCH_TIMEOUT:-60}

CTL=$(printf '\001\002\003\004\005\006\007\010\013\014\016\017\020\021\022\023\024\025\026\027\030\031\032\034\035\036\037\177')
ESC=$(printf '\033')
CR=$(printf '\r')

# judge NAME CMD FILE AT MESSAGE MAXLINE: one TAP line on what CMD did, without
# starting any process.
judge() {
	name=$1 c=$2 file=$3 at=$4 msg=$5 maxline=$6
	r=$w/.r/$c
	why=
	rc=
	[ -f "$r.rc" ] && read -r rc <"$r.rc"
	if [ -z "$rc" ]; then
		if [ -n "$stopped" ]; then
			why="not run: $stopped"
		elif [ "$batch_rc" -eq 124 ] || [ "$batch_rc" -eq 137 ]; then
			why="hung: killed after ${BATCH_TIMEOUT}s"
			stopped="'$c' hung"
		else
			why="not run: the batch ended with status $batch_rc"
			stopped=$why
		fi
		t_failed "$name: $c refuses it" "$why"
		return
	fi
	if [ "$rc" -ge 128 ]; then
		why="crashed: exit $rc (signal $((rc - 128)))"
	elif [ "$rc" -eq 0 ]; then
		why="exit 0 on a broken board"
	elif [ "$rc" -ne 65 ] && { [ "$at" != - ] || [ "$rc" -ne 66 ]; }; then
		why="exit $rc, not 65 (an invalid board) or, without a location, 66 (cannot read it)"
	fi
	if [ "$c" = ui-tty ]; then # script(1) merges both, with CR LF line ends
		err=$r.out
	else
		err=$r.err
		[ -s "$r.out" ] && why="$why${why:+; }wrote on stdout"
	fi
	n=0
	first=
	while IFS= read -r line || [ -n "$line" ]; do
		n=$((n + 1))
		line=${line%"$CR"}
		[ $n -eq 1 ] && first=$line
		case $line in
		*"$ESC"*) why="$why${why:+; }an escape character (the UI took the terminal?)" ;;
		*["$CTL"]*) why="$why${why:+; }a raw control character" ;;
		esac
		if [ $n -gt $MAX_LINES ]; then
			why="$why${why:+; }more than $MAX_LINES lines"
			break
		fi
	done <"$err"
	case $at in
	-)
		case $first in
		*"'$file'"*|"$file: "*) ;;
		*) why="$why${why:+; }first line does not name '$file'" ;;
		esac ;;
	any)
		l=${first#"$file:"}
		l=${l%%:*}
		case $first in
		"$file:"*) ;;
		*) l=x ;;
		esac
		case $l in
		''|*[!0-9]*) why="$why${why:+; }first line is not $file:LINE:COLUMN: message" ;;
		*) [ "$l" -gt "$maxline" ] &&
			why="$why${why:+; }line $l is past the end of the file ($maxline lines)" ;;
		esac ;;
	*)
		case $first in
		"$file:$at: "*) ;;
		*) why="$why${why:+; }first line is not at $file:$at" ;;
		esac ;;
	esac
	case $first in
	*"$msg"*) ;;
	*) why="$why${why:+; }no '$msg' in the first line" ;;
	esac
	if [ -z "$why" ]; then
		t_pass "$name: $c refuses it: ${first#"$file:"}"
	else
		t_failed "$name: $c refuses it" "$why" "exit $rc; first line:" "$first"
	fi
}

# Lines of a file as the problems count them (the last one may be empty), or
# 0 when it is not a regular file.
file_lines() {
	if [ -f "$1" ] && [ ! -L "$1" ]; then
		echo $(($(tr '\r' '\n' <"$1" | wc -l) + 1))
	else
		echo 0
	fi
}

# try NAME SRC AT MESSAGE: every command on a copy of SRC named NAME.yaml
# ("maybe": a cut board, which may load; then it is only checked).
try() {
	name=$1 src=$2 at=$3 msg=$4
	w=$T/w/$name
	file=$name.yaml
	mkdir -p "$w"
	if [ -f "$src" ] && [ ! -L "$src" ] && [ "$(wc -c <"$src")" -lt 20000000 ]; then
		cp "$src" "$w/$file"
	else # a directory, a FIFO, a link, the sparse 300 MB file: itself
		mv "$src" "$w/$file"
		src=
	fi
	before=$(stat -c '%F, %s bytes, inode %i, modified %y' "$w/$file")
	maxline=$(file_lines "$w/$file")
	cmds=$all_cmds
	if [ "$at" = maybe ]; then
		timeout -k 2 "$BATCH_TIMEOUT" sh "$T/batch.sh" "$w" "$file" check
		if [ "$(cat "$w/.r/check.rc" 2>/dev/null)" = 0 ]; then
			t_pass "$name: loads (cut between values)"
			rm -rf "$w"
			return
		fi
		at=any
	fi
	timeout -k 2 "$BATCH_TIMEOUT" sh "$T/batch.sh" "$w" "$file" $cmds
	batch_rc=$?
	stopped=
	for c in $cmds; do
		judge "$name" "$c" "$file" "$at" "$msg" "$maxline"
	done
	after=$(stat -c '%F, %s bytes, inode %i, modified %y' "$w/$file")
	left=
	for x in "$w"/* "$w"/.[!.]*; do
		[ -e "$x" ] || [ -L "$x" ] || continue
		case ${x##*/} in
		"$file"|".$file.lock"|".$file.live"|.r) ;; # the lock files stay by design
		*) left="$left ${x##*/}" ;;
		esac
	done
	if [ "$before" = "$after" ] && [ -z "$left" ] && { [ -z "$src" ] || cmp -s "$src" "$w/$file"; }; then
		t_pass "$name: unchanged, nothing but lock files left beside it"
	else
		t_failed "$name: unchanged, nothing but lock files left beside it" "before: $before" "after:  $after" \
			"left beside it:$left" "$([ -n "$src" ] && cmp "$src" "$w/$file" 2>&1)"
	fi
	rm -rf "$w"
}

# --- all of them, a few boards at a time ------------------------------------------------
# Each board is tried in a background job that writes its TAP lines, unnumbered,
# to $T/v/SEQ; they are numbered here, in order, once the jobs are done.
nboards=0
for f in "$BAD"/*.yaml; do
	name=${f##*/}
	name=${name%.yaml}
	at='' msg=''
	while IFS= read -r line; do
		case $line in
		"at: "*) at=${line#at: } ;;
		"message: "*) msg=${line#message: } ;;
		esac
	done <"$BAD/$name.expect"
	if [ -z "$at" ] || [ -z "$msg" ]; then
		t_failed "$name: has a $name.expect with 'at:' and 'message:'"
		continue
	fi
	printf '%s|%s|%s|%s\n' "$name" "$f" "$at" "$msg"
	nboards=$((nboards + 1))
done >"$T/boards"
t_match "tests/bad holds at least 40 broken boards" "$nboards" '^([4-9][0-9]|[1-9][0-9]{2,})$'
while IFS='|' read -r name at msg; do
	[ -n "$name" ] && printf '%s|%s|%s|%s\n' "$name" "$T/gen/$name.yaml" "$at" "$msg"
done <"$T/gen/MANIFEST" >>"$T/boards"

# Two jobs per CPU (they mostly wait on process start-ups), at most 8;
# BAD_JOBS=N to choose.
jobs=$((2 * $(nproc 2>/dev/null || echo 1)))
[ "$jobs" -gt 8 ] && jobs=8
jobs=${BAD_JOBS:-$jobs}
mkdir "$T/v"
seq=0
while IFS='|' read -r name src at msg; do
	seq=$((seq + 1))
	(
		t_pass() { echo "ok - $1"; }
		t_failed() {
			echo "not ok - $1"
			shift
			[ $# -gt 0 ] && printf '%s\n' "$@" | sed 's/^/#   /'
			return 0
		}
		try "$name" "$src" "$at" "$msg"
	) >"$T/v/$(printf '%04d' $seq)" 2>&1 &
	[ $((seq % jobs)) -eq 0 ] && wait
done <"$T/boards"
wait
cat "$T"/v/* >"$T/verdicts"
while IFS= read -r line; do
	case $line in
	"ok - "*) t_pass "${line#ok - }" ;;
	"not ok - "*) t_n=$((t_n + 1)); echo "not ok $t_n - ${line#not ok - }" ;;
	*) printf '%s\n' "$line" ;;
	esac
done <"$T/verdicts"
