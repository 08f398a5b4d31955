# Accessible use, in a real terminal (tmux): the terminal's cursor on the
# selected card and on the selected line of every list (where a screen
# reader or a magnifier looks), the list view (=) with each card's place in
# words, "my cards" steering the arrows, prompts naming their card, the
# carried card's markers, the duplicate question, plurals in two languages.
. "$TAMIS_TOP/tests/lib.sh"
TUI_SOURCED=1 . "$TAMIS_TOP/tests/tui/tuilib.sh"

b=$T/board.yaml

# "X,Y" of the first place TEXT shows on screen, in display columns (wide
# characters count two), after PREFIX when given ("▸" for the selected card).
where() {
	tui_capture | python3 -c '
import sys, unicodedata
text, prefix = sys.argv[1], sys.argv[2]
def width(s):
    return sum(0 if unicodedata.combining(c) or unicodedata.category(c) in ("Mn", "Me", "Cf")
               else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
for y, line in enumerate(sys.stdin.read().split("\n")):
    i = line.find(prefix + text)
    if i >= 0:
        print("%d,%d" % (width(line[:i + len(prefix)]), y))
        break
' "$1" "${2:-}"
}
cursor() { tui_tmux display-message -p -t t '#{cursor_x},#{cursor_y}'; }
visible() { tui_tmux display-message -p -t t '#{cursor_flag}'; }

# --- the grid: the cursor on the selected card's text ---------------------------
cp "$TUI_DATA/atelier.yaml" "$b"
tui_start 100 30 "$b"
tui_wait "▸Réception" >/dev/null
t_eq "on opening, the cursor is on the selected card's first letter" "$(cursor)" \
	"$(where Réception ▸)"
t_eq "and it is shown (screen readers and magnifiers follow it)" "$(visible)" 1
tui_keys Right Right
tui_wait "▸東京" >/dev/null
t_eq "it follows the selection, after wide characters too" "$(cursor)" "$(where 東京 ▸)"
tui_keys Left Left Enter
t_ok "a carried card is between ▶ and ◀, not « »" tui_wait "▶Réception de.*◀"
t_eq "the cursor stays on the carried card" "$(cursor)" "$(where Réception ▶)"
tui_keys Escape

# --- the sieve: the cursor on the selected row ----------------------------------
tui_keys s
tui_wait "Sieve: 6 of 6 cards" >/dev/null
t_match "the sieve's title counts in the plural" "$(tui_capture)" \
	"Sieve: 6 of 6 cards, ranked by the easy zones of 2 grids"
t_eq "the cursor is on the selected row's card text" "$(cursor)" "$(where "Réception de colis")"
tui_keys Down
sleep 0.2
t_eq "and moves with the row" "$(cursor | cut -d, -f2)" "$(( $(where "Réception de colis" | cut -d, -f2) + 1 ))"
tui_keys Escape

# --- the list view ---------------------------------------------------------------
tui_keys =
t_ok "= shows the grid as a list" tui_wait "6 cards, as a list"
scr=$(tui_capture)
t_match "the way back is said on the hints line" "$(echo "$scr" | tail -1)" "= back to the grid"
t_match "with each card's place in words (the poles of its cell), ★ in the easy zone" "$scr" \
	"▸ Réception de colis.*Autonomie de l’usager · Fréquent ★"
t_match "its theme" "$scr" "Réception de colis.*M Mobilité"
t_match "its decision" "$(echo "$scr" | grep Café)" "V1"
t_match "the tray's cards too" "$(echo "$scr" | grep Conciergerie)" "tray"
t_match "the count in the plural" "$scr" "6 cards, as a list"
t_eq "the cursor is on the selected line" "$(cursor)" "$(where "Réception de colis")"
tui_keys Down Down
t_ok "the arrows move along the lines" tui_wait "▸ 東京"
t_eq "the cursor with them" "$(cursor)" "$(where 東京)"
# (Home and End are checked headless: tmux sends them as its own terminal
# does, not as TERM=xterm-256color says.)
tui_keys NPage
t_ok "PgDn: down a page, here the last line" tui_wait "▸ Séances de yoga"
tui_keys PPage
t_ok "PgUp: up a page, here the first" tui_wait "▸ Réception"
tui_keys i
t_ok "i shows the details of the line's card (the board's own key)" tui_wait "Card details"
tui_keys Escape
tui_keys Enter Right
t_ok "Enter picks it up; its line shows where it goes, in words" \
	tui_wait "▶ Réception de colis.*Présence physique nécessaire · Fréquent"
tui_keys Enter
t_ok "and Enter drops it there" tui_wait "▸ Réception de colis.*Présence physique nécessaire · Fréquent"
tui_keys =
t_ok "= again: the grid, with the card where it was moved" tui_wait "║ ▸Réception|│ ▸Réception"
t_match "the move is one change in the file" "$(tui_field "$b" 11111111 place)" \
	"'autonomie-frequence': \[2, 2\]"
tui_keys q
tui_exit_is 0 >/dev/null

# --- deciding from the list, and the prompt naming the card --------------------
cp "$TUI_DATA/facilitation.yaml" "$b"
tui_start 100 30 TAMIS_BY=claire --facilitator "$b" >/dev/null
tui_wait "▸" >/dev/null
tui_keys = Down
tui_wait "▸ Pressing" >/dev/null
tui_keys v
t_ok "the decision's prompt names the card" tui_wait "Decision for “Pressing « express » 😀 livré au bureau”: V1"
tui_keys Enter
t_ok "decided from the list" tui_wait "▸ Pressing.*V1"
tui_keys =
t_ok "and the grid shows it after =" tui_wait "▸Pressing.*V1"
tui_keys e
t_ok "the edit prompt names the card too" tui_wait "Edit “Pressing « express » 😀"
tui_keys Escape x
t_ok "and the delete question" tui_wait "Delete this card\? “Pressing « express » 😀"
tui_keys n q
tui_exit_is 0 >/dev/null

# --- m: the arrows visit only my cards ------------------------------------------
# Binôme 4's cards on the first grid: Pressing (1,2) and Café (2,1); Réception
# (1,2) and 東京 (2,2) are others'.
cp "$TUI_DATA/facilitation.yaml" "$b"
tui_start 100 30 "TAMIS_BY=Binôme 4" "$b" >/dev/null
tui_wait "▸" >/dev/null
tui_keys m
t_ok "m says the arrows visit only my cards" tui_wait "the arrows visit only them"
t_match "and selects one of mine" "$(tui_capture)" "▸Pressing|▸Café"
tui_keys Right
sleep 0.3
scr=$(tui_capture)
t_nomatch "right skips the others' cards" "$scr" "▸Réception|▸東京"
tui_keys Down Left Up Right
sleep 0.3
t_nomatch "whatever the direction" "$(tui_capture)" "▸Réception|▸東京"
tui_keys =
tui_wait "as a list" >/dev/null
tui_keys PPage
sleep 0.2
for k in 1 2 3 4; do tui_keys Down; done
sleep 0.3
t_nomatch "the list's arrows too" "$(tui_capture)" "▸ Réception|▸ 東京"
tui_keys = m
t_ok "m again: every card" tui_wait "all cards shown alike"
tui_keys q
tui_exit_is 0 >/dev/null

# --- adding a text already on the board -------------------------------------------
cp "$TUI_DATA/atelier.yaml" "$b"
tui_start 100 30 "$b" >/dev/null
tui_wait "▸" >/dev/null
tui_keys a
tui_type "RÉCEPTION  de colis sur le lieu de travail"
tui_keys Enter
t_ok "the UI asks before adding a duplicate (case and spaces aside)" \
	tui_wait "A card with this text already exists: “Réception de colis sur le lieu de trava…” add anyway\?"
t_eq "the cursor is on the question" "$(cursor | cut -d, -f2)" 29
tui_keys n
t_ok "n adds nothing" tui_wait "card not added"
t_eq "six cards still" "$("$TAMIS" list "$b" | grep -c "^[0-9a-f]\{8\} ")" 6
tui_keys a
tui_type "réception de colis sur le lieu de travail"
tui_keys Enter y
t_ok "y goes on to its theme" tui_wait "Theme of the new card"
tui_keys Enter
t_ok "and adds it" tui_wait "added to the tray"
t_eq "seven cards" "$("$TAMIS" list "$b" | grep -c "^[0-9a-f]\{8\} ")" 7
tui_keys q
tui_exit_is 0 >/dev/null

# --- French: the same, translated, and a plural --------------------------------------
cp "$TUI_DATA/atelier.yaml" "$b"
tui_start 100 30 LC_ALL=fr_FR.UTF-8 LANG=fr_FR.UTF-8 "$b" >/dev/null
tui_wait "▸" >/dev/null
t_match "the status bar's counts in French" "$(tui_capture)" "4 en grille · 2 au bac · 2 ★"
tui_keys =
t_ok "the list view in French, its count in the plural" tui_wait "6 cartes, en liste"
t_match "the way back, in French" "$(tui_capture | tail -1)" "= retour à la grille"
t_match "places in words" "$(tui_capture)" "Autonomie de l’usager · Fréquent ★"
t_match "the tray" "$(tui_capture)" "Conciergerie numérique.*bac"
tui_keys =
tui_keys a
tui_type "Réception de colis sur le lieu de travail"
tui_keys Enter
t_ok "the duplicate question in French" \
	tui_wait "Une carte a déjà ce texte : «.Réception de colis sur le lieu de tra….» l’ajouter quand même \?"
tui_keys n q
tui_exit_is 0 >/dev/null

# --- headless: Home and End in the list ---------------------------------------------
cp "$TUI_DATA/atelier.yaml" "$b"
tui_script "$b" 100x30 >"$T/list.txt" <<'SCRIPT'
=<End>
:dump
<Home>
:dump
SCRIPT
t_match "End: the last line (the tray's last card)" "$(sed -n 1,30p "$T/list.txt")" "▸ Séances de yoga"
t_match "Home: the first (the top row's first cell)" "$(sed -n 31,60p "$T/list.txt")" "▸ Réception de colis"
