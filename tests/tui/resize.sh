# Resize storm: 200 random window sizes, from 1x1 up to 300x100, sent to a
# board in tmux while cards are picked up, carried and dropped; then a known
# size. tamis must still run, show the right frame (the same as a fresh
# start on the saved file at that size) and have saved every move it showed.
#
# The sizes and keys come from a seed, printed as a TAP comment: set
# TAMIS_STORM_SEED=N to replay a run, TAMIS_STORM_RESIZES=N for more.
. "$TAMIS_TOP/tests/lib.sh"
TUI_SOURCED=1 . "$TAMIS_TOP/tests/tui/tuilib.sh"

seed=${TAMIS_STORM_SEED:-$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')}
resizes=${TAMIS_STORM_RESIZES:-200}
echo "# resize storm: seed $seed, $resizes resizes (TAMIS_STORM_SEED=$seed to replay)"

b=$T/atelier.yaml
cp "$TUI_DATA/atelier.yaml" "$b"
# The plan, one step a line: "COLS ROWS" then the keys sent after it. Half
# the sizes are small (under 60x20, where the board does not fit or barely);
# a third of the steps carry keys: pick up, move, drop, or select.
awk -v seed="$seed" -v n="$resizes" 'BEGIN {
	srand(seed)
	for (i = 0; i < n; i++) {
		if (rand() < 0.5) { c = 1 + int(rand() * 60); r = 1 + int(rand() * 20) }
		else { c = 1 + int(rand() * 300); r = 1 + int(rand() * 100) }
		k = ""
		split("Left Right Up Down", dir, " ")
		if (rand() < 0.33) {
			if (rand() < 0.6)
				k = "Enter " dir[1 + int(rand() * 4)] " " dir[1 + int(rand() * 4)] " Enter"
			else
				k = dir[1 + int(rand() * 4)]
		}
		print c, r, k
	}
}' >"$T/plan"
t_eq "the plan has $resizes sizes from 1x1 to 300x100" \
	"$(awk '$1 >= 1 && $1 <= 300 && $2 >= 1 && $2 <= 100' "$T/plan" | wc -l)" "$resizes"

tui_start 80 24 "$b"
pid=$(tui_pid)
sent=0
tiny=0
while read -r cols rows keys; do
	tui_resize "$cols" "$rows"
	[ "$cols" -lt 40 ] || [ "$rows" -lt 12 ] && tiny=$((tiny + 1))
	if [ -n "$keys" ]; then
		# shellcheck disable=SC2086 # one tmux key name a word
		tui_keys $keys
		sent=$((sent + 1))
	fi
	# Now and then let it draw at that size, else the sizes pile up.
	case $((cols % 4)) in 0) sleep 0.02 ;; esac
done <"$T/plan"
echo "# $resizes resizes ($tiny below 40x12), $sent key sequences"
t_ok "tamis is still running after the storm" kill -0 "$pid"
t_fail "and never exited" tui_exited

# The screen once it has stopped changing for a second (at most SECONDS).
settled() {
	tui_capture >"$T/settle.1"
	tui_i=0
	while [ "$tui_i" -lt "${1:-30}" ]; do
		sleep 1
		tui_capture >"$T/settle.2"
		cmp -s "$T/settle.1" "$T/settle.2" && grep -q "Themes:" "$T/settle.2" && return 0
		mv "$T/settle.2" "$T/settle.1"
		tui_i=$((tui_i + 1))
	done
	return 1
}

# The known size. Keys that came while the board knew itself too small were
# ignored (by design), and a slow process (valgrind) may take the last
# resize after the keys sent with it: let everything settle, then put back
# a card still carried.
tui_resize 100 30
t_ok "at 100x30 the board is back and settles" settled 60
tui_keys Escape
t_ok "Esc: no card is carried" tui_wait "Enter pick up" 20
settled 20
tui_capture >"$T/storm.txt"
scr=$(cat "$T/storm.txt")
t_eq "every line fits 100 columns and the grid lines stand straight" "$(tui_widths_ok "$T/storm.txt" 100)" ok
t_match "the tabs are on the first line" "$(sed -n 1p "$T/storm.txt")" "^ 1 autonomie × frequence +2 frequence × autonomie"
t_match "the grid with its poles" "$(tr '\n' '~' <"$T/storm.txt")" "▲ Fréquent.*◀ Autonomie.*▶.*▼ Exceptionnel"
t_match "the tray" "$scr" "─ Tray: ([0-9] not placed on this grid|empty)"
t_match "the legend" "$scr" "Themes:  M  Mobilité   S  Santé & bien-être   N  Numérique"
t_match "the status bar" "$scr" "Atelier du jeudi +│ 1/2 │ [0-9] placed · [0-9] tray · [0-9] easy │ tester │"
t_eq "the screen is 30 lines" "$(wc -l <"$T/storm.txt")" 30
live=$("$TAMIS" list "$b" --format tsv)
placed=$(tui_places "$b" | grep -c ' autonomie-frequence [0-9]')
t_match "the status bar counts what is saved" "$scr" "│ $placed placed · $((6 - placed)) tray ·"

tui_keys q
t_ok "q quits with status 0" tui_exit_is 0
t_eq "nothing on stderr" "$(cat "$T/tui.err")" ""
t_ok "the saved board is valid" "$TAMIS" check "$b"
t_eq "the same six cards, none lost or doubled" \
	"$("$TAMIS" list "$b" --format tsv | cut -f1 | sort | tr '\n' ' ')" \
	"$(printf '%s\n' "$live" | cut -f1 | sort | tr '\n' ' ')"
t_eq "and the file holds what the running board held" "$("$TAMIS" list "$b" --format tsv)" "$live"
moves=$(grep -c 'event: moved' "$b")
echo "# $moves moves saved"
t_match "cards were moved during the storm" "$moves" "^[1-9][0-9]*$"

# The same file opened afresh at the same size must look the same (but for
# the selection mark, the status bar's times and the hints line).
frame() { head -n 28 "$1" | sed 's/▸/ /g'; }
tui_start 100 30 "$b"
tui_wait "Themes:" 20 >/dev/null
sleep 0.3
tui_capture >"$T/fresh.txt"
if diff -u "$(frame "$T/storm.txt" >"$T/a"; echo "$T/a")" "$(frame "$T/fresh.txt" >"$T/b"; echo "$T/b")" >"$T/diff"; then
	t_pass "the frame after the storm is the frame of a fresh start on the saved file"
else
	t_failed "the frame after the storm is the frame of a fresh start on the saved file" "$(cat "$T/diff")"
fi
tui_keys q
tui_exit_is 0 >/dev/null
