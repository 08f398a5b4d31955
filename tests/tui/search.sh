# Searching (issue 19): '/' always starts a fresh search (it once glued the
# new query to the last one, "navettedémarches"), n and N repeat the last
# search, and ↑ in the search prompt recalls it. In tmux, as a newcomer types,
# then headless for the details.
. "$TAMIS_TOP/tests/lib.sh"
TUI_SOURCED=1 . "$TAMIS_TOP/tests/tui/tuilib.sh"

b=$T/b.yaml
cp "$SAMPLE" "$b"
# In the tray; the sample has two cards about "démarches", on grid 1.
"$TAMIS" add "$b" "Navette du personnel vers la gare" --theme mobilite >/dev/null
prompt() { tui_capture | tail -1; }
sum=$(cksum <"$b")

# --- tmux ------------------------------------------------------------------------
tui_start 100 30 "$b"
tui_type /navette
tui_keys Enter
t_ok "a first search finds its card" tui_wait "^1 matching card: n next"
t_ok "and selects it" tui_wait "▸Navette du personnel"
tui_type /
t_ok "/ opens an empty prompt" tui_wait "^/ +0 matching|^/ +[0-9]+ matching"
t_match "with nothing of the last search in it" "$(prompt)" "^/ +[0-9]+ matching"
tui_type démarches
t_ok "the new search counts its own matches" tui_wait "^/démarches +2 matching"
t_nomatch "the prompt holds only the new query" "$(prompt)" "navette"
t_ok "the first match is selected" tui_wait "▸Aide à l’usag"
tui_keys Enter
t_ok "Enter keeps it" tui_wait "^2 matching cards: n next"
tui_type n
t_ok "n moves to the next match" tui_wait "▸Aide aux déma"
t_nomatch "and off the first" "$(tui_capture)" "▸Aide à l’usag"
tui_type N
t_ok "N moves back" tui_wait "▸Aide à l’usag"
tui_type /
tui_wait "^/ +[0-9]+ matching" >/dev/null
tui_keys Up
t_ok "↑ in the prompt recalls the last search" tui_wait "^/démarches +2 matching"
tui_keys Escape
tui_type q
t_ok "q quits" tui_exit_is 0

# --- headless: n after Esc, ↑ with no search yet, an empty search -------------------
tui_script "$b" 100x30 >"$T/h.txt" <<'EOF'
/<Up>
:dump
<Esc>
n
:dump
/navette<Enter>
<Esc>
/<Enter>
:dump
n
:dump
EOF
screen() { sed -n "$((($1 - 1) * 30 + 1)),$(($1 * 30))p" "$T/h.txt"; }
t_match "↑ with no last search leaves the prompt empty" "$(screen 1 | tail -1)" "^/ +[0-9]+ matching"
t_match "n with no search at all says how to start one" "$(screen 2 | tail -1)" "^no search: / starts one"
t_nomatch "an empty search keeps nothing" "$(screen 3 | tail -1)" "matching cards"
t_match "n after it takes the last search up again" "$(screen 4)" "▸Navette du personnel"
t_eq "searching changed nothing in the board" "$(cksum <"$b")" "$sum"
