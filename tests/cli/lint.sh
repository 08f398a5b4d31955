# The house rules (issue 15): tests/lint.sh passes on the tree as it is,
# and each of its checks fails, naming the file and line, on a copy of the
# tree that breaks that rule.
. "$TAMIS_TOP/tests/lib.sh"

obj=$(dirname "$UNIT_DIR")
out=$(TAMIS_TOP="$TAMIS_TOP" LINT_OBJ_DIR="$obj" sh "$TAMIS_TOP/tests/lint.sh" 2>&1)
t_eq "the tree keeps the house rules" "$?" 0
t_eq "all eight rules checked" "$(printf '%s\n' "$out" | grep -c '^ok ')" 8
t_nomatch "none broken" "$out" "not ok"

# A copy of the sources that breaks each rule once.
mkdir -p "$T/tree/tests" "$T/obj"
cp -R "$TAMIS_TOP/src" "$T/tree/src"
cp "$TAMIS_TOP/tests/lint.sh" "$T/tree/tests/"
lint() { TAMIS_TOP="$T/tree" LINT_OBJ_DIR="$T/obj" sh "$T/tree/tests/lint.sh" 2>&1; }

# Two UI files that call each other, as built objects.
printf 'void ui_zz_b(void);\nvoid ui_zz_a(void) { ui_zz_b(); }\n' >"$T/tree/src/ui_zz_a.c"
printf 'void ui_zz_a(void);\nvoid ui_zz_b(void) { ui_zz_a(); }\n' >"$T/tree/src/ui_zz_b.c"
cc -c -o "$T/obj/ui_zz_a.o" "$T/tree/src/ui_zz_a.c" && cc -c -o "$T/obj/ui_zz_b.o" "$T/tree/src/ui_zz_b.c"
t_eq "the planted objects are built" "$?" 0

printf '#include "session.h"\n' >>"$T/tree/src/board.h"
printf '#include <yaml.h>\n' >>"$T/tree/src/cli.c"
printf '#include <curses.h>\n' >>"$T/tree/src/report.c"
printf 'void cli_zz(struct board *b) { board_move_card(b, 0, 0, 0, 0); }\n' >>"$T/tree/src/cli.c"
awk 'BEGIN { for (i = 0; i < 901; i++) print "/* filler */" }' >>"$T/tree/src/ui_zz_a.c"
awk 'BEGIN { for (i = 0; i < 1501; i++) print "/* filler */" }' >>"$T/tree/src/store_op.c"
{
	echo 'static void long_one(void)'
	echo '{'
	awk 'BEGIN { for (i = 0; i < 81; i++) print "\t;" }'
	echo '}'
} >>"$T/tree/src/text.c"

out=$(lint)
t_eq "the broken copy fails" "$?" 1
t_eq "every rule broken is reported" "$(printf '%s\n' "$out" | grep -c '^not ok ')" 8
t_match "the model's include, by file and line" "$out" "#   board\.h:[0-9]*:#include \"session\.h\""
t_match "yaml.h outside the store" "$out" "#   cli\.c:[0-9]*:#include <yaml\.h>"
t_match "curses outside the UI" "$out" "#   report\.c:[0-9]*:#include <curses\.h>"
t_match "a mutator called by the CLI" "$out" "#   cli\.c:[0-9]*:void cli_zz"
t_match "the circle between the UI's files" "$out" "#   a circle through ui_zz_[ab]\.c"
t_match "the UI file too long" "$out" "#   ui_zz_a\.c: 9[0-9][0-9] lines"
t_match "the store file too long" "$out" "#   store_op\.c: [0-9]* lines"
t_match "the function too long, where it starts" "$out" "#   text\.c:[0-9]*: 81 lines"
