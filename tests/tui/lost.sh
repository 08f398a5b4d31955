# Nothing acknowledged is lost, as people at the board see it: the board
# edited by hand under an open UI, changes that cannot be saved when
# quitting, a signal while a card is being typed, an error that must not
# outlive its cause. Headless (TAMIS_SCRIPT) and in tmux; a board for a
# library's new services, not the sample.
. "$TAMIS_TOP/tests/lib.sh"
TUI_SOURCED=1 . "$TAMIS_TOP/tests/tui/tuilib.sh"

mkboard() {
	$TAMIS new "$1" --title "Médiathèque" >/dev/null &&
		$TAMIS add "$1" "Prêt de liseuses" >/dev/null &&
		$TAMIS add "$1" "Boîte de retour 24 h/24" >/dev/null
}

# --- In tmux: a pair's UI open, a card added by a command, the board edited by hand.
b=$T/tmux/b.yaml
mkdir -p "$T/tmux" && mkboard "$b"
tui_start 100 30 TAMIS_BY="Binôme 1" "$b"
acked=$($TAMIS add "$b" "Navette du samedi" --by "Binôme 2")
tui_wait "Navette du samedi" >/dev/null
t_ok "the UI shows the acknowledged card" tui_wait "Navette du samedi"
sed -i 's/^title: Médiathèque$/title: Médiathèque (relue)/' "$b"
t_ok "after the hand edit the UI shows the edited title" tui_wait "Médiathèque \(relue\)"
t_ok "says the board was changed under its journal" tui_wait "was changed under its live journal"
t_ok "and still shows the acknowledged card" tui_wait "Navette du samedi"
tui_keys q
t_ok "the UI quits" tui_exit_is 0
t_ok "the card is in the board file" grep -q "Navette du samedi" "$b"
t_ok "and the edit" grep -q "^title: Médiathèque (relue)$" "$b"
t_fail "no journal is left" test -e "$T/tmux/.b.yaml.journal"

# --- Headless: the lock stuck when quitting: a rescue copy beside the board.
b=$T/stuck/b.yaml
mkdir -p "$T/stuck" && mkboard "$b"
chmod 0640 "$b"
flock -o -x "$T/stuck/.b.yaml.lock" sleep 301 &
holder=$!
t_cleanup_hook='pkill -f "sleep 301" 2>/dev/null; tui_tmux kill-server >/dev/null 2>&1'
sleep 0.2
tui_script "$b" 100x30 TAMIS_LOCK_TIMEOUT=0.2 2>"$T/stuck/err" <<'SCRIPT' >/dev/null
a
Club de lecture<Enter><Enter>
SCRIPT
kill $holder 2>/dev/null
pkill -f "sleep 301" 2>/dev/null
wait $holder 2>/dev/null
t_eq "quitting with a change not saved exits 74" "$tui_rc" 74
rescue=$(ls "$T/stuck"/.b.yaml.rescue-*.yaml 2>/dev/null)
t_ok "a rescue copy is beside the board" test -f "$rescue"
t_eq "with the board's permissions" "$(stat -c %a "$rescue")" 640
t_ok "it holds the change" grep -q "Club de lecture" "$rescue"
t_match "stderr names it" "$(cat "$T/stuck/err")" "your changes are kept in '.*/stuck/\.b\.yaml\.rescue-[0-9-]+\.yaml' instead"
t_match "list says it holds changes, and how to merge" "$($TAMIS list "$b" 2>&1 >/dev/null)" \
	"holds changes that are not in '.*b\.yaml'.*tamis merge NEW\.yaml"
t_exit "check --strict fails while it is not merged" 65 $TAMIS check --strict "$b"
dump=$(tui_script "$b" 100x30 <<'SCRIPT'
:dump
SCRIPT
)
t_match "reopening the board says so on the message line" "$dump" "holds changes that are not in"
t_ok "tamis merge brings it back" $TAMIS merge "$T/stuck/new.yaml" "$b" "$rescue"
mv "$T/stuck/new.yaml" "$b"
t_match "the card is on the board" "$($TAMIS list "$b")" "Club de lecture"
t_ok "and check has nothing more to say" $TAMIS check --strict "$b"

# --- A signal while a card is being typed: nothing typed is lost.
b=$T/sig/b.yaml
mkdir -p "$T/sig" && mkboard "$b"
tui_script "$b" 100x30 2>"$T/sig/err" <<'SCRIPT' >/dev/null
a
Heure du conte en pyjama
:signal TERM
SCRIPT
t_match "SIGTERM while adding a card: the card is added" "$($TAMIS list "$b")" "Heure du conte en pyjama"
id=$($TAMIS list "$b" --format tsv | grep "Prêt de liseuses" | cut -c1-8)
tui_script "$b" 100x30 2>"$T/sig/err" <<'SCRIPT' >/dev/null
/Prêt<Enter>
e<End> numériques (à domicile)
:signal HUP
SCRIPT
t_match "SIGHUP while editing: the card's text is unchanged" "$($TAMIS list "$b" 2>/dev/null)" \
	"$id .*Prêt de liseuses$"
rescue=$(ls "$T/sig"/.b.yaml.rescue-*.yaml 2>/dev/null)
t_ok "the typed text is in a rescue copy" grep -q "Prêt de liseuses numériques (à domicile)" "$rescue"
t_match "and stderr says where" "$(cat "$T/sig/err")" "the card text you were typing is kept in"
$TAMIS merge "$T/sig/new.yaml" "$b" "$rescue" >/dev/null && mv "$T/sig/new.yaml" "$b"
t_match "merging it brings the text back" "$($TAMIS list "$b")" "$id .*Prêt de liseuses numériques \(à domicile\)"

# --- An error reading the others' changes goes once they can be read again.
b=$T/stale/b.yaml
mkdir -p "$T/stale" && mkboard "$b"
cp "$b" "$T/stale/good"
dump=$(tui_script "$b" 100x30 <<SCRIPT
:run printf 'tamis: 1\ntitle: [oops\n' > '$b'
:dump
:run cat '$T/stale/good' > '$b'
:dump
SCRIPT
)
t_match "a board broken under the UI: the message line says why" "$(echo "$dump" | sed -n 1,30p)" \
	"cannot read the others' changes"
t_nomatch "once it is whole again, the error is gone" "$(echo "$dump" | sed -n 31,60p)" \
	"cannot read the others' changes"
