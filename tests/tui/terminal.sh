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

# --- mouse in a 300-column terminal ------------------------------------------------
# Past column 223, which X10 reports cannot say: tamis asks for SGR reports
# (mode 1006) and reads them itself, whatever terminfo's kmous says
# (tmux-256color's is X10's). A cell of 100 cards, the last ones far right.
wide=$T/wide.yaml
python3 - "$TUI_DATA/atelier.yaml" >"$wide" <<'PY'
import sys
out = [open(sys.argv[1]).read()]
for i in range(1, 101):
    out.append("""  - id: c%07d-0000-4000-8000-000000000000
    text: Carte %d
    theme: sante
    by: Binôme 6
    created: 2019-06-28T11:00:00Z
    decision: undecided
    place:
      autonomie-frequence: [2, 2]
""" % (i, i))
sys.stdout.write("".join(out))
PY
for term in xterm-256color tmux-256color; do
	cp "$wide" "$b"
	tui_places "$b" >"$T/places.before"
	tui_start 300 24 TERM=$term "$b"
	tui_wait "Carte 13 " >/dev/null
	t_eq "TERM=$term, 300 columns: a card is drawn past column 223" \
		"$(tui_capture | sed -n 4p | python3 -c 'import sys; l = sys.stdin.read(); print(l.index("Carte 13") > 223)')" True
	tui_mouse press 262 3
	tui_mouse release 262 3
	t_ok "TERM=$term, 300 columns: a click at column 262 selects the card there" tui_wait "▸Carte 13 "
	tui_mouse press 262 3
	tui_mouse drag 250 14
	tui_mouse drag 262 14
	t_ok "TERM=$term, 300 columns: dragging it carries it along" tui_wait "▶Carte 13 +◀"
	tui_mouse release 262 14
	t_ok "TERM=$term, 300 columns: dropping it moves it to the cell below" tui_wait "moved to cell 2,1"
	t_eq "TERM=$term, 300 columns: that move is in the file" "$(moved)" "> c0000013 autonomie-frequence 2,1 "
	t_match "TERM=$term, 300 columns: the top cell shows it holds more than fit" "$(tui_capture)" "\\+[0-9]+ ▼"
	tui_mouse wheel-down 262 5
	t_ok "TERM=$term, 300 columns: the wheel scrolls the cell down" tui_wait "▲ 7 ─┐"
	t_nomatch "TERM=$term, 300 columns: its first row is scrolled out" "$(tui_capture)" "Carte 1 "
	tui_mouse wheel-up 262 5
	t_ok "TERM=$term, 300 columns: and back up" tui_wait "交… +Carte 1 "
	t_eq "TERM=$term, 300 columns: tamis asked for SGR reports" \
		"$(tui_tmux display-message -p -t t '#{mouse_sgr_flag}#{mouse_button_flag}')" 11
	# A terminal that does not know 1006 sends X10 reports: read too, up to
	# column 222 (bytes past 127): press and release at Carte 10, column 207.
	tui_tmux send-keys -t t -H 1b 5b 4d 20 $(printf '%x %x' $((207 + 33)) $((3 + 33))) \
		1b 5b 4d 23 $(printf '%x %x' $((207 + 33)) $((3 + 33)))
	t_ok "TERM=$term, 300 columns: an X10 click at column 207 selects too" tui_wait "▸Carte 10 "
	tui_keys q
	t_ok "TERM=$term, 300 columns: q quits with status 0" tui_exit_is 0
	t_eq "TERM=$term, 300 columns: no mouse mode left on in the terminal" \
		"$(tui_tmux display-message -p -t t '#{mouse_any_flag}#{mouse_button_flag}#{mouse_sgr_flag}')" 000
done

# --- keys of one's own -------------------------------------------------------------
# A key file's keys replace the defaults (F2 opens the help, ? no longer does).
fresh
mkdir -p "$XDG_CONFIG_HOME/tamis"
printf 'help F2\nquit Ctrl-X\n' >"$XDG_CONFIG_HOME/tamis/keys"
tui_start 160 30 "$b"
t_ok "the key file's keys are in the hints" tui_wait "F2 all keys  Ctrl-X quit"
tui_keys '?'
sleep 0.3
t_nomatch "? no longer opens the help" "$(tui_capture)" "─ Keys ─"
tui_keys F2
t_ok "F2, as the terminal sends it, opens it" tui_wait "─ Keys ─"
tui_keys Escape q
sleep 0.3
t_ok "q no longer quits" tui_wait "F2 all keys"
tui_keys C-x
t_ok "Ctrl-X quits, exit status 0" tui_exit_is 0
# A bad key file: one line naming the file, line and column, status 78
# (EX_CONFIG), and the terminal never taken over.
printf '# mes touches\nhelp F2\n  dcide d\n' >"$XDG_CONFIG_HOME/tamis/keys"
tui_start 100 30 "$b" >/dev/null
t_ok "a bad key file: exit status 78" tui_exit_is 78
t_eq "it says where and what, in one line" "$(cat "$T/tui.err")" \
	"tamis: $XDG_CONFIG_HOME/tamis/keys:3:3: unknown action 'dcide' (did you mean 'decide'?)"
t_eq "the terminal was never switched to the board's screen" \
	"$(tui_tmux display-message -p -t t '#{alternate_on}')" 0
printf 'decide d\n' >"$XDG_CONFIG_HOME/tamis/keys"
tui_start 100 30 "$b" >/dev/null
t_ok "a key still another action's: exit status 78" tui_exit_is 78
t_eq "it names both actions" "$(cat "$T/tui.err")" \
	"tamis: $XDG_CONFIG_HOME/tamis/keys:1:8: key 'd' is still the key of 'next-debated': give 'next-debated' another key in this file too"
rm "$XDG_CONFIG_HOME/tamis/keys"

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
# The UI may write its presence beside the board while the directory goes.
while [ -d "$T/d" ]; do rm -rf "$T/d" 2>/dev/null; done
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
