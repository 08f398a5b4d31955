# The facilitator's keys and the session-wide ones, headless (scripted keys,
# screen dumps, then the saved board), then one facilitator session in a real
# terminal: lock, decide with a rationale, draw a zone, the sieve, the report.
#
# tests/tui/data/facilitation.yaml is the workshop board with pairs dealt and
# two debated cards: Pressing (three crossings on grid 1, by one pair) and
# Conciergerie (placed on grid 2 only, moved across by two pairs).
. "$TAMIS_TOP/tests/lib.sh"
TUI_SOURCED=1 . "$TAMIS_TOP/tests/tui/tuilib.sh"

b=$T/f.yaml
fresh() { cp "$TUI_DATA/facilitation.yaml" "$b"; rm -f "$T"/.f.yaml.* "$T"/f-report-*.md; }
# R writes a new file named after the (pinned) time, never over another.
report=$T/f-report-2019-06-28-1100.md
# q EXPR: a Python expression on the saved board file, b (after quitting).
q() {
	python3 - "$b" "$1" <<'PY'
import sys, yaml
b = yaml.safe_load(open(sys.argv[1]))
def card(prefix):
    return [c for c in b["cards"] if c["id"].startswith(prefix)][0]
print(eval(sys.argv[2]))
PY
}
# screen N FILE: the Nth dump (from 1) of an 80x24 script's output.
screen() { sed -n "$(( ($1 - 1) * 24 + 1 )),$(( $1 * 24 ))p" "$2"; }
hints() { screen "$1" "$2" | sed -n 24p; }
F="-- --facilitator"

# --- marks on the post-its ------------------------------------------------------
fresh
tui_script "$b" 80x24 >"$T/marks.txt" <<'EOF'
:dump
EOF
t_match "a decided card shows its decision" "$(cat "$T/marks.txt")" "Café ☕ et thé 🍵 +V1 "
t_match "elsewhere shows as an arrow" "$(cat "$T/marks.txt")" "Séances de yoga à la… →"
t_match "a debated card shows the debate mark" "$(cat "$T/marks.txt")" "Pressing « express » +⁉"
t_ok "looking changes nothing" cmp "$b" "$TUI_DATA/facilitation.yaml"

# --- L: lock and unlock ------------------------------------------------------------
fresh
tui_script "$b" 80x24 $F >"$T/lock.txt" <<'EOF'
L
:dump
EOF
t_match "L locks the selected card" "$(hints 1 "$T/lock.txt")" "locked: pairs can no longer move"
t_match "the lock mark shows on it" "$(screen 1 "$T/lock.txt")" "▸Réception de colis +⊠"
t_match "the status bar says who facilitates (⚑ when narrow)" "$(screen 1 "$T/lock.txt" | sed -n 23p)" "│ ⚑ tester │"
t_eq "it is locked in the file" "$(q 'card("1111")["locked"]')" True
t_eq "by whom" "$(q 'card("1111")["history"][-1]["by"], card("1111")["history"][-1]["event"]')" \
	"('tester', 'locked')"
tui_script "$b" 80x24 $F >"$T/unlock.txt" <<'EOF'
L
:dump
EOF
t_match "L again unlocks" "$(hints 1 "$T/unlock.txt")" "unlocked: pairs can move it again"
t_eq "unlocked in the file" "$(q 'card("1111").get("locked", False)')" False

# --- v: decisions with a rationale ----------------------------------------------
fresh
tui_script "$b" 80x24 $F >"$T/decide.txt" <<'EOF'
v
:dump
Un local existe déjà<Enter>
:dump
EOF
t_match "v asks the rationale at once, for the next decision" "$(screen 1 "$T/decide.txt")" "Decision for “Réception de colis[^”]*”: V1"
t_match "from what to what" "$(screen 1 "$T/decide.txt")" "undecided → V1"
t_match "the decision is made" "$(hints 2 "$T/decide.txt")" "decided: V1, with its rationale"
t_match "its badge shows" "$(screen 2 "$T/decide.txt")" "▸Réception de colis +V1"
t_eq "the card is decided in the file" "$(q 'card("1111")["decision"]')" v1
t_eq "the decision log keeps who, what and why" \
	"$(q '[(d["by"], d["from"], d["to"], d["rationale"], d["text"]) for d in b["decisions"]]')" \
	"[('tester', 'undecided', 'v1', 'Un local existe déjà', 'Réception de colis sur le lieu de travail')]"

# Tab goes on through the cycle; Enter alone decides without a rationale.
tui_script "$b" 80x24 $F >"$T/decide2.txt" <<'EOF'
v<Tab><Tab>
:dump
<Enter>
EOF
t_match "Tab goes on through the cycle (V1 → V2 → elsewhere → undecided)" \
	"$(screen 1 "$T/decide2.txt")" "V1 → undecided"
t_eq "back to undecided, without a rationale" \
	"$(q '[(d["to"], d.get("rationale")) for d in b["decisions"]][-1]')" "('undecided', None)"
tui_script "$b" 80x24 $F >/dev/null <<'EOF'
v<Esc>
EOF
t_eq "Esc decides nothing" "$(q 'len(b["decisions"])')" 2

# --- what a pair is told ----------------------------------------------------------
fresh
tui_script "$b" 80x24 >"$T/pair.txt" <<'EOF'
L
:dump
v
:dump
z
:dump
EOF
t_match "a pair pressing L is told why nothing happens" "$(hints 1 "$T/pair.txt")" \
	"only the facilitator may lock cards \(tamis --facilitator FILE\)"
t_match "v too" "$(hints 2 "$T/pair.txt")" "only the facilitator may decide"
t_match "z too" "$(hints 3 "$T/pair.txt")" "only the facilitator may draw zones"
t_ok "and nothing changed in the file" cmp "$b" "$TUI_DATA/facilitation.yaml"

# --facilitator from an account the board does not list: a pair, saying why.
sed 's/^description: .*/&\nfacilitators:\n  - nobody-here/' "$TUI_DATA/facilitation.yaml" >"$b"
cp "$b" "$T/restricted.yaml"
tui_script "$b" 80x24 $F >"$T/refused.txt" <<'EOF'
:dump
L
:dump
EOF
t_match "--facilitator from another account is refused, saying why" "$(hints 1 "$T/refused.txt")" \
	"not the facilitator: account '[^']+' is not among this board's facilitators"
t_match "the status bar does not say facilitator" "$(screen 1 "$T/refused.txt" | sed -n 23p)" "│ tester │"
t_match "L then says why" "$(hints 2 "$T/refused.txt")" "your account is not among"
t_ok "nothing changed" cmp "$b" "$T/restricted.yaml"

# --- d: the next debated card, through the grids --------------------------------------
fresh
tui_script "$b" 80x24 >"$T/debated.txt" <<'EOF'
d
:dump
d
:dump
d
:dump
EOF
t_match "d selects the next debated card on this grid" "$(screen 1 "$T/debated.txt")" "▸Pressing"
t_match "and says how many there are" "$(hints 1 "$T/debated.txt")" "debated \(2 on the board\)"
t_match "then goes on to the next grid" "$(screen 2 "$T/debated.txt" | sed -n 2p)" "▲ Présence physique"
t_match "where the other one is" "$(screen 2 "$T/debated.txt")" "▸Concierger"
t_match "and round again" "$(screen 3 "$T/debated.txt")" "▸Pressing"

# --- m: my cards -------------------------------------------------------------------
fresh
tui_script "$b" 80x24 TAMIS_BY="Binôme 4" >"$T/mine.txt" <<'EOF'
m
:dump
m
:dump
EOF
t_match "m counts my cards (dealt to me or written by me)" "$(hints 1 "$T/mine.txt")" \
	"my cards: 2 dealt to or written by Binôme 4; the arrows visit only them"
t_match "the status bar says so" "$(screen 1 "$T/mine.txt" | sed -n 23p)" "│ mine"
t_match "m again shows all" "$(hints 2 "$T/mine.txt")" "all cards shown alike"
tui_script "$b" 80x24 TAMIS_BY= >"$T/mine2.txt" <<'EOF'
<Esc>m
:dump
EOF
t_match "without a name, m says what it needs" "$(hints 1 "$T/mine2.txt")" "needs your name"

# --- z: zones ------------------------------------------------------------------------
fresh
tui_script "$b" 80x24 $F >"$T/zone.txt" <<'EOF'
z
:dump
<Space>l<Space>
:dump
<Enter>
:dump
V1 — tout de suite<Enter>
:dump
<Enter>
:dump
e
:dump
j<Enter>
V2 — plus tard<Enter>
<Down><Enter>
h<Enter>
V2 — plus tard<Enter>
:dump
x
:dump
<Esc>
:dump
EOF
t_match "z: a cursor on the selected card's cell" "$(screen 1 "$T/zone.txt" | sed -n 2p)" "^ +┏━+┓"
t_match "Space chooses cells" "$(screen 2 "$T/zone.txt")" "✓"
t_match "Enter asks the zone's name" "$(screen 3 "$T/zone.txt")" "Zone for 2 cells"
t_match "a new name asks a colour" "$(screen 4 "$T/zone.txt")" "Colour of zone 'V1 — tout de s"
t_match "the zone is drawn with its name" "$(screen 5 "$T/zone.txt" | sed -n 2p)" "V1 — tout de suite"
t_match "e makes it the easiest zone" "$(hints 6 "$T/zone.txt")" "is now the easiest to launch"
t_match "an existing name adds cells to it" "$(hints 7 "$T/zone.txt")" "1 cell in zone 'V2 — plus tard'"
t_match "x takes cells out of their zone" "$(hints 8 "$T/zone.txt")" "1 cell taken out of its zone"
t_match "Esc leaves the zones, drawn on the grid" "$(screen 9 "$T/zone.txt")" "V2 — plus tard"
t_match "the easiest zone keeps its double lines and label" "$(screen 9 "$T/zone.txt")" "═ ★ easiest to launch ═"
t_eq "the zones are in the file" \
	"$(q '[(z["name"], z["color"], z.get("easy", False), z.get("cells")) for z in b["grids"][0]["zones"]]')" \
	"[('V1 — tout de suite', 'green', True, [[1, 2], [2, 2]]), ('V2 — plus tard', 'blue', False, [[2, 1]])]"
t_eq "the widths stay right" "$(screen 9 "$T/zone.txt" >"$T/z9"; tui_widths_ok "$T/z9" 80)" ok

# A zone and its cells are one change for undo.
fresh
tui_script "$b" 80x24 $F >"$T/zundo.txt" <<'EOF'
z<Space>l<Space><Enter>
Z<Enter>
<Enter>
<Esc>u
:dump
EOF
t_match "u undoes the whole zone" "$(hints 1 "$T/zundo.txt")" "undone: zone"
t_eq "no zone left" "$(q 'b["grids"][0].get("zones")')" None

# --- s: the sieve view ----------------------------------------------------------------
fresh
tui_script "$b" 80x24 $F >"$T/sieve.txt" <<'EOF'
s
:dump
1
:dump
r
:dump
1f
:dump
fv
Trop lourd à porter<Enter>
:dump
f<Enter>
:dump
EOF
s1=$(screen 1 "$T/sieve.txt")
t_match "s shows every card ranked" "$(echo "$s1" | sed -n 1p)" "Sieve: 6 of 6 cards"
t_match "with a column per grid, score, decision and marks" "$(echo "$s1" | sed -n 2p)" \
	"# Card +Theme +G1 +G2 +Score▲ Decision +⁉ ⊠"
t_match "the best ranked first, its cells marked * in the easy zone" "$(echo "$s1" | sed -n 3p)" \
	"1 Réception de colis sur.* 1,2 \* 3,1 \* 2/2"
t_match "debated cards are marked" "$(echo "$s1" | grep Pressing)" "⁉"
t_match "1 sorts by the card's text" "$(screen 2 "$T/sieve.txt" | sed -n 2,3p | tr '\n' ' ')" "Card▲.*Café"
t_match "r reverses" "$(screen 3 "$T/sieve.txt" | sed -n 2,3p | tr '\n' ' ')" "Card▼.*東京"
t_match "f shows one theme" "$(screen 4 "$T/sieve.txt" | sed -n 1p)" "2 of 6 cards.*theme: Mobilité"
t_eq "only its cards" "$(screen 4 "$T/sieve.txt" | sed -n 3,5p | grep -c 'M  Mobilité')" 2
t_match "v decides from the sieve, with a rationale" "$(screen 5 "$T/sieve.txt" | sed -n 24p)" \
	"decided: V2, with its rationale"
t_match "and the table shows it" "$(screen 5 "$T/sieve.txt" | grep Café)" " V2( |$)"
t_match "Enter shows the card on its grid" "$(screen 6 "$T/sieve.txt")" "▸Concierger"
t_match "the grid where it is placed" "$(screen 6 "$T/sieve.txt" | sed -n 2p)" "▲ Présence physique"
t_match "the decision is in the file" "$(q '[d["rationale"] for d in b["decisions"]]')" "Trop lourd à porter"

# Sorting by a grid: the easy zone first, then from the top row.
fresh
tui_script "$b" 80x24 >"$T/sieve2.txt" <<'EOF'
s3
:dump
EOF
t_match "3 sorts by grid 1's cells" "$(screen 1 "$T/sieve2.txt" | sed -n 2p)" "G1▲"
t_eq "the easy zone first, then from the top row, the tray last" \
	"$(screen 1 "$T/sieve2.txt" | sed -n 3,8p | grep -o 'Réception\|Pressing\|東京\|Café\|Conciergerie\|Séances' | tr '\n' ' ')" \
	"Réception Pressing 東京 Café Conciergerie Séances "

# --- R: the report ------------------------------------------------------------------------
fresh
tui_script "$b" 80x24 >"$T/report.txt" <<'EOF'
R
:dump
EOF
t_match "R says where the report went" "$(hints 1 "$T/report.txt")" \
	"report written to '.*f-report-2019-06-28-1100\.md'"
t_ok "the report is next to the board" test -s "$report"
t_match "it is the workshop's report" "$(head -1 "$report")" "^# Atelier du jeudi"
t_match "with the debated cards" "$(cat "$report")" "Pressing « express »"
# R again, after a change: a second file; the first stays as it was.
cp "$report" "$T/report.first"
tui_script "$b" 80x24 >"$T/report2.txt" <<'EOF'
<Enter>l<Enter>
R
:dump
R
:dump
EOF
t_match "R again says where the new report went" "$(hints 1 "$T/report2.txt")" \
	"report written to '.*f-report-2019-06-28-1100-2\.md'"
t_match "and a third time too" "$(hints 2 "$T/report2.txt")" \
	"report written to '.*f-report-2019-06-28-1100-3\.md'"
t_ok "the first report is unchanged" cmp "$report" "$T/report.first"
t_ok "the second one is written" test -s "$T/f-report-2019-06-28-1100-2.md"
t_fail "and differs from it (a card moved since)" cmp -s "$report" "$T/f-report-2019-06-28-1100-2.md"

# --- i: the details tell the pair and the history -----------------------------------------
fresh
tui_script "$b" 80x24 >"$T/details.txt" <<'EOF'
d
i
:dump
<PgDn>
:dump
EOF
t_match "details show the pair" "$(screen 1 "$T/details.txt")" "Pair +Binôme 4"
t_match "and the debate" "$(screen 1 "$T/details.txt")" "⁉ debated"
t_match "and who moved it where" "$(cat "$T/details.txt")" "Binôme 4  moved it on grid 1: 1,1 → 2,2"

# --- ? lists the new keys --------------------------------------------------------------------
tui_script "$b" 80x24 >"$T/help.txt" <<'EOF'
?
:dump
jjjjjjjjjj
:dump
EOF
t_match "? lists d, m, s and R" "$(cat "$T/help.txt")" "next debated card"
t_match "and the facilitator's keys, scrolling" "$(screen 2 "$T/help.txt")" "lock / unlock the card"

# --- F: the board's frame -------------------------------------------------------------------
fresh
tui_script "$b" 80x24 >"$T/frame-pair.txt" <<'EOF'
F
:dump
EOF
t_match "a pair is told that the frame is the facilitator's" "$(hints 1 "$T/frame-pair.txt")" \
	"only the facilitator may change the board's frame"
t_ok "and nothing changes" cmp "$b" "$TUI_DATA/facilitation.yaml"
tui_script "$b" 100x24 $F >"$T/frame.txt" <<'EOF'
F
:dump
j
e
:dump
r
<C-u>Rare<Enter>
<C-u>Quotidien<Enter>
:dump
a
a b<Enter>
:dump
<C-u>cout<Enter>
Peu coûteux<Enter>
Coûteux<Enter>
:dump
g
<Up>
<Up>
<Enter>
:dump
+
:dump
<Enter>
:dump
EOF
t_match "F lists the criteria with the easier pole starred" "$(screen 1 "$T/frame.txt")" \
	"autonomie +★ Autonomie de l’usager  ↔  Présence physique nécessaire"
t_match "and the grids with their axes and cells" "$(screen 1 "$T/frame.txt")" \
	"autonomie-frequence +autonomie across × frequence up +2×2 +4 cards placed"
t_match "e flips the easier pole" "$(screen 2 "$T/frame.txt")" "▸ frequence +★ Exceptionnel  ↔  Fréquent"
t_match "and says so" "$(screen 2 "$T/frame.txt")" "the easier pole is now “Exceptionnel”"
t_match "r renames both poles" "$(screen 3 "$T/frame.txt")" "▸ frequence +★ Rare  ↔  Quotidien"
t_match "a bad id is refused with the reason, the prompt stays" "$(screen 4 "$T/frame.txt")" \
	"an id is 1 to 64 letters"
t_match "a adds a criterion" "$(screen 5 "$T/frame.txt")" "▸ cout +★ Peu coûteux  ↔  Coûteux"
t_match "g then Enter pairs two criteria in a new grid" "$(screen 6 "$T/frame.txt")" \
	"▸ cout-autonomie +cout across × autonomie up +3×3 +0 cards placed"
t_match "+ adds cells" "$(screen 7 "$T/frame.txt")" "cout-autonomie +cout across × autonomie up +4×4"
t_match "Enter shows the grid, with its new tab" "$(screen 8 "$T/frame.txt" | sed -n 1p)" \
	"3 cout × autonomie"
t_eq "the frame is in the file" \
	"$(q '[(c["id"], c["low"], c["easy"]) for c in b["criteria"]], [(g["id"], g["cells"]) for g in b["grids"]]')" \
	"([('autonomie', 'Autonomie de l’usager', 'low'), ('frequence', 'Rare', 'low'), ('cout', 'Peu coûteux', 'low')], [('autonomie-frequence', 2), ('frequence-autonomie', 3), ('cout-autonomie', 4)])"
t_ok "the board loads" "$TAMIS" check "$b"
tui_script "$b" 100x24 $F >"$T/frame-undo.txt" <<'EOF'
F
j
e
<Esc>
u
:dump
EOF
t_match "u undoes a flip" "$(screen 1 "$T/frame-undo.txt" | sed -n 24p)" "undone"
t_eq "the easier pole is back" "$(q '[c["easy"] for c in b["criteria"]]')" "['low', 'low', 'low']"
tui_script "$b" 100x24 $F >"$T/frame-cells.txt" <<'EOF'
F
<Down>
<Down>
<Down>
<Down>
-
:dump
EOF
t_match "- takes cells off a grid" "$(screen 1 "$T/frame-cells.txt")" \
	"▸ frequence-autonomie +frequence across × autonomie up +2×2 +3 cards placed"
t_eq "its cards keep their relative place" "$(q 'sorted(set(tuple(c["place"]["frequence-autonomie"]) for c in b["cards"] if "frequence-autonomie" in (c.get("place") or {})))')" \
	"[(2, 1), (2, 2)]"

# Another instance takes cells off the grid while a card is carried here.
fresh
tui_script "$b" 80x24 >"$T/frame-live.txt" <<EOF
2
/Concierg<Enter>
<Enter>
:run "$TAMIS" grid "$b" frequence-autonomie --cells 2 >/dev/null
:dump
<Enter>
:dump
EOF
t_eq "the UI survives a resize of the grid it carries a card on" "$tui_rc" 0
t_match "the carried card is shown inside the smaller grid" "$(screen 1 "$T/frame-live.txt")" "▶Conciergerie +⁉◀"
t_match "and dropped there" "$($TAMIS list "$b" | grep 55555555)" "^55555555 +numerique +- +2,2 "

# --- a facilitator's session in a real terminal -------------------------------------------
fresh
tui_start 100 30 TAMIS_BY=claire --facilitator "$b" >/dev/null
t_ok "the facilitator's session starts" tui_wait "claire"
tui_keys L
t_ok "lock" tui_wait "locked: pairs can no longer move"
tui_keys v
t_ok "decide: the rationale is asked" tui_wait "Why\? One line"
tui_type "Un local existe déjà"
tui_keys Enter
t_ok "decided with its rationale" tui_wait "decided: V1, with its rationale"
tui_keys z Space l Space Enter
t_ok "draw a zone: its name is asked" tui_wait "Zone for 2 cells"
tui_type "V1 — tout de suite"
tui_keys Enter
t_ok "then its colour" tui_wait "Colour of zone"
tui_keys Enter
t_ok "the zone is made" tui_wait "2 cells in zone"
tui_keys e
t_ok "and made the easiest zone" tui_wait "now the easiest to launch"
tui_keys Escape s
t_ok "the sieve view" tui_wait "Sieve: 6 of 6 cards"
t_ok "shows the decision and the lock" tui_wait "Réception de colis.*V1 .*⊠"
tui_keys s R
t_ok "the report is written and said" tui_wait "report written to"
tui_keys q
t_ok "quits cleanly" tui_exit_is 0
t_eq "the lock, the decision and its rationale are in the file" \
	"$(q 'card("1111")["locked"], card("1111")["decision"], b["decisions"][0]["rationale"]')" \
	"(True, 'v1', 'Un local existe déjà')"
t_eq "the zone too" "$(q '[(z["name"], z.get("easy")) for z in b["grids"][0]["zones"]]')" \
	"[('V1 — tout de suite', True)]"
t_match "the report has the decision" "$(cat "$report")" "Un local existe déjà"
t_ok "the board loads" "$TAMIS" check "$b"
