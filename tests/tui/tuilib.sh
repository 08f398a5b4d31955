# tests/tui/tuilib.sh - helpers for the terminal UI tests, sourced after
# tests/lib.sh by every tests/tui/*.sh script (which set TUI_SOURCED=1 first;
# run on its own, this file checks that tmux works, as a tiny suite).
#
# $TAMIS_WRAP, when set, is a command put before the binary for the UI runs
# of both kinds (tui_script, tui_start): tests/tui/valgrind.sh runs suites
# with the UI under valgrind this way. The CLI calls stay direct.
#
# Headless (tig's TIG_SCRIPT): the real binary reads keys, mouse events and
# resizes from a script and dumps its screen as text (see src/ui_input.h).
#
#   tui_script BOARD COLSxROWS [VAR=value...] [-- ARGS...] < script
#                             runs it (ARGS before BOARD: --facilitator...);
#                             the screen dumps (":dump" lines) go to stdout,
#                             the exit status to $tui_rc. Who plays is
#                             TAMIS_BY=tester unless VAR=value says otherwise
#                             (TAMIS_BY= : nobody, so the name is asked)
#   tui_places BOARD          one line per card and grid: "ID8 GRID X,Y" or
#                             "ID8 GRID tray", sorted, to compare whole boards
#   tui_field BOARD ID8 KEY   a card's field (text, theme, by, created...)
#                             Both read the board as every instance sees it:
#                             the file plus its live journal (tamis list)
#   tui_widths_ok DUMP        checks that every line of a dump is at most as
#                             wide as the screen and that the grid's lines
#                             stand in the same columns on every row
#
# Real terminal (tmux, as tmux's own regress/ tests): one private tmux server
# per script, killed at exit, with a fixed window size.
#
#   tui_start COLS ROWS [VAR=value...] [ARGS...] BOARD   starts tamis in a
#                             pane (TAMIS_BY=tester unless said); waits
#                             until the board is drawn. $tui_t names the
#                             tmux session ("t" by default), so that several
#                             instances can run side by side: each has its
#                             own $T/tui-SESSION.rc and .err ($T/tui.rc and
#                             $T/tui.err for "t")
#   tui_capture [-e]          prints the screen (-e: with colours)
#   tui_wait REGEX [SECONDS]  polls the screen until REGEX matches (default
#                             timeout 20 s: the sanitized build is slow);
#                             returns 1 and prints the screen otherwise
#   tui_keys KEY...           tmux send-keys (Enter, Escape, Up, C-r, ...)
#   tui_type TEXT             types TEXT literally
#   tui_mouse ACTION COL ROW  sends the xterm SGR mouse report of ACTION
#                             (press, release, drag, wheel-up, wheel-down)
#                             at 0-based COL, ROW
#   tui_resize COLS ROWS      resizes the window
#   tui_pid                   the tamis process id
#   tui_exited                true once tamis has exited
#   tui_exit_is N [SECONDS]   waits for tamis to exit with status N; what it
#                             wrote to stderr is then in $T/tui.err
[ -n "${TUI_SOURCED:-}" ] || . "$TAMIS_TOP/tests/lib.sh"
: "${T:?source tests/lib.sh first}"
TUI_DATA=$TAMIS_TOP/tests/tui/data
TUI_NOW=2019-06-28T11:00:00Z
export LC_ALL=C.UTF-8 TZ=UTC TAMIS_TIME_NOW=$TUI_NOW
unset NO_COLOR TAMIS_BY TAMIS_SCRIPT TAMIS_SCRIPT_SIZE

tui_script() {
	tui_board=$1
	tui_size=$2
	shift 2
	cat >"$T/tui.script"
	tui_vars=
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		tui_vars="$tui_vars $(tui_quote "$1")"
		shift
	done
	[ "${1:-}" = -- ] && shift
	eval "env TERM=xterm-256color TAMIS_BY=tester TAMIS_SCRIPT=\"\$T/tui.script\" \
		TAMIS_SCRIPT_SIZE=\"\$tui_size\" $tui_vars ${TAMIS_WRAP:-} \"\$TAMIS\" \"\$@\" \"\$tui_board\""
	tui_rc=$?
}

tui_places() {
	python3 - "$1" <<'PY'
import os, subprocess, sys, yaml
b = yaml.safe_load(open(sys.argv[1]))
grids = [g["id"] for g in b["grids"]]
cards = yaml.safe_load(subprocess.run([os.environ["TAMIS"], "list", sys.argv[1], "--format", "yaml"],
                                      check=True, capture_output=True).stdout) or {}
for c in cards.get("cards") or []:
    place = c.get("place") or {}
    for g in grids:
        p = place.get(g)
        print(c["id"][:8], g, "%d,%d" % tuple(p) if p else "tray")
PY
}

tui_field() {
	python3 - "$1" "$2" "$3" <<'PY'
import os, subprocess, sys, yaml
b = yaml.safe_load(subprocess.run([os.environ["TAMIS"], "list", sys.argv[1], "--format", "yaml"],
                                  check=True, capture_output=True).stdout) or {}
for c in b.get("cards") or []:
    if c["id"].startswith(sys.argv[2]):
        v = c.get(sys.argv[3])
        print("" if v is None else v)
PY
}

# Columns of the box-drawing lines per row must agree: wide characters and
# accents never shift what follows them.
tui_widths_ok() {
	python3 - "$1" "$2" <<'PY'
import sys, unicodedata
cols = int(sys.argv[2])
def width(ch):
    # Combining marks and format characters (zero-width space, joiners)
    # take no column: terminals put them in the cell before.
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1
bad = []
grid_cols = None
inside = False
for n, line in enumerate(open(sys.argv[1], encoding="utf-8").read().split("\n")):
    if "┌" in line or "╔" in line:
        inside = True
    x, pos = 0, []
    for ch in line:
        if ch in "│║┼╫╬╪┤├╢╟╣╠":
            pos.append(x)
        x += width(ch)
    if x > cols:
        bad.append("line %d is %d columns wide" % (n, x))
    if inside and len(pos) >= 3:
        if grid_cols is None:
            grid_cols = pos
        elif pos[:len(grid_cols)] != grid_cols[:len(pos)]:
            bad.append("line %d: lines at %s, not %s" % (n, pos, grid_cols))
    if "└" in line or "╚" in line:
        inside = False
print("\n".join(bad) if bad else "ok")
PY
}

TUI_SOCK=tamis-$$-$(basename "$0" .sh)
tui_tmux() { tmux -f /dev/null -L "$TUI_SOCK" "$@"; }
t_cleanup_hook='tui_tmux kill-server >/dev/null 2>&1'

tui_quote() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }

# The files of session $tui_t: "$T/tui.rc" for t, "$T/tui-NAME.rc" for others.
tui_file() { if [ "${tui_t:-t}" = t ]; then echo "$T/tui.$1"; else echo "$T/tui-$tui_t.$1"; fi; }

tui_start() {
	tui_cols=$1
	tui_rows=$2
	shift 2
	# A first session, kept to the end, sets the options before the pane
	# under test starts (and keeps the server up between panes).
	if ! tui_tmux has-session -t boot 2>/dev/null; then
		tui_tmux new-session -d -s boot -x 20 -y 5 || return 1
		tui_tmux set-option -g remain-on-exit on
		tui_tmux set-option -g mouse off
		tui_tmux set-option -g status off
	fi
	# The previous pane of this session ends before its status file is
	# cleared: a late "echo $?" would pass for the new one's exit.
	tui_old=$(tui_tmux display-message -p -t "${tui_t:-t}" '#{pane_pid}' 2>/dev/null)
	tui_tmux kill-session -t "${tui_t:-t}" 2>/dev/null
	tui_i=0
	while [ -n "$tui_old" ] && kill -0 "$tui_old" 2>/dev/null && [ "$tui_i" -lt 200 ]; do
		sleep 0.05
		tui_i=$((tui_i + 1))
	done
	rm -f "$(tui_file rc)"
	tui_tmux set-option -g default-size "${tui_cols}x$tui_rows"
	tui_env=" TAMIS_BY=tester"
	while [ $# -gt 0 ]; do
		case $1 in
		*=*) tui_env="$tui_env $(tui_quote "$1")"; shift ;;
		*) break ;;
		esac
	done
	tui_args=
	for a in "$@"; do
		tui_args="$tui_args $(tui_quote "$a")"
	done
	tui_tmux new-session -d -s "${tui_t:-t}" -x "$tui_cols" -y "$tui_rows" \
		"sleep 0.2; env TERM=xterm-256color$tui_env ${TAMIS_WRAP:-} $(tui_quote "$TAMIS")$tui_args 2>'$(tui_file err)'; echo \$? >'$(tui_file rc)'; sleep 1"
	# Until the board is drawn, or tamis has exited (a refusal).
	tui_i=0
	while [ "$tui_i" -lt 400 ]; do
		tui_capture | grep -q '│' && return 0
		tui_exited && return 1
		sleep 0.05
		tui_i=$((tui_i + 1))
	done
	tui_wait '│' 0
}

tui_capture() { tui_tmux capture-pane -p -t "${tui_t:-t}" "$@"; }

tui_wait() {
	tui_i=0
	tui_max=$(( ${2:-20} * 20 ))
	while [ "$tui_i" -lt "$tui_max" ]; do
		if tui_capture | grep -Eq -- "$1"; then
			return 0
		fi
		sleep 0.05
		tui_i=$((tui_i + 1))
	done
	echo "# timed out waiting for /$1/ on:"
	tui_capture | sed 's/^/#   /'
	return 1
}

tui_keys() { tui_tmux send-keys -t "${tui_t:-t}" "$@"; }
tui_type() { tui_tmux send-keys -t "${tui_t:-t}" -l -- "$1"; }

tui_mouse() {
	case $1 in
	press) tui_b=0 tui_m=M ;;
	release) tui_b=0 tui_m=m ;;
	drag) tui_b=32 tui_m=M ;;
	wheel-up) tui_b=64 tui_m=M ;;
	wheel-down) tui_b=65 tui_m=M ;;
	*) return 1 ;;
	esac
	tui_tmux send-keys -t "${tui_t:-t}" -H $(printf '\033[<%d;%d;%d%s' "$tui_b" $(($2 + 1)) $(($3 + 1)) \
		"$tui_m" | od -An -tx1)
	sleep 0.1
}

tui_resize() { tui_tmux resize-window -t "${tui_t:-t}" -x "$1" -y "$2"; }

tui_pid() {
	ps -o pid= --ppid "$(tui_tmux display-message -p -t "${tui_t:-t}" '#{pane_pid}')" | tr -d ' ' | head -1
}

tui_exited() { [ -s "$(tui_file rc)" ]; }

# Waits until tamis has exited (at most SECONDS, 20 by default) and checks
# its exit status is N (written by the pane's shell: tmux's own
# pane_dead_status is sometimes missing for a process that exits at once).
tui_exit_is() {
	tui_i=0
	while ! tui_exited && [ "$tui_i" -lt $(( ${2:-20} * 20 )) ]; do
		sleep 0.05
		tui_i=$((tui_i + 1))
	done
	tui_st=$(cat "$(tui_file rc)" 2>/dev/null)
	[ "$tui_st" = "$1" ] || { echo "# exit status '$tui_st', wanted $1"; return 1; }
}

if [ -z "${TUI_SOURCED:-}" ]; then
	# Run as a suite of its own: the terminal tests need a working tmux.
	tui_tmux new-session -d -s t -x 40 -y 10 "printf 'tmux works\\n'; sleep 30"
	if tui_wait 'tmux works' 10; then
		t_pass "tmux runs a pane and captures it"
	else
		t_failed "tmux runs a pane and captures it"
	fi
fi
