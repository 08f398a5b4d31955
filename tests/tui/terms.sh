# Terminal types: the board in tmux with TERM set to each of the usual
# values. Each one is usable (the board is drawn, a move works and is saved,
# q quits and restores the screen) or refused before the screen is touched,
# with one clear line and a non-zero status; never a garbled screen or a
# crash. (tmux understands what every one of these types sends.)
. "$TAMIS_TOP/tests/lib.sh"
TUI_SOURCED=1 . "$TAMIS_TOP/tests/tui/tuilib.sh"

b=$T/atelier.yaml
fresh() { cp "$TUI_DATA/atelier.yaml" "$b"; tui_places "$b" >"$T/places.before"; }
moved() { tui_places "$b" | diff "$T/places.before" - | grep '^>' | tr '\n' ' '; }
# Anything but text, spaces and the box drawing of the board: a sign that
# escape sequences were shown instead of obeyed.
garbage() { tui_capture | grep -E '\^\[|\[\?[0-9]|\[[0-9;]*[A-Za-z]|;[0-9]+[Hm]' | head -3; }

# --- usable terminals --------------------------------------------------------
# TERM  colours (what terminfo says)
for spec in vt100:mono linux:8 screen:8 xterm-256color:256 tmux-256color:256; do
	term=${spec%%:*}
	colours=${spec#*:}
	fresh
	# NCURSES_GPM_TERMS empty: for TERM=linux, ncurses would load libgpm
	# for the console's mouse, meaningless in tmux, and libgpm keeps 10
	# bytes it never frees (seen by valgrind and LeakSanitizer).
	if ! tui_start 80 24 TERM="$term" NCURSES_GPM_TERMS= "$b"; then
		t_failed "TERM=$term: the board is drawn" "$(cat "$T/tui.err")"
		tui_tmux kill-session -t t 2>/dev/null
		continue
	fi
	tui_wait "Tray: 2 not placed" 10 >/dev/null
	scr=$(tui_capture)
	flat=$(printf '%s' "$scr" | tr '\n' '~')
	t_match "TERM=$term: the grid, poles and cards are drawn" "$flat" \
		"▲ Fréquent.*◀ Autonomie.*▼ Exceptionnel"
	t_match "TERM=$term: the cards are in their cells" "$flat" "║ ▸.?.?Réception de colis .*交流会"
	t_match "TERM=$term: the tray, legend and status bar too" "$flat" \
		"Tray: 2 not placed.*Themes:.*Atelier du jeudi .*4 placed · 2 tray · 2 easy"
	t_eq "TERM=$term: no escape sequence shown as text" "$(garbage)" ""
	t_eq "TERM=$term: every line fits the screen" "$(tui_capture >"$T/scr"; tui_widths_ok "$T/scr" 80)" ok
	esc=$(tui_capture -e)
	if [ "$colours" = mono ]; then
		t_nomatch "TERM=$term: no colour asked of a terminal without colours" "$esc" \
			"\[(3[0-7]|4[0-7]|38;5;[0-9]+|48;5;[0-9]+)m"
		t_match "TERM=$term: letter badges tell the themes apart" "$scr" "▸M Réception"
	else
		t_match "TERM=$term: cards on their theme's colour ($colours colours)" "$esc" \
			"48;5;157m|4[0-7]m"
		t_nomatch "TERM=$term: no letter badges when there are colours" "$scr" "▸M Réception"
	fi
	tui_keys Enter
	t_ok "TERM=$term: Enter picks the card up" tui_wait "▶.?.?Réception" 10
	tui_keys Right
	tui_keys Enter
	t_ok "TERM=$term: a move is shown" tui_wait "moved to cell 2,2" 10
	tui_keys q
	t_ok "TERM=$term: q quits with status 0" tui_exit_is 0
	t_eq "TERM=$term: nothing on stderr" "$(cat "$T/tui.err")" ""
	t_eq "TERM=$term: the move is saved" "$(moved)" "> 11111111 autonomie-frequence 2,2 "
	t_ok "TERM=$term: the board file is valid" "$TAMIS" check "$b"
	t_eq "TERM=$term: the terminal is back to its normal screen" \
		"$(tui_tmux display-message -p -t t '#{alternate_on}')" 0
done

# --- terminals tamis refuses ---------------------------------------------------
# TERM  what the one line says
fresh
for spec in "dumb:terminal 'dumb' cannot place the cursor" \
	"nosuchterm:unknown terminal type 'nosuchterm'" \
	":TERM is not set"; do
	term=${spec%%:*}
	want=${spec#*:}
	name=${term:-unset}
	if [ -n "$term" ]; then
		tui_start 80 24 TERM="$term" "$b" >/dev/null
	else
		tui_start 80 24 TERM= "$b" >/dev/null
	fi
	t_ok "TERM=$name: exits with status 69" tui_exit_is 69
	err=$(cat "$T/tui.err")
	t_match "TERM=$name: says why in one line" "$err" "^tamis: $want"
	t_eq "TERM=$name: one line only" "$(printf '%s\n' "$err" | wc -l)" 1
	t_eq "TERM=$name: the screen is untouched" \
		"$(tui_capture | grep -v 'Pane is dead' | tr -d ' \n')" ""
	t_eq "TERM=$name: still in the normal screen" \
		"$(tui_tmux display-message -p -t t '#{alternate_on}')" 0
done
# A TERM holding an escape sequence is quoted back as text.
tui_start 80 24 "TERM=x$(printf '\033')]0;term-pwned$(printf '\007')" "$b" >/dev/null
t_ok "a hostile TERM: exits with status 69" tui_exit_is 69
t_match "a hostile TERM: quoted as text" "$(cat "$T/tui.err")" '^tamis: unknown terminal type .x\\e\]0;term-pwned\\a.'
t_eq "a hostile TERM: no raw control byte" "$(LC_ALL=C grep -caP '[\x00-\x09\x0b-\x1f\x7f]' "$T/tui.err")" 0
t_ok "the board is unchanged by the refusals" cmp "$b" "$TUI_DATA/atelier.yaml"
