# CLI tests: a text typed composed (NFC, 'é' one code point: Linux, Windows)
# and the same pasted decomposed (NFD, 'e' and a combining accent: a Mac's
# clipboard) is one idea to import, add and merge, whatever its case; the
# board keeps every text as it was typed.
. "$TAMIS_TOP/tests/lib.sh"
export TAMIS_TIME_NOW=2019-06-28T10:12:00Z

nfc='Café numérique'
nfd=$(printf 'Cafe\314\201 nume\314\201rique')   # e + U+0301
caps=$(printf 'CAFE\314\201  NUME\314\201RIQUE')

# --- import -------------------------------------------------------------------
b=$T/b.yaml
$TAMIS new "$b" >/dev/null
printf '%s\n%s\n' "$nfc" "$nfd" >"$T/ideas.txt"
out=$($TAMIS import "$b" "$T/ideas.txt" 2>&1)
t_match "import: NFC then NFD is one card" "$out" "^added 1 card, skipped 1$"
t_match "import: the NFD line is named as the same text" "$out" \
	"ideas.txt:2: same text as line 1 \('$nfd'\)"
t_eq "import: the board has one card" "$($TAMIS list "$b" --format tsv | tail -n +2 | wc -l)" "1"
printf '%s\n' "$caps" >"$T/more.txt"
t_match "import: NFD in capitals is already on the board" \
	"$($TAMIS import "$b" "$T/more.txt" 2>&1)" "more.txt:1: already on the board"

# --- add ----------------------------------------------------------------------
id=$($TAMIS list "$b" --format tsv | awk -F '\t' 'NR == 2 { print substr($1, 1, 8) }')
out=$($TAMIS add "$b" "$nfd" 2>&1); rc=$?
t_eq "add: the same text in NFD is refused (65)" "$rc" "65"
t_eq "add: the message names the card and offers --force" "$out" \
"tamis: 'Café numérique' is already on the board: card $id (theme Mobilité)
tamis: nothing added; to add a second card with this text all the same, run the command again with --force"
t_eq "add: nothing was added" "$($TAMIS list "$b" --format tsv | tail -n +2 | wc -l)" "1"
t_exit "add: in capitals and spaced out, refused too" 65 $TAMIS add "$b" "  café   NUMÉRIQUE "
t_ok "add: an accent less is another idea" $TAMIS add "$b" "Cafe numerique"
id2=$($TAMIS add "$b" "$nfd" --force)
t_match "add --force adds the second card" "$id2" "^[0-9a-f]{8}$"
t_match "add --force keeps the text as typed (NFD) in the file" "$(cat "$b")" \
	"text: $nfd\$"
t_match "the NFC text stays NFC in the file" "$(cat "$b")" "text: $nfc\$"
out=$(LC_ALL=fr_FR.UTF-8 $TAMIS add "$b" "$nfc" 2>&1)
t_match "add: the refusal in French" "$out" "^tamis: «.Café numérique.» est déjà sur le tableau"

# --- merge --------------------------------------------------------------------
a=$T/a.yaml c=$T/c.yaml
$TAMIS new "$a" >/dev/null
$TAMIS new "$c" >/dev/null
ida=$($TAMIS add "$a" "$nfc")
$TAMIS add "$a" "Navette" >/dev/null
idc=$($TAMIS add "$c" "$caps")
$TAMIS add "$c" "Navettes" >/dev/null
out=$($TAMIS merge "$T/m.yaml" "$a" "$c" 2>&1)
t_match "merge: the same idea from two tables is named" "$out" \
	"c.yaml: card $idc has the same text as card $ida \('$caps'\): both kept"
t_eq "merge: both cards are kept" "$($TAMIS list "$T/m.yaml" --format tsv | tail -n +2 | wc -l)" "4"
t_nomatch "merge: other texts are not named" "$out" "Navette"
t_eq "merge: a board merged again names nothing new" \
	"$($TAMIS merge "$T/m2.yaml" "$T/m.yaml" "$c" 2>&1 | grep -c 'same text')" "0"
