# Hostile text in a real terminal: cards, notes, rationales, the title and
# labels holding escape sequences (window title, OSC 52 clipboard, clear
# screen), C0 and C1 controls, bidi overrides, zero-width and combining
# characters (tests/tui/data/hostile-text.yaml), shown in every view of the
# board in tmux. Nothing may reach the terminal raw: the escapes show as
# text, the pane's title and tmux's clipboard stay as they were, the screen
# is neither cleared nor shifted, and the lines stand straight.
. "$TAMIS_TOP/tests/lib.sh"
TUI_SOURCED=1 . "$TAMIS_TOP/tests/tui/tuilib.sh"

b=$T/h.yaml
cp "$TUI_DATA/hostile-text.yaml" "$b"

# What the terminal would have obeyed: its title and its clipboard.
tui_start 100 30 TAMIS_BY=Binôme --facilitator "$b"
tui_tmux set-option -g set-clipboard on
tui_tmux select-pane -t t -T before
title() { tui_tmux display-message -p -t t '#{pane_title}'; }
untouched() { # WHERE [TITLE]: the title and the clipboard are as they were
	t_eq "$1: the pane's title is untouched" "$(title)" "${2:-before}"
	t_eq "$1: nothing reached the clipboard (OSC 52)" "$(tui_tmux list-buffers 2>&1 | grep -v 'no buffers')" ""
}
# The screen holds no control character and its lines stand straight (or,
# with a popup over the grid, at least fit the screen).
clean() { # WHERE [popup]
	tui_capture >"$T/scr"
	t_eq "$1: no control character on the screen" \
		"$(LC_ALL=C grep -caP '[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]' "$T/scr")" 0
	if [ "${2:-}" = popup ]; then
		t_eq "$1: every line fits the screen" "$(tui_widths_ok "$T/scr" 100 | grep 'columns wide')" ""
	else
		t_eq "$1: every line fits and the grid lines stand straight" \
			"$(tui_widths_ok "$T/scr" 100)$(printf '\n%s' "" "$(cat "$T/scr")")" "ok$(printf '\n%s' "" "$(cat "$T/scr")")"
	fi
}

tui_keys Escape
tui_wait "Tray: 1 not placed" >/dev/null
scr=$(tui_capture)
t_match "the board: the card's escapes are shown as text" "$scr" '║  \\e\]0;pwned +║'
t_match "the board: ... cut by display columns" "$scr" '║  \\a\\e\]52;c;… +║'
t_match "the board: C0 controls are shown as text" "$scr" '│  \\x01\\x02\\b +│'
t_match "the board: the tabs are still on the first line (no clear screen)" \
	"$(tui_capture | sed -n 1p)" "^ 1 a × b$"
t_match "the board: zero-width characters shown as escapes (title)" "$scr" '^ Ti\\u\{200B\}tle .*שלום +│ 1/1 │'
t_match "the board: ... and in the legend (a ZWJ shifts the line in tmux)" "$scr" 'T  Th\\u\{200D\}eme '
t_match "the board: combining marks stay on their letter" "$scr" "◀ low e$(printf '\314\201') ║"
clean "the board"
untouched "the board"

tui_keys i
t_ok "details: open" tui_wait "Card details"
scr=$(tui_capture)
t_match "details: OSC 0, OSC 52, CSI 2J and a bidi override shown as text" "$scr" \
	'\\e\]0;pwned\\a\\e\]52;c;cHduZWQ=\\a\\e\[2J\\e\[H\\u\{202E\}evil\\u\{202C\} end'
t_match "details: the note's OSC 2 as text" "$scr" 'note \\e\]2;note-pwned\\a'
t_match "details: the rationale's escapes as text" "$scr" 'why \\e\]0;why-pwned\\a\\u\{202E\}yhw'
clean "details" popup
untouched "details"
tui_keys Right
t_ok "details of the C0/C1 card" tui_wait 'C1 \\x85\\x9B31m\\x9D0;c1-pwned\\x9C'
clean "details of the C0/C1 card" popup
untouched "details of the C0/C1 card"
tui_keys Escape

tui_keys e
t_ok "the editor opens on the card's text, escapes shown" \
	tui_wait '│ \\x0B\\x0C\\x7F and C1 \\x85\\x9B31m\\x9D0;c1-pwned\\x9C tab\\there bell \\a  │'
clean "the editor" popup
untouched "the editor"
tui_keys Escape

tui_keys s
t_ok "the sieve view opens" tui_wait "Sieve: 3 of 3 cards"
scr=$(tui_capture)
t_match "the sieve: the escapes shown as text" "$scr" 'Danger \\e\]0;pwned'
t_match "the sieve: zero-width characters as escapes" "$scr" 'Z\\u\{200B\}ero\\u\{200C\}\\u\{200D\}'
clean "the sieve"
untouched "the sieve"
tui_keys Escape

# A paste holding escape sequences adds a card without them.
tui_keys a
tui_wait "New card" >/dev/null
tui_tmux set-buffer -b p -- "$(printf 'Pasted \033]0;paste-pwned\007 \033[2J\302\23331m end')"
tui_tmux paste-buffer -d -p -b p -t t
tui_keys Enter
tui_wait "Theme of the new card" >/dev/null
tui_keys Enter
t_ok "a pasted card is added" tui_wait "added to the tray"
t_match "without the pasted controls" "$("$TAMIS" list "$b" --format tsv)" \
	"$(printf 'Pasted \\]0;paste-pwned \\[2J31m end')"
clean "after the paste"
untouched "after the paste"

# The report the facilitator writes from the board.
tui_keys R
t_ok "R writes the report" tui_wait "report written"
rep=$T/h-report-2019-06-28-1100.md
t_ok "the report is beside the board" test -s "$rep"
t_eq "the report holds no control byte (but line breaks)" \
	"$(LC_ALL=C grep -caP '[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]' "$rep")" 0
t_match "the report shows the escapes as text" "$(cat "$rep")" 'Danger \\\\e\\\]0;pwned\\\\a'

tui_keys q
t_ok "q quits with status 0" tui_exit_is 0
t_eq "the terminal is back to its normal screen" \
	"$(tui_tmux display-message -p -t t '#{alternate_on}')" 0
# Entering the alternate screen pushed the title it had then (the host
# name, before it was set above), leaving it popped that one back.
untouched "after quitting" "$(tui_tmux display-message -p '#{host}')"
t_ok "the board is still valid" "$TAMIS" check "$b"
t_eq "its hostile text is kept as it was" \
	"$(grep -c 'Danger \\e\]0;pwned\\a\\e\]52;c;cHduZWQ=\\a\\e\[2J\\e\[H\\u202Eevil\\u202C end' "$b")" 1
