# Hostile text in the CLI's output to a terminal and in the Markdown report:
# the board of tests/tui/data/hostile-text.yaml (escape sequences for the
# window title, the clipboard and clearing the screen, C0 and C1 controls,
# bidi overrides and isolates, zero-width and combining characters), a file
# name and arguments holding escape sequences. Every command runs with its
# stdout on a terminal (script(1)); no control character (but the line
# breaks), no bidi control and no zero-width format character may come out
# raw, on stdout or stderr, and the escapes must show as text.
. "$TAMIS_TOP/tests/lib.sh"
export TAMIS_TIME_NOW=2019-06-28T12:00:00Z TZ=UTC

esc=$(printf '\033')
bel=$(printf '\007')
# A file name that is itself an escape sequence (the window title).
b="$T/h$esc]0;file-pwned$bel.yaml"
cp "$TAMIS_TOP/tests/tui/data/hostile-text.yaml" "$b"
qb=$(printf '%s' "$b" | sed "s/'/'\\\\''/g")

# Raw bytes a terminal would obey or mis-draw: C0 but CR and LF, DEL, C1 (as
# UTF-8), bidi controls, zero-width format characters.
RAW='[\x00-\x09\x0b\x0c\x0e-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\x8b-\x8f\xaa-\xae]|\xe2\x81[\xa0-\xa4\xa6-\xa9]|\xef\xbb\xbf|\xd8\x9c'
# YAML (list --format yaml) is meant to be read back: libyaml escapes every
# control and bidi character, and leaves the harmless zero-width ones.
# TSV: the tab is the separator.
RAW_TSV='[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\x8b-\x8f\xaa-\xae]|\xe2\x81[\xa0-\xa4\xa6-\xa9]|\xef\xbb\xbf|\xd8\x9c'
RAW_YAML='[\x00-\x09\x0b\x0c\x0e-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]'
ncmd=0

# Runs "tamis ARGS" (a string for sh) with stdout and stderr on a terminal;
# its output (both) in $out, its exit status in $rc.
on_tty() {
	script -qefc "$TAMIS $1; echo \"rc=\$?\"" /dev/null </dev/null >"$T/out" 2>&1
	rc=$(tr -d '\r' <"$T/out" | sed -n 's/^rc=//p' | tail -1)
	out=$(tr -d '\r' <"$T/out" | grep -v '^rc=')
	ncmd=$((ncmd + 1))
}
# Checks the last output: no raw byte of the RE, and the escapes as text.
raw_free() { # WHAT [RE]
	n=$(grep -v '^rc=' "$T/out" | LC_ALL=C grep -caP "${2:-$RAW}")
	if [ "$n" -eq 0 ]; then
		t_pass "$1: nothing raw reaches the terminal"
	else
		t_failed "$1: nothing raw reaches the terminal" \
			"$(LC_ALL=C grep -aP "${2:-$RAW}" "$T/out" | cat -v | head -5)"
	fi
}

on_tty "list '$qb'"
raw_free "list"
t_eq "list: status 0" "$rc" 0
t_match "list: the card's OSC 0, OSC 52, CSI and override as text" "$out" \
	'Danger \\e\]0;pwned\\a\\e\]52;c;cHduZWQ=\\a\\e\[2J\\e\[H\\u\{202E\}evil\\u\{202C\} end'
t_match "list: C0 and C1 controls as text" "$out" \
	'C0 \\x01\\x02\\b\\x0B\\x0C\\x7F and C1 \\x85\\x9B31m\\x9D0;c1-pwned\\x9C tab\\there bell \\a'
t_match "list: zero-width characters and bidi isolates as text" "$out" \
	'Z\\u\{200B\}ero\\u\{200C\}\\u\{200D\}\\u\{2060\}\\u\{FEFF\}width.*\\u\{2067\}rtl\\u\{2069\}'
t_match "list: combining marks kept on their letter" "$out" "Zalgo e$(printf '\314\201\314\210\314\243\314\260')"

on_tty "list '$qb' --format tsv"
raw_free "list --format tsv" "$RAW_TSV"
t_match "list --format tsv: escapes as text" "$out" 'Danger \\e\]0;pwned\\a'

on_tty "list '$qb' --format yaml"
raw_free "list --format yaml" "$RAW_YAML"
t_match "list --format yaml: YAML escapes" "$out" 'text: "Danger \\e\]0;pwned\\a\\e\]52;c;cHduZWQ=\\a\\e\[2J\\e\[H\\u202Eevil\\u202C end"'

for id in 7777 8888 9999; do
	on_tty "show '$qb' $id"
	raw_free "show $id"
	t_eq "show $id: status 0" "$rc" 0
done
on_tty "show '$qb' 7777"
t_match "show: the note's OSC 2 as text" "$out" 'note \\e\]2;note-pwned\\a\\nsecond \| line'

for f in text tsv; do
	on_tty "sieve '$qb' --format $f"
	[ "$f" = tsv ] && raw_free "sieve --format $f" "$RAW_TSV"
	[ "$f" = text ] && raw_free "sieve --format $f"
	t_match "sieve --format $f: escapes as text" "$out" 'Danger \\e\]0;pwned\\a'
done

for f in md csv; do
	on_tty "report '$qb' --format $f"
	raw_free "report --format $f to a terminal"
	t_match "report --format $f: escapes as text" "$out" 'Danger \\+e\\?\]0;pwned'
done

on_tty "check '$qb'"
raw_free "check"
t_eq "check: the hostile board is valid" "$rc" 0

# Arguments and file names quoted back in messages.
on_tty "show '$qb' 'ab$esc]0;arg-pwned${bel}cd'"
raw_free "show with a hostile card id"
t_match "show with a hostile card id: refused, quoted as text" "$out" '\\e\]0;arg-pwned\\a'
on_tty "move '$qb' 7777 --grid '$esc]2;grid-pwned$bel' --cell 1,1"
raw_free "move to a hostile grid id"
t_match "move to a hostile grid id: refused, quoted as text" "$out" '\\e\]2;grid-pwned\\a'
t_eq "move to a hostile grid id: status 64" "$rc" 64
on_tty "'$esc]0;cmd-pwned$bel' '$qb'"
raw_free "a hostile command name"
on_tty "list '$T/no$esc]0;missing-pwned$bel.yaml'"
raw_free "a missing hostile file name"
t_match "a missing hostile file name: quoted as text" "$out" "no\\\\e\\]0;missing-pwned\\\\a.yaml"

on_tty "add '$qb' 'New $esc]0;add-pwned$bel card' --by 'Bin$(printf '\303\264')me'"
raw_free "add"
t_eq "add: accepted" "$rc" 0
on_tty "add '$qb' 'x' --by 'by$esc]0;by-pwned$bel'"
raw_free "add with a hostile --by"
t_eq "add with a hostile --by: refused" "$rc" 64

printf 'Idea \033]0;import-pwned\007 one\nIdea \302\233""31m two\n' >"$T/ideas$esc.txt"
on_tty "import '$qb' '$T/ideas$esc.txt'"
raw_free "import (file name and ideas with escapes)"
t_eq "import: accepted" "$rc" 0

on_tty "deal '$qb' --pairs 'A,B$esc]0;pair-pwned$bel'"
raw_free "deal with a hostile pair"

cp "$b" "$T/other.yaml"
on_tty "merge '$T/m$esc]0;merge-pwned$bel.yaml' '$qb' '$T/other.yaml'"
raw_free "merge (hostile file names)"
t_eq "merge: status 0" "$rc" 0
t_match "merge: the file names quoted as text" "$out" 'm\\e\]0;merge-pwned\\a\.yaml'

on_tty "compact '$qb'"
raw_free "compact"

# --- the Markdown report, written to a file ------------------------------------
"$TAMIS" report "$b" -o "$T/r.md"
t_eq "report -o: no control byte in the file (but line breaks)" \
	"$(LC_ALL=C grep -caP "$RAW" "$T/r.md")" 0
rep=$(cat "$T/r.md")
t_match "report: escapes shown as text, backslashes escaped for Markdown" "$rep" \
	'Danger \\\\e\\\]0;pwned\\\\a\\\\e\\\]52;c;cHduZWQ=\\\\a\\\\e\\\[2J'
t_match "report: Markdown punctuation escaped" "$rep" \
	'\\\| pipe \\\*star\\\* \\_u\\_ \\\[l\\\]\(javascript:x\) \\<b\\>'
t_match "report: a note's line break and | inside a table cell escaped" "$rep" \
	'note \\\\e\\\]2;note-pwned\\\\a second \\\| line'
t_nomatch "report: no raw HTML from a card" "$rep" '<b>'
t_match "report: zero-width characters as text" "$rep" 'Z\\\\u\\\{200B\\\}ero'
# A | in a card ends a table cell unless escaped: every row of a table has
# as many unescaped | as its header.
t_eq "report: every table row has its header's columns (no | from a card)" "$(python3 - "$T/r.md" <<'PY'
import re, sys
bad, head = [], None
for n, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    if not line.startswith("|"):
        head = None
        continue
    cols = len(re.findall(r"(?<!\\)\|", line))
    if head is None:
        head = cols
    elif cols != head:
        bad.append("line %d: %d columns, the header has %d" % (n, cols, head))
print("\n".join(bad) or "ok")
PY
)" ok
echo "# $ncmd commands run with their output on a terminal"
