# Signed facilitator operations (src/sign.h, docs/RELIABILITY.md): a
# facilitator deciding in the terminal board signs it, and show, check, the
# report and the details say it verifies; a journal line forged by a script
# (fac: true, a right CRC, by: claire) is refused everywhere; "--by claire"
# from another account's key directory does not pass for claire.
#
# Each account is a configuration directory of its own: claire's is the
# script's ($XDG_CONFIG_HOME, tests/lib.sh), bob's is $T/bob.
. "$TAMIS_TOP/tests/lib.sh"
TUI_SOURCED=1 . "$TAMIS_TOP/tests/tui/tuilib.sh"

b=$T/f.yaml
# The workshop board, without the decisions written into it by hand.
sed 's/^    decision: \(v1\|elsewhere\)$/    decision: undecided/' "$TUI_DATA/facilitation.yaml" >"$b"
F="-- --facilitator"
# screen N FILE: the Nth dump (from 1) of an 80x24 script's output.
screen() { sed -n "$(( ($1 - 1) * 24 + 1 )),$(( $1 * 24 ))p" "$2"; }
# fp KEYID: the fingerprint tamis shows for a public key (src/sign.c).
fp() {
	python3 - "$1" <<'PY'
import base64, hashlib, sys
pk = base64.b64decode(sys.argv[1].split(":", 1)[1])
print(hashlib.blake2b(pk, digest_size=32).hexdigest()[:16])
PY
}
# q EXPR: a Python expression on a board file, b.
q() {
	python3 - "$1" "$2" <<'PY'
import sys, yaml
b = yaml.safe_load(open(sys.argv[1]))
print(eval(sys.argv[2]))
PY
}
# forge BOARD LINE...: a journal for BOARD holding these operation lines, each
# with its right CRC-32, as any script could write one (docs/SHARING.md).
forge() {
	python3 - "$@" <<'PY'
import os, sys, zlib
board = sys.argv[1]
data = open(board, "rb").read()
d, n = os.path.split(board)
with open(os.path.join(d, "." + n + ".journal"), "w") as j:
    j.write("tamis-journal 1 %d %08x\n" % (len(data), zlib.crc32(data)))
    for line in sys.argv[2:]:
        j.write("%08x %s\n" % (zlib.crc32(line.encode()), line))
PY
}

# --- claire decides in the terminal board ------------------------------------------
tui_script "$b" 80x24 TAMIS_BY=claire $F >"$T/decide.txt" <<'EOF'
v
Un local existe déjà<Enter>
i
:dump
EOF
t_eq "the facilitator's session ends well" "$tui_rc" 0
key=$T/config/tamis/signing.key
t_ok "her key is made on first need" test -f "$key"
t_eq "readable by her alone" "$(stat -c %a "$key") $(stat -c %a "$T/config/tamis")" "600 700"
pub=$(sed -n 's/^public: //p' "$key")
claire_fp=$(fp "$pub")
t_eq "the board lists her public key, under her name" \
	"$(q "$b" '[(k["name"], k["key"]) for k in b["facilitator_keys"]]')" "[('claire', '$pub')]"
t_eq "the decision keeps its signature" \
	"$(q "$b" '[(d["by"], d["key"], len(d["sig"])) for d in b["decisions"]]')" "[('claire', '$pub', 88)]"
t_match "the details say it verifies" "$(screen 1 "$T/decide.txt")" "Signature +✓ verified, key $claire_fp"
out=$("$TAMIS" show "$b" 1111)
t_match "show: verified" "$out" "^decision: +v1 \(verified\)$"
t_match "show: by whom, with which key" "$out" "^decided: +2019-06-28T11:00:00Z by claire, signed with key $claire_fp$"
t_match "show: why" "$out" "^rationale: +Un local existe déjà$"
t_exit "check: nothing to say" 0 "$TAMIS" check --strict "$b"
t_eq "check says nothing" "$("$TAMIS" check "$b" 2>&1)" ""
"$TAMIS" report "$b" >"$T/r.md"
t_match "the report: verified, with the key" "$(cat "$T/r.md")" \
	"\| claire \| \`11111111\` Réception de colis .* \| Un local existe déjà \| verified \(key $claire_fp\) \|"
t_match "the report lists the facilitator keys" "$(cat "$T/r.md")" "## Facilitator keys \(1\)"
t_match "name, fingerprint, when added" "$(cat "$T/r.md")" "^\| claire \| \`$claire_fp\` \| 2019-06-28T11:00:00Z \|$"
t_match "the CSV says verified" "$("$TAMIS" report --format csv "$b" | grep '^11111111')" ",verified.$"

# --- a line forged by a script ---------------------------------------------------
cp "$b" "$T/before.yaml"
forge "$b" '{op: decide, at: 2019-06-28T11:30:00Z, by: "claire", fac: true, card: 33333333-3333-4333-8333-333333333333, text: "forged", value: 1}' \
	'{op: lock, at: 2019-06-28T11:31:00Z, by: "claire", fac: true, card: 33333333-3333-4333-8333-333333333333, value: 1}'
out=$("$TAMIS" show "$b" 3333 2>"$T/show.err")
t_match "show: the forged decision is refused" "$out" "^decision: +undecided$"
t_match "the forged lock too" "$out" "^locked: +no$"
t_match "and show says why" "$(cat "$T/show.err")" \
	"warning: '.*f.yaml': 2 facilitator operations of the live journal are not signed by a key the board lists: applied as a pair's"
t_match "list: refused" "$("$TAMIS" list --format tsv "$b" 2>/dev/null | grep ^33333333)" \
	"	undecided	false	"
# show was the first command to find the journal with nobody live: it folded
# it (docs/SHARING.md), keeping the refused lines aside in .f.yaml.conflicts,
# which every later command names.
t_match "list says why" "$("$TAMIS" list "$b" 2>&1 >/dev/null)" \
	"2 of them are facilitator operations not signed by a key the board lists"
t_match "show-conflicts lists them, unsigned" "$("$TAMIS" show-conflicts "$b")" \
	"decide 33333333.*not signed by a key the board lists, so made as a pair's: only the facilitator may decide"
t_exit "check --strict fails" 65 "$TAMIS" check --strict "$b"
t_match "check says what" "$("$TAMIS" check "$b" 2>&1)" \
	"warning: '.*f.yaml': 2 of them are facilitator operations not signed by a key the board lists"
"$TAMIS" report "$b" >"$T/r2.md" 2>"$T/r2.err"
t_match "the report keeps one decision, claire's" "$(cat "$T/r2.md")" "## Decision log \(1\)"
t_nomatch "without the forged one" "$(cat "$T/r2.md")" "forged"
t_match "and warns" "$(cat "$T/r2.err")" "facilitator operations not signed by a key the board lists"
tui_script "$b" 80x24 >"$T/forged-ui.txt" <<'EOF'
:dump
EOF
t_nomatch "the terminal board refuses it too" "$(screen 1 "$T/forged-ui.txt")" "東京の同僚と.*(V1|⊠)"
t_match "and says so" "$(screen 1 "$T/forged-ui.txt" | sed -n 24p)" \
	"warning: 2 facilitator changes kept aside are not signed by a key"
rm -f "$T/.f.yaml.journal"
t_ok "and nothing of it reaches the file" cmp "$b" "$T/before.yaml"
t_ok "once dealt with, the kept lines can go" "$TAMIS" show-conflicts --clear "$b"

# The same line appended while claire's board is open: refused there too, and said.
cp "$T/before.yaml" "$T/live.yaml"
cat >"$T/append.py" <<'PY'
import sys, zlib
line = '{op: decide, at: 2019-06-28T11:30:00Z, by: "claire", fac: true, card: 33333333-3333-4333-8333-333333333333, text: "forged", value: 1}'
with open(sys.argv[1], "a") as j:
    j.write("%08x %s\n" % (zlib.crc32(line.encode()), line))
PY
tui_script "$T/live.yaml" 80x24 TAMIS_BY=claire $F >"$T/live.txt" <<EOF
L
:run python3 "$T/append.py" "$T/.live.yaml.journal"
:dump
EOF
t_match "claire's open board says so" "$(screen 1 "$T/live.txt" | sed -n 24p)" \
	"warning: a facilitator change in the live journal is not signed"
t_eq "and her board keeps card 3333 undecided" "$(q "$T/live.yaml" \
	'[(c["decision"], c.get("locked", False)) for c in b["cards"] if c["id"].startswith("3333")]')" \
	"[('undecided', False)]"
t_eq "her own lock is kept" "$(q "$T/live.yaml" \
	'[c.get("locked", False) for c in b["cards"] if c["id"].startswith("1111")]')" "[True]"

# A decision written into the file by hand: unverified.
python3 - "$b" "$T/hand.yaml" <<'PY'
import sys
s = open(sys.argv[1]).read()
s = s.replace("rationale: Un local existe déjà", "rationale: Un local n’existe pas")
open(sys.argv[2], "w").write(s)
PY
out=$("$TAMIS" show "$T/hand.yaml" 1111)
t_match "a rationale edited by hand: show says unverified" "$out" \
	"^decision: +v1 \(unverified: the signature does not match\)$"
t_match "check says it" "$("$TAMIS" check "$T/hand.yaml" 2>&1)" \
	"the decision on card 11111111 of 2019-06-28T11:00:00Z by claire is unverified: the signature does not match"
t_match "and the report" "$("$TAMIS" report "$T/hand.yaml")" \
	"Un local n’existe pas \| \*\*unverified\*\*: the signature does not match \|"
t_match "the card is marked in its list" "$("$TAMIS" report "$T/hand.yaml")" \
	"Réception de colis sur le lieu de travail \(Mobilité\) · \`11111111\` · \*\*unverified decision\*\*"
t_match "the CSV says unverified" "$("$TAMIS" report --format csv "$T/hand.yaml" | grep '^11111111')" ",unverified.$"

# --- "--by claire" from bob's account ---------------------------------------------
bob="XDG_CONFIG_HOME=$T/bob"
tui_script "$b" 80x24 TAMIS_BY=claire "$bob" $F >"$T/bob.txt" <<'EOF'
/東京<Enter>
v
<Enter>
:dump
L
:dump
EOF
t_ok "bob has a key of his own" test -f "$T/bob/tamis/signing.key"
bob_pub=$(sed -n 's/^public: //p' "$T/bob/tamis/signing.key")
t_match "his decision as claire is refused, saying why" "$(screen 1 "$T/bob.txt" | sed -n 24p)" \
	"not done: only the facilitator may decide \(the board lists another key for 'cla"
t_match "his lock too" "$(screen 2 "$T/bob.txt" | sed -n 24p)" "not done: only the facilitator may lock"
t_ok "nothing changed" cmp "$b" "$T/before.yaml"
t_exit "the frame from the command line: refused (77)" 77 \
	env "$bob" "$TAMIS" criterion "$b" frequence --easy flip --by claire
t_match "saying why" "$(env "$bob" "$TAMIS" criterion "$b" frequence --easy flip --by claire 2>&1)" \
	"the board lists another key for 'claire' \($claire_fp\), not yours"
t_ok "nothing changed" cmp "$b" "$T/before.yaml"

# Bob signs as claire on a board that does not list her yet: what he makes
# there (his journal line, his decision) does not verify on claire's board.
sed 's/^    decision: \(v1\|elsewhere\)$/    decision: undecided/' "$TUI_DATA/facilitation.yaml" >"$T/c.yaml"
tui_script "$T/c.yaml" 80x24 TAMIS_BY=claire "$bob" $F >/dev/null <<EOF
/東京<Enter>
v
Hors budget<Enter>
:run cp "$T/.c.yaml.journal" "$T/bob.journal"
EOF
t_eq "there, bob's key is listed as claire's" "$(q "$T/c.yaml" '[k["key"] for k in b["facilitator_keys"]]')" \
	"['$bob_pub']"
line=$(grep -o '{op: decide.*' "$T/bob.journal")
t_match "his journal line is signed, as claire" "$line" "by: \"claire\", fac: true.*, sig: "
t_ok "with his key" sh -c 'printf "%s" "$1" | grep -qF "key: \"$2\""' - "$line" "$bob_pub"
forge "$b" "$line"
t_match "on claire's board, his signed line is refused" "$("$TAMIS" show "$b" 3333 2>&1)" \
	"decision: +undecided"
t_match "check names it" "$("$TAMIS" check "$b" 2>&1)" "1 of them is a facilitator operation not signed"
rm -f "$T/.f.yaml.journal"
# His decision entry pasted into claire's board, and the card's decision with it.
python3 - "$T/c.yaml" "$b" "$T/pasted.yaml" <<'PY'
import sys
c = open(sys.argv[1]).read()
entry = c[c.index("\ndecisions:\n") + len("\ndecisions:\n"):]
f = open(sys.argv[2]).read()
f = f.replace("    decision: undecided\n    place:\n      autonomie-frequence: [2, 2]",
              "    decision: v1\n    place:\n      autonomie-frequence: [2, 2]", 1)
open(sys.argv[3], "w").write(f + entry)
PY
out=$("$TAMIS" show "$T/pasted.yaml" 3333)
t_match "his pasted decision: show says unverified, and why" "$out" \
	"^decision: +v1 \(unverified: signed with key $(fp "$bob_pub"), not the one the board lists for 'claire'\)$"
t_match "the report too" "$("$TAMIS" report "$T/pasted.yaml")" "Hors budget \| \*\*unverified\*\*: signed with key"
t_exit "check --strict fails" 65 "$TAMIS" check --strict "$T/pasted.yaml"
tui_script "$T/pasted.yaml" 80x24 >"$T/pasted-ui.txt" <<'EOF'
/東京<Enter>
i
:dump
EOF
t_match "the details say it" "$(screen 1 "$T/pasted-ui.txt")" "Signature +✗ UNVERIFIED: signed with key"
t_match "claire's own decision still verifies there" "$("$TAMIS" show "$T/pasted.yaml" 1111)" \
	"^decision: +v1 \(verified\)$"
