# Terminal UI, headless: scripted keys and mouse on a virtual screen, compared
# as text dumps and checked in the saved board (tig's TIG_SCRIPT tests).
# Set TAMIS_UPDATE_EXPECTED=1 to rewrite the expected dumps after a change.
. "$TAMIS_TOP/tests/lib.sh"
TUI_SOURCED=1 . "$TAMIS_TOP/tests/tui/tuilib.sh"
EXP=$TAMIS_TOP/tests/tui/expected

b=$T/atelier.yaml
fresh() { cp "$TUI_DATA/atelier.yaml" "$b"; tui_places "$b" >"$T/places.before"; }

# Compares a dump with tests/tui/expected/NAME.txt.
expect_dump() {
	if [ -n "${TAMIS_UPDATE_EXPECTED:-}" ]; then
		cp "$2" "$EXP/$1.txt"
	fi
	if diff -u "$EXP/$1.txt" "$2" >"$T/diff" 2>&1; then
		t_pass "$3"
	else
		t_failed "$3" "$(cat "$T/diff")"
	fi
}

# The placements that changed since fresh: "ID8 GRID OLD>NEW ...".
moved() {
	tui_places "$b" >"$T/places.now"
	python3 - "$T/places.before" "$T/places.now" <<'PY'
import sys
def load(p):
    return {tuple(l.split()[:2]): l.split()[2] for l in open(p) if l.strip()}
a, b = load(sys.argv[1]), load(sys.argv[2])
print(" ".join("%s %s %s>%s" % (k[0], k[1], a.get(k, "-"), b.get(k, "-"))
               for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)))
PY
}

# --- opening ---------------------------------------------------------------
fresh
tui_script "$b" 80x24 >"$T/open.txt" <<'EOF'
:dump
EOF
t_eq "the board opens and quits at the end of the script" "$tui_rc" 0
expect_dump open-80x24 "$T/open.txt" "the board at 80x24 (poles, easy zone, cells, tray, legend, status, hints)"
t_ok "opening changes nothing" cmp "$b" "$TUI_DATA/atelier.yaml"
out=$(cat "$T/open.txt")
t_match "the first placed card of the first grid is selected" "$out" "▸Réception de colis"
t_match "y high pole on the top border" "$(sed -n 2p "$T/open.txt")" "▲ Fréquent"
t_match "y low pole on the bottom border" "$out" "└─+ ▼ Exceptionnel ─+┘"
t_match "x low pole on the left" "$out" "^◀ Autonomie"
t_match "x high pole on the right" "$out" "│ Présence$"
t_match "the easy zone is labelled" "$out" "╠═+ ★ easiest to launch ═+╬"
t_match "the tray has its count" "$out" "Tray: 2 not placed"
t_match "the status bar has title and counts" "$out" "Atelier du jeudi .*4 placed · 2 tray · 2 easy"
t_eq "French, emoji and CJK stay aligned" "$(tui_widths_ok "$T/open.txt" 80)" ok

tui_script "$SAMPLE" 100x30 >"$T/sample.txt" <<'EOF'
:dump
EOF
out=$(cat "$T/sample.txt")
t_match "the sample board shows its first grid's poles" "$out" "▲ Fréquent.*▼ Exceptionnel|▼ Exceptionnel"
t_match "the sample board shows its tabs" "$(head -1 "$T/sample.txt")" "1 autonomie × frequence +2 autonomie × centralisation"
t_eq "the sample board at 100x30 is aligned" "$(tui_widths_ok "$T/sample.txt" 100)" ok

# --- keyboard: pick up, move, drop -------------------------------------------
fresh
tui_script "$b" 80x24 >"$T/move.txt" <<'EOF'
<Enter>
:dump
<Right>
:dump
<Enter>
:dump
EOF
t_match "Enter picks the card up" "$(sed -n 1,24p "$T/move.txt")" "▶Réception de colis"
t_match "carrying shows its keys" "$(sed -n 24p "$T/move.txt")" "move the card one cell.*Esc put it back"
t_match "Right moves it one cell over" "$(sed -n 25,48p "$T/move.txt")" "║ ▶Réception de colis sur◀ │"
t_match "Enter drops it and says where" "$(sed -n 49,72p "$T/move.txt")" "moved to cell 2,2"
t_match "the status bar shows the save time" "$(sed -n 49,72p "$T/move.txt")" "saved 11:00:00"
t_eq "the file changed that card's cell on that grid only" "$(moved)" \
	"11111111 autonomie-frequence 1,2>2,2"

fresh
tui_script "$b" 80x24 >/dev/null <<'EOF'
<Enter>
lll
kkk
<Esc>
EOF
t_eq "Esc puts a carried card back, nothing saved" "$(moved)" ""
t_ok "Esc leaves the file untouched" cmp "$b" "$TUI_DATA/atelier.yaml"

# Down from the bottom row goes to the tray; from the tray up into the grid.
fresh
tui_script "$b" 80x24 >"$T/tray.txt" <<'EOF'
lj
:dump
<Enter>j<Enter>
:dump
l
<Space>kl<Space>
:dump
EOF
t_match "selection moves right then down, to the nearest card" "$(sed -n 1,24p "$T/tray.txt")" "▸Café ☕"
t_match "down from the bottom row drops into the tray" "$(sed -n 25,48p "$T/tray.txt")" "Tray: 3 not placed"
t_match "the card is selected in the tray" "$(sed -n 25,48p "$T/tray.txt")" "▸Café ☕"
t_eq "grid to tray, then tray to grid" "$(moved)" \
	"22222222 autonomie-frequence 2,1>tray 55555555 autonomie-frequence tray>2,1"

# --- grids -------------------------------------------------------------------
fresh
tui_script "$b" 80x24 >"$T/grids.txt" <<'EOF'
<Tab>
:dump
i
:dump
<Esc>
1
:dump
<S-Tab>
:dump
9
:dump
EOF
g2=$(sed -n 1,24p "$T/grids.txt")
t_match "Tab shows grid 2 with its own poles" "$g2" "▲ Présence physique nécessaire"
t_match "grid 2 is 3x3" "$g2" "├─+┼─+┼─+┤"
t_match "switching grid keeps the selected card" "$g2" "▸Réception"
t_match "details show the card on every grid" "$(sed -n 25,48p "$T/grids.txt")" "2 frequence × autonomie +cell 3,1"
t_match "1 goes back to grid 1" "$(sed -n 50p "$T/grids.txt")" "▲ Fréquent"
t_match "Shift-Tab goes to the previous grid (wraps)" "$(sed -n 74p "$T/grids.txt")" "▲ Présence"
t_match "a missing grid number says so" "$(sed -n 120p "$T/grids.txt")" "there is no grid 9"

# --- add, edit, theme, delete, undo, redo --------------------------------------
fresh
tui_script "$b" 80x24 TAMIS_BY="Binôme 7" >"$T/add.txt" <<'EOF'
aPanier bio 🥕 東京 «frais»<Left><Left><Left><Left><Left><Left><Left><BS><Home>Un <End>!
:dump
<Enter>
:dump
n
:dump
EOF
t_match "the editor shows what is typed, edited by character" "$(sed -n 1,24p "$T/add.txt")" "Un Panier bio 🥕 東京«frais»!"
t_match "Enter opens the theme picker" "$(sed -n 25,48p "$T/add.txt")" "Theme of the new card"
t_match "the new card lands in the tray, selected" "$(sed -n 49,72p "$T/add.txt")" "Tray: 3 not placed.*|▸Un Panier"
new=$(python3 -c 'import sys,yaml; print([c["id"][:8] for c in yaml.safe_load(open(sys.argv[1]))["cards"]][-1])' "$b")
t_eq "the new card's text" "$(tui_field "$b" "$new" text)" "Un Panier bio 🥕 東京«frais»!"
t_eq "the new card's theme (picked by its letter)" "$(tui_field "$b" "$new" theme)" numerique
t_eq "the new card's author" "$(tui_field "$b" "$new" by)" "Binôme 7"
t_match "the new card's date" "$(tui_field "$b" "$new" created)" "^2019-06-28 11:00:00"

fresh
tui_script "$b" 80x24 >"$T/edit.txt" <<'EOF'
e<C-u>Réception des colis 📦
<Enter>
t<Down><Enter>
:dump
x
:dump
n
x
y
:dump
u
:dump
u
u
:dump
<C-r>
:dump
EOF
t_match "x asks before deleting" "$(sed -n 48p "$T/edit.txt")" "Delete this card\? “Réception des colis 📦” y deletes"
t_match "y deletes it" "$(sed -n 49,72p "$T/edit.txt")" "deleted \(u undoes\)"
t_match "u brings it back" "$(sed -n 73,96p "$T/edit.txt")" "undone: delete"
t_match "undo walks back through the theme change" "$(sed -n 144p "$T/edit.txt")" "redone: text edit"
t_eq "after undo, undo, undo and one redo: new text, old theme" \
	"$(tui_field "$b" 11111111 text)|$(tui_field "$b" 11111111 theme)" "Réception des colis 📦|mobilite"

fresh
tui_script "$b" 80x24 >/dev/null <<'EOF'
<Enter>l<Enter>
e<End> (V1)
<Enter>
t<Enter>
jx
y
aNouvelle
<Enter>
<Enter>
uuuuu
EOF
t_eq "undoing everything gives back the board" "$(tui_places "$b")" "$(cat "$T/places.before")"
t_eq "undoing everything gives back the texts" "$(tui_field "$b" 11111111 text)" \
	"Réception de colis sur le lieu de travail"
tui_script "$b" 80x24 >/dev/null <<'EOF'
x
y
<C-r>
u
<C-r>
EOF
t_eq "redo after undo re-deletes the card" "$(tui_field "$b" 11111111 text)" ""

# --- search --------------------------------------------------------------------
fresh
tui_script "$b" 80x24 >"$T/search.txt" <<'EOF'
/CAF
:dump
<Enter>
:dump
<Esc>
/o
<Enter>
n
:dump
N
:dump
EOF
t_match "search is case-insensitive and counts matches" "$(sed -n 24p "$T/search.txt")" "/CAF .*1 matching"
t_match "the search selects the first match as you type" "$(sed -n 1,24p "$T/search.txt")" "▸Café"
t_match "Enter keeps the search and tells how to jump" "$(sed -n 48p "$T/search.txt")" "1 matching card: n next"
t_match "n jumps to the next match" "$(sed -n 49,72p "$T/search.txt")" "▸Conciergerie"
t_match "N jumps back" "$(sed -n 73,96p "$T/search.txt")" "▸Café"

# --- mouse ---------------------------------------------------------------------
# At 80x24 the grid spans columns 12..67 and rows 1..18; the middle lines are
# at column 40 and row 9; the tray's cards are on row 20.
fresh
tui_script "$b" 80x24 >"$T/mouse.txt" <<'EOF'
:mouse press 20 6
:dump
:mouse drag 30 12
:mouse drag 50 12
:dump
:mouse release 50 12
:dump
:mouse press 5 20
:mouse release 50 5
:mouse press 30 0
:dump
EOF
t_match "a click selects the card under the pointer" "$(sed -n 1,24p "$T/mouse.txt")" "▸Pressing"
t_match "dragging carries the card along" "$(sed -n 34,42p "$T/mouse.txt")" "│ ▶Pressing"
t_match "releasing drops it" "$(sed -n 49,72p "$T/mouse.txt")" "moved to cell 2,1"
t_match "clicking a tab switches grid" "$(sed -n 74p "$T/mouse.txt")" "▲ Présence"
t_eq "mouse moves changed those cards only" "$(moved)" \
	"44444444 autonomie-frequence 1,2>2,1 55555555 autonomie-frequence tray>2,2"

# Wheel scrolls an overflowing cell.
python3 - "$TUI_DATA/atelier.yaml" "$b" <<'PY'
import sys, yaml
b = yaml.safe_load(open(sys.argv[1]))
for i in range(30):
    b["cards"].append({"id": "aaaaaaaa-0000-4000-8000-%012d" % i, "text": "Idée %02d" % i,
                       "theme": "sante", "decision": "undecided",
                       "place": {"autonomie-frequence": [2, 1]}})
yaml.safe_dump(b, open(sys.argv[2], "w"), allow_unicode=True, sort_keys=False)
PY
tui_script "$b" 80x24 >"$T/wheel.txt" <<'EOF'
:dump
:mouse wheel-down 50 14
:mouse wheel-down 50 14
:dump
:mouse wheel-up 50 14
:dump
EOF
t_match "an overflowing cell shows +N" "$(sed -n 1,24p "$T/wheel.txt")" "\+[0-9]+ ▼"
t_match "the wheel scrolls it" "$(sed -n 25,48p "$T/wheel.txt")" "▲ 2 "
t_match "and back" "$(sed -n 49,72p "$T/wheel.txt")" "▲ 1 "

# --- keys of one's own ($XDG_CONFIG_HOME/tamis/keys) ------------------------------
# The keys a file gives an action replace its defaults; the hints line and the
# help say the keys in effect.
fresh
mkdir -p "$XDG_CONFIG_HOME/tamis"
cat >"$XDG_CONFIG_HOME/tamis/keys" <<'EOF'
# mes touches
help F2
quit Ctrl-X
decide d
next-debated D
move-right é
EOF
tui_script "$b" 160x40 >"$T/keys.txt" <<'EOF'
:dump
?
:dump
<F2>
:dump
<Esc>é
:dump
q<C-x>
l
:dump
EOF
t_match "the hints say the remapped keys" "$(sed -n 40p "$T/keys.txt")" "F2 all keys  Ctrl-X quit"
t_match "the arrows in the hints say the remapped one too" "$(sed -n 40p "$T/keys.txt")" "^← ↓ ↑ é select"
t_nomatch "? no longer opens the help" "$(sed -n 41,80p "$T/keys.txt")" "Keys"
t_match "F2 opens it" "$(sed -n 81,120p "$T/keys.txt")" "─ Keys ─"
t_match "the help says F2 for itself" "$(sed -n 81,120p "$T/keys.txt")" "│ F2 *this help"
t_match "and é with the arrows" "$(sed -n 81,120p "$T/keys.txt")" "│ ← ↓ ↑ é h j k *select"
t_match "and D for the next debated card" "$(sed -n 81,120p "$T/keys.txt")" "│ D  *next debated"
t_match "é moves right" "$(sed -n 121,160p "$T/keys.txt")" "║ ▸?.?東京"
t_nomatch "q no longer quits, Ctrl-X does: what follows is never read" \
	"$(sed -n 161,300p "$T/keys.txt")" "."
tui_script "$b" 160x40 >"$T/keys-list.txt" <<'EOF'
=
:dump
EOF
t_match "the list view's hints say the remapped keys too" "$(sed -n 40p "$T/keys-list.txt")" \
	" d decide .* F2 all keys"
rm "$XDG_CONFIG_HOME/tamis/keys"

# --- sizes ---------------------------------------------------------------------
fresh
tui_script "$b" 80x24 >"$T/size.txt" <<'EOF'
:resize 39 12
:dump
:resize 1 1
:dump
:resize 2 2
jj<Enter>
:resize 40 12
:dump
:resize 300 80
:dump
:resize 80 24
:dump
EOF
t_eq "resizing never crashes" "$tui_rc" 0
t_match "below 40x12: terminal too small" "$(sed -n 1,12p "$T/size.txt")" "terminal too small"
t_eq "1x1 draws one character at most" "$(sed -n 13p "$T/size.txt" | tr -d '\n' | wc -m | tr -d ' ')" 1
t_match "40x12 still shows the grid and status" "$(sed -n 14,25p "$T/size.txt")" "╔.*▲ Fréquent.*"
t_eq "40x12 is aligned" "$(sed -n 14,25p "$T/size.txt" >"$T/s40"; tui_widths_ok "$T/s40" 40)" ok
t_eq "300x80 is aligned" "$(sed -n 26,105p "$T/size.txt" >"$T/s300"; tui_widths_ok "$T/s300" 300)" ok
t_eq "keys while too small change nothing" "$(moved)" ""
sed -n 106,129p "$T/size.txt" >"$T/back.txt"
expect_dump open-80x24 "$T/back.txt" "back to 80x24, the same screen as on opening"

# --- untrusted text, colours ---------------------------------------------------
cp "$TUI_DATA/hostile.yaml" "$T/h.yaml"
tui_script "$T/h.yaml" 80x24 >"$T/hostile.txt" <<'EOF'
:dump
i
:dump
<Esc>
j
i
:dump
EOF
t_eq "escape sequences in cards stay text" "$(grep -c "$(printf '\033')" "$T/hostile.txt")" 0
t_match "they are shown as visible escapes" "$(cat "$T/hostile.txt")" '\\e\]0;pwned\\a\\e\[2J'
t_match "bidi overrides are shown escaped" "$(cat "$T/hostile.txt")" '\\u\{202E\}evil'
t_match "tabs, bells and C1 controls too" "$(cat "$T/hostile.txt")" '\\there and bell \\a and C1 \\x9B'
t_eq "the hostile board stays aligned" "$(tui_widths_ok "$T/hostile.txt" 80)" ok

tui_script "$b" 80x24 NO_COLOR=1 >"$T/nocolor.txt" <<'EOF'
:dump
EOF
t_match "without colours, themes get letter badges" "$(cat "$T/nocolor.txt")" "▸M Réception"
t_match "and the legend names them" "$(cat "$T/nocolor.txt")" "M  Mobilité   S  Santé"

# --- never lose work -----------------------------------------------------------
fresh
tui_script "$b" 80x24 >/dev/null <<'EOF'
<Enter>l<Enter>
:signal TERM
<Enter>h<Enter>
EOF
t_eq "SIGTERM quits cleanly" "$tui_rc" 0
t_eq "SIGTERM keeps what was done, and stops there" "$(moved)" \
	"11111111 autonomie-frequence 1,2>2,2"
fresh
tui_script "$b" 80x24 >/dev/null <<'EOF'
<Enter>l
:signal HUP
EOF
t_eq "SIGHUP while carrying puts the card back and quits" "$(moved)" ""

# A save that cannot complete (file size limit: the edit of a long card does
# not fit in the live journal): said in the status bar, the board is kept in
# memory, the file is untouched, and a copy is attempted on exit.
mkdir "$T/big"
python3 - "$TUI_DATA/atelier.yaml" "$T/big/b.yaml" <<'PY'
import sys, yaml
b = yaml.safe_load(open(sys.argv[1]))
b["cards"].append({"id": "77777777-7777-4777-8777-777777777777", "theme": "sante",
                   "text": "Une très longue idée " * 80})
yaml.safe_dump(b, open(sys.argv[2], "w"), allow_unicode=True, sort_keys=False)
PY
cp "$T/big/b.yaml" "$T/big.orig"
(
	ulimit -f 1
	# Not under valgrind (tests/tui/valgrind.sh): its log could not be written.
	TAMIS_WRAP=
	tui_script "$T/big/b.yaml" 100x30 TMPDIR="$T/big" 2>"$T/fail.err"
	echo "$tui_rc" >"$T/fail.rc"
) <<'EOF' | cat >"$T/fail.txt"
/très longue
<Enter>
e<End>!
<Enter>
:dump
EOF
t_match "a failed save shows in the status bar" "$(cat "$T/fail.txt")" "NOT SAVED"
t_ok "the board file is left intact" cmp "$T/big/b.yaml" "$T/big.orig"
t_eq "quitting unsaved exits 74" "$(cat "$T/fail.rc")" 74
t_match "and says so" "$(cat "$T/fail.err")" "cannot save"
