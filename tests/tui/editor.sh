# The text editor takes what the board file takes (issue 14, "nothing
# acknowledged is ever lost"): it once cut every text to 4,000 characters
# silently, so that appending one character to a 10,010-character card saved
# 4,000 of them. Now the limit is the format's, 65,536 bytes of UTF-8; at it,
# typing is refused with a message, and a paste that would go past it is
# refused whole (nothing of it inserted). Headless, then a real paste in tmux.
. "$TAMIS_TOP/tests/lib.sh"
TUI_SOURCED=1 . "$TAMIS_TOP/tests/tui/tuilib.sh"

b=$T/e.yaml
# fresh PYTHON-EXPR: a board whose only card (selected at start) has that text.
fresh() {
	rm -f "$b" "$T"/.e.yaml.*
	"$TAMIS" new "$b" >/dev/null
	"$TAMIS" add "$b" "$(python3 -c "import sys; sys.stdout.write($1)")" >/dev/null
}
text() { "$TAMIS" list "$b" --format yaml | python3 -c "
import sys, yaml
t = yaml.safe_load(sys.stdin)['cards'][0]['text']
print(len(t), len(t.encode()), $1)"; }
screen() { sed -n "$((($2 - 1) * 24 + 1)),$(($2 * 24))p" "$1"; }
hints() { screen "$1" "$2" | sed -n 24p; }

# --- 10,010 characters, one more --------------------------------------------------
fresh '"a" * 10000 + "éèàùçÉ東京😀z"'
t_eq "the card holds 10,010 characters" "$(text 't[-4:]')" "10010 10023 東京😀z"
tui_script "$b" 80x24 <<'EOF' >"$T/long.txt"
e<End>x<Enter>
:dump
EOF
t_match "appending one character changes the text" "$(hints "$T/long.txt" 1)" "^text changed"
t_eq "all 10,011 characters are saved, the new one last" "$(text 't[-5:]')" "10011 10024 東京😀zx"

# --- at the format's limit, typing is refused --------------------------------------
fresh '"a" * 65535 + "b"'
t_eq "the card holds 65,536 bytes" "$(text 't[-1]')" "65536 65536 b"
tui_script "$b" 80x24 <<'EOF' >"$T/full.txt"
e<End>x
:dump
<BS>é
:dump
c
:dump
<Enter>
EOF
t_match "a character typed at the limit is refused, with a message" "$(hints "$T/full.txt" 1)" \
	"^the text is full: 65536 bytes at most"
t_match "a 2-byte character into 1 byte left is refused too" "$(hints "$T/full.txt" 2)" \
	"^the text is full: 65536 bytes at most"
t_nomatch "a 1-byte character fits" "$(hints "$T/full.txt" 3)" "the text is full"
t_eq "the text saved is the 65,536 bytes typed, the last one replaced" "$(text 't[-2:]')" \
	"65536 65536 ac"

# --- a paste that would go past the limit is refused whole -------------------------
fresh '"a" * 65000'
long=$(python3 -c 'print("y" * 300 + "é" * 150)')   # 600 bytes: 64 too many
fits=$(python3 -c 'print("z" * 436 + "é" * 50)')     # 536 bytes: exactly what is left
cat >"$T/paste.script" <<EOF
e<End>
:paste $long
:dump
:paste $fits
:dump
<Enter>
:dump
EOF
tui_script "$b" 80x24 <"$T/paste.script" >"$T/paste.txt"
t_match "a paste past the limit is refused, with a message" "$(hints "$T/paste.txt" 1)" \
	"^paste refused: the text would pass 65536 bytes \(nothing pasted\)"
t_nomatch "a paste that fits exactly is taken" "$(hints "$T/paste.txt" 2)" "refused"
t_match "and saved" "$(hints "$T/paste.txt" 3)" "^text changed"
t_eq "nothing of the refused paste is in the text, all of the other is" \
	"$(text '"y" in t, t.count("z"), t.count("é")')" "65486 65536 False 436 50"

# --- in tmux: a real bracketed paste ------------------------------------------------
fresh '"a" * 65000'
tui_start 80 24 "$b"
tui_keys e # the cursor starts at the end of the text
tui_wait "Edit card" >/dev/null
tui_tmux set-buffer -b big -- "$(python3 -c 'print("q" * 1000)')"
tui_tmux paste-buffer -d -p -b big -t t
t_ok "tmux: the paste is refused whole, with a message" \
	tui_wait "paste refused: the text would pass 65536 bytes"
tui_type "w"
tui_keys Enter
t_ok "tmux: typing goes on after it" tui_wait "text changed"
tui_keys q
t_ok "tmux: quits" tui_exit_is 0
t_eq "tmux: the text has what was typed, nothing of the paste" \
	"$(text '"q" in t, t[-2:]')" "65001 65001 False aw"
