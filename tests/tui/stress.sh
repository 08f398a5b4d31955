# Many writers, one board, one interface open: N command-line writers
# (TAMIS_STRESS_WRITERS, 6 in make test, 20 in make stress) add cards and
# move their own cards for S seconds (TAMIS_STRESS_SECONDS, 4 and 30), while
# a pair's interface is open in tmux (so every change goes through the live
# journal) and adds cards too. Then the interface quits, the last one out,
# and folds the journal into the board file. Every change that was
# acknowledged (a command's exit 0; the interface's "saved", through
# $TAMIS_ACK_LOG) must be on the final board: each card added, with its
# text, and each card where its last acknowledged move put it (only its own
# writer moves it, one move at a time, so the last acknowledgement is the
# truth). 0 losses.
. "$TAMIS_TOP/tests/lib.sh"
TUI_SOURCED=1 . "$TAMIS_TOP/tests/tui/tuilib.sh"
unset TAMIS_TIME_NOW # real times: the journal's order is the test's order
WRITERS=${TAMIS_STRESS_WRITERS:-6}
SECONDS_=${TAMIS_STRESS_SECONDS:-4}

b=$T/b.yaml
$TAMIS new "$b" --title "Médiathèque : services à l'essai" >/dev/null
tui_start 120 40 TAMIS_BY="Binôme UI" TAMIS_ACK_LOG="$T/ui.ack" "$b"

# writer N: adds a card, then moves one of its own cards, until the deadline.
cat >"$T/writer.sh" <<'EOF'
n=$1 b=$2 end=$3 log=$4
grids="autonomie-frequence autonomie-centralisation frequence-centralisation"
k=0
mine=
while [ "$(date +%s)" -lt "$end" ]; do
	k=$((k + 1))
	text="écrivain $n, carte $k"
	if id=$("$TAMIS" add "$b" "$text" --by "w$n" 2>>"$log.err"); then
		echo "add $id $text" >>"$log"
		mine="$mine $id"
	fi
	set -- $mine
	[ $# -gt 0 ] || continue
	shift $(( k % $# ))
	card=$1
	g=$(echo $grids | cut -d' ' -f$(( k % 3 + 1 )))
	cells=2
	[ "$g" = autonomie-centralisation ] && cells=3
	cell="$(( (k * 7 + n) % cells + 1 )),$(( (k * 5 + n) % cells + 1 ))"
	if "$TAMIS" move "$b" "$card" --grid "$g" --cell "$cell" --by "w$n" 2>>"$log.err"; then
		echo "move $card $g $cell" >>"$log"
	fi
done
EOF
end=$(( $(date +%s) + SECONDS_ ))
pids=
for n in $(seq 1 "$WRITERS"); do
	sh "$T/writer.sh" "$n" "$b" "$end" "$T/w$n.log" &
	pids="$pids $!"
done
# The interface adds cards too, while the writers write.
ui_cards=0
while [ "$(date +%s)" -lt "$end" ]; do
	ui_cards=$((ui_cards + 1))
	tui_keys a
	tui_type "carte de l'interface $ui_cards"
	tui_keys Enter Enter
	sleep 0.5
done
wait $pids
tui_wait "carte de l'interface $ui_cards" 30 >/dev/null
tui_keys q
t_ok "the interface quits, saved" tui_exit_is 0 60
t_eq "and says nothing on stderr" "$(cat "$T/tui.err")" ""
t_fail "the last one out folded the journal" test -e "$T/.b.yaml.journal"
t_ok "the board loads" $TAMIS check --strict "$b"

# What was acknowledged, against the board file.
cat "$T"/w*.log >"$T/acked" 2>/dev/null
t_ok "the writers' errors are only lock waits, if any" \
	sh -c "! grep -hv 'another tamis is writing' $T/w*.log.err 2>/dev/null | grep -q ."
python3 - "$b" "$T/acked" "$T/ui.ack" "$WRITERS" "$SECONDS_" <<'EOF' >"$T/verdict"
import sys, yaml
board = yaml.safe_load(open(sys.argv[1]))
cards = {c["id"][:8]: c for c in board.get("cards") or []}
adds, moves, last = 0, 0, {}
lost = []
for line in open(sys.argv[2]):
    kind, rest = line.rstrip("\n").split(" ", 1)
    if kind == "add":
        cid, text = rest.split(" ", 1)
        adds += 1
        c = cards.get(cid)
        if not c or c["text"] != text:
            lost.append("add " + cid)
    else:
        cid, grid, cell = rest.split(" ")
        moves += 1
        last[(cid, grid)] = [int(v) for v in cell.split(",")]
for (cid, grid), cell in last.items():
    place = (cards.get(cid) or {}).get("place") or {}
    if place.get(grid) != cell:
        lost.append("move %s %s %s (board: %s)" % (cid, grid, cell, place.get(grid)))
ui = [l.split()[2] for l in open(sys.argv[3]) if l.startswith("saved add ")]
full = {c["id"] for c in board.get("cards") or []}
lost += ["ui add " + u for u in ui if u not in full]
print("%d writers, %s s: %d adds and %d moves acknowledged by the writers, %d adds by the interface, %d lost"
      % (int(sys.argv[4]), sys.argv[5], adds, moves, len(ui), len(lost)))
for l in lost[:20]:
    print("LOST " + l)
EOF
echo "# $(head -1 "$T/verdict")"
t_eq "no acknowledged change is lost" "$(grep -c '^LOST' "$T/verdict")" 0
t_match "the run did work (adds and moves acknowledged)" "$(head -1 "$T/verdict")" \
	"[1-9][0-9]* adds and [1-9][0-9]* moves acknowledged by the writers, [1-9][0-9]* adds by the interface, 0 lost"
