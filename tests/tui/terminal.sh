# Terminal UI in a real terminal: the binary runs in tmux (fixed sizes, keys
# and mouse reports sent to it, the screen captured), and what a person sees
# and the saved file are checked.
. "$TAMIS_TOP/tests/lib.sh"
TUI_SOURCED=1 . "$TAMIS_TOP/tests/tui/tuilib.sh"

b=$T/atelier.yaml
fresh() { cp "$TUI_DATA/atelier.yaml" "$b"; tui_places "$b" >"$T/places.before"; }
moved() { tui_places "$b" | diff "$T/places.before" - | grep '^>' | tr '\n' ' '; }

# --- the sample board --------------------------------------------------------
cp "$SAMPLE" "$T/sample.yaml"
tui_start 100 30 "$T/sample.yaml"
tui_wait "▲ Fréquent" >/dev/null
scr=$(tui_capture)
t_match "the sample board shows the y poles" "$scr" "▲ Fréquent.*"
t_match "and the x poles" "$scr" "Autonomie"
t_match "and its cards" "$scr" "Achat et rech|Réception de"
t_match "and the easy zone" "$scr" "★ easiest to launch"
t_match "and the tabs" "$scr" "1 autonomie × frequence"
t_eq "the terminal switched to the alternate screen" \
	"$(tui_tmux display-message -p -t t '#{alternate_on}')" 1
tui_keys q
tui_exit_is 0 >/dev/null
t_ok "q quits at once, exit status 0" tui_exit_is 0 5
t_eq "the terminal is restored" "$(tui_tmux display-message -p -t t '#{alternate_on}')" 0
t_ok "the sample was not modified by looking" cmp "$T/sample.yaml" "$SAMPLE"

# --- keys ----------------------------------------------------------------------
fresh
tui_start 80 24 "$b"
tui_keys Enter
t_ok "Enter picks the card up" tui_wait "▶Réception"
tui_keys Right
tui_keys Enter
t_ok "Enter drops it" tui_wait "moved to cell 2,2"
t_eq "exactly that card's cell changed in the file" "$(moved)" \
	"> 11111111 autonomie-frequence 2,2 "
tui_keys j Enter Down Down Enter
t_ok "down from the bottom row lands in the tray" tui_wait "moved to the tray"
tui_keys Escape u
t_ok "u undoes" tui_wait "undone: move"
tui_keys C-r
t_ok "Ctrl-R redoes" tui_wait "redone: move"
tui_keys q
tui_exit_is 0 >/dev/null
t_match "the move to the tray is saved" "$(moved)" "33333333 autonomie-frequence tray"

# Reopening shows everything where it was left.
tui_start 80 24 "$b"
t_ok "reopened, the moved card is in its new cell" tui_wait "║  Pressing.*║ ▸?Réception|Réception de colis sur  │"
tui_keys q

# --- mouse (xterm SGR reports, as a terminal sends them) ----------------------------
fresh
tui_start 80 24 "$b"
tui_mouse press 20 6
t_ok "a click selects" tui_wait "▸Pressing"
tui_mouse drag 30 12
tui_mouse drag 50 12
t_ok "a drag carries the card" tui_wait "│ ▶Pressing"
tui_mouse release 50 12
t_ok "a release drops it" tui_wait "moved to cell 2,1"
t_eq "the drop is in the file" "$(moved)" "> 44444444 autonomie-frequence 2,1 "
tui_mouse press 5 20
tui_mouse release 50 5
t_ok "drag from the tray to a cell" tui_wait "moved to cell 2,2"
tui_mouse press 50 6
tui_mouse release 30 20
t_ok "and back to the tray" tui_wait "moved to the tray"
tui_mouse press 30 0
t_ok "a click on a tab switches grid" tui_wait "▲ Présence physique"
tui_keys q

# --- paste ---------------------------------------------------------------------
fresh
tui_start 80 24 TAMIS_BY=Binôme "$b"
tui_keys a
tui_wait "New card" >/dev/null
tui_tmux set-buffer -- "$(printf 'Collé sur\ndeux lignes 東京')"
tui_tmux paste-buffer -p -t t
t_ok "a paste arrives whole, line breaks as spaces" tui_wait "Collé sur deux lignes 東京"
tui_keys Enter
tui_wait "Theme of the new card" >/dev/null
tui_keys Enter
t_ok "the pasted card is added" tui_wait "added to the tray"
# The board as every instance sees it while this one runs: file and journal.
t_match "with its text" "$("$TAMIS" list "$b" --format yaml)" "text: Collé sur deux lignes 東京"
tui_keys q

# --- resize --------------------------------------------------------------------
fresh
tui_start 80 24 "$b"
tui_resize 30 10
t_ok "below 40x12: terminal too small" tui_wait "terminal too small"
tui_resize 1 1
sleep 0.5
tui_resize 3 2
sleep 0.3
t_fail "1x1 does not crash it" tui_exited
tui_resize 40 12
t_ok "40x12 shows the board" tui_wait "▲ Fréquent"
tui_resize 100 30
t_ok "back to 100x30" tui_wait "Themes:"
t_eq "the grid fills the new size" "$(tui_capture | sed -n 2p | cut -c1-2)" "  "
t_eq "nothing changed in the file" "$(moved)" ""
tui_keys q
t_ok "it still quits cleanly" tui_exit_is 0

# --- colours -------------------------------------------------------------------
fresh
tui_start 80 24 "$b"
t_match "cards are drawn on their theme's colour" "$(tui_capture -e)" "48;5;157m|4[0-7]m"
tui_keys q
tui_start 80 24 NO_COLOR=1 "$b"
scr=$(tui_capture -e)
t_nomatch "NO_COLOR: no colour at all" "$scr" "\[(3[0-7]|4[0-7]|38;5;[0-9]+|48;5;[0-9]+)m"
t_match "NO_COLOR: letter badges tell themes apart" "$(tui_capture)" "▸M Réception"
t_match "NO_COLOR: the easy zone is still marked" "$(tui_capture)" "★ easiest to launch"
tui_keys q

# --- untrusted text ------------------------------------------------------------
cp "$TUI_DATA/hostile.yaml" "$T/h.yaml"
before=$(tui_tmux display-message -p '#{pane_title}' 2>/dev/null)
tui_start 80 24 "$T/h.yaml"
tui_keys i
tui_wait "Card details" >/dev/null
scr=$(tui_capture)
t_match "escape sequences in a card are shown, not obeyed" "$scr" '\\e\]0;pwned\\a\\e\[2J'
t_match "the screen was not cleared by the card" "$scr" "1 a × b"
t_nomatch "the window title is untouched" "$(tui_tmux display-message -p -t t '#{pane_title}')" "pwned"
tui_keys Escape q

# --- never lose work -----------------------------------------------------------
fresh
tui_start 80 24 "$b"
tui_keys Enter Right Enter
tui_wait "moved to" >/dev/null
kill -TERM "$(tui_pid)"
t_ok "SIGTERM quits cleanly" tui_exit_is 0
t_eq "the terminal is restored after SIGTERM" "$(tui_tmux display-message -p -t t '#{alternate_on}')" 0
t_eq "and nothing is lost" "$(moved)" "> 11111111 autonomie-frequence 2,2 "

fresh
tui_start 80 24 "$b"
tui_keys Enter Right Enter
tui_wait "moved to" >/dev/null
tui_keys C-c
t_ok "Ctrl-C quits cleanly" tui_exit_is 0
t_eq "keeping the move" "$(moved)" "> 11111111 autonomie-frequence 2,2 "

fresh
tui_start 80 24 "$b"
tui_keys Enter Right Enter
tui_wait "moved to" >/dev/null
kill -HUP "$(tui_pid)"
t_ok "SIGHUP (terminal closed) quits cleanly" tui_exit_is 0
t_eq "keeping the move" "$(moved)" "> 11111111 autonomie-frequence 2,2 "

# A save that fails (the directory was removed) shows, keeps the change in
# memory, and once the directory is back (tried at the next change and every
# second) the board is written back from the screen with every change.
mkdir "$T/d" && cp "$TUI_DATA/atelier.yaml" "$T/d/b.yaml"
tui_start 100 30 "$T/d/b.yaml"
rm -rf "$T/d"
tui_keys Enter Right Enter
t_ok "a failed save is said in the status bar" tui_wait "NOT SAVED"
mkdir "$T/d"
tui_keys j Enter Up Enter
t_ok "the next change saves again" tui_wait "saved 11:00:00"
b=$T/d/b.yaml
t_match "with both changes" "$(moved)" "11111111 autonomie-frequence 2,2.*33333333 autonomie-frequence 2,2|11111111 autonomie-frequence 2,2"
tui_keys q

# --- terminals that cannot do it ---------------------------------------------
tui_start 80 24 TERM=dumb "$b" >/dev/null
t_ok "TERM=dumb: a non-zero exit" tui_exit_is 69
t_match "with a clear message" "$(cat "$T/tui.err")" "terminal 'dumb' cannot place the cursor"
t_eq "and the screen untouched" "$(tui_capture | grep -v 'Pane is dead' | tr -d ' \n')" ""
tui_start 80 24 TERM=no-such-terminal "$b" >/dev/null
t_ok "an unknown TERM: a non-zero exit" tui_exit_is 69
t_match "with a clear message" "$(cat "$T/tui.err")" "unknown terminal type 'no-such-terminal'"
t_exit "not a terminal: usage error" 64 sh -c "'$TAMIS' '$b' </dev/null >/dev/null"
