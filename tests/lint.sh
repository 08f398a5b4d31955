#!/bin/sh
# tests/lint.sh - the house rules that a compiler does not check
# (docs/ARCHITECTURE.md), one TAP line each; `make lint`, and part of
# `make test` through tests/cli/lint.sh.
#
#  1. The model (board, sieve, op, undo, merge, comments, layout) includes
#     nothing of the store, live sharing, files, the UI or the CLI (but the
#     shared error type, store_errors.h, which does no I/O).
#  2. Only the store's files include <yaml.h>; only the UI's include curses.
#  3. The CLI, the UI, live sharing and the importer change a board only
#     through operations: no direct call of a model mutator outside the model
#     and the store (which builds boards from files).
#  4. No call circle among the UI's files (from the built objects), and none over
#     UI_MAX_LINES lines (900); no store file over 1,500 lines.
#  5. No function over FUNCTION_MAX_LINES lines (80), counted from its opening
#     brace to its closing one, in any source file.
# Each failure names the file and line.
top=${TAMIS_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$top/src" || exit 1
n=0
fail=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() {
	n=$((n + 1))
	fail=1
	echo "not ok $n - $1"
	shift
	printf '%s\n' "$@" | sed 's/^/#   /'
}
check() { # WHAT OFFENDERS
	if [ -z "$2" ]; then ok "$1"; else notok "$1" "$2"; fi
}

MODEL="board.c board.h sieve.c sieve_index.h op.c op.h undo.c undo.h merge.c merge.h comments.c comments.h layout.c layout.h"
found=
for f in $MODEL; do
	[ -f "$f" ] || continue
	found="$found$(grep -Hn '#include *"\(store\|session\|journal\|lockfile\|fileio\|conflicts\|rescue\|sign\|ui\|cli\|report\|import\)[a-z_]*\.h"\|#include *<\(curses\|ncurses\|yaml\)' "$f" | grep -v '"store_errors\.h"')
"
done
check "the model includes nothing of the store, sharing, files, UI or CLI" "$(echo "$found" | sed '/^$/d')"

check "only the store includes yaml.h" \
	"$(grep -Hn '#include *<yaml\.h>' *.c *.h | grep -v '^store[a-z_]*\.[ch]:')"
check "only the UI includes curses" \
	"$(grep -Hn '#include *<n\?cursesw\?\.h>\|#include *<curses\.h>' *.c *.h | grep -v '^ui[a-z_]*\.[ch]:\|^main\.c:')"

MUTATORS='board_add_card|board_insert_card|board_remove_card|board_move_card|board_place_card|board_set_card_text|board_decide|board_lock_card|board_log_decision|board_add_theme|board_add_criterion|board_add_grid|board_set_criterion|board_resize_grid|grid_add_zone|grid_remove_zone|grid_assign_cell|board_add_facilitator|board_add_key|card_record|card_set_[a-z]+'
check "outside the model and the store, boards change only through operations" \
	"$(grep -HnE "\b($MUTATORS)\(" *.c |
		grep -vE '^(board|sieve|op|undo|merge|comments|layout|store[a-z_]*)\.c:' |
		grep -vE ':[0-9]+:\s*(\*|/\*)')"

# The UI's call graph, from the objects: a file "calls" another when it uses
# a function the other defines. No circle, however long (screens call the
# core and the drawing primitives, never each other but through the core).
obj=${LINT_OBJ_DIR:-$top/build}
if ls "$obj"/ui*.o >/dev/null 2>&1; then
	circles=$(for o in "$obj"/ui*.o; do
		m=$(basename "$o" .o)
		nm --defined-only "$o" | awk -v m="$m" '$2 == "T" { print "def", m, $3 }'
		nm -u "$o" | awk -v m="$m" '{ print "use", m, $NF }'
	done | awk '
		$1 == "def" { owner[$3] = $2; next }
		{ uses[++n] = $2 " " $3 }
		END {
			for (i = 1; i <= n; i++) {
				split(uses[i], u, " ")
				if ((u[2] in owner) && owner[u[2]] != u[1])
					edge[u[1]] = edge[u[1]] " " owner[u[2]]
			}
			for (a in edge) {
				delete seen; top = 0; stack[++top] = a
				while (top) {
					v = stack[top--]; k = split(edge[v], nx, " ")
					for (i = 1; i <= k; i++) {
						w = nx[i]
						if (w == "") continue
						if (w == a) { print "a circle through " a ".c"; top = 0; break }
						if (!(w in seen)) { seen[w] = 1; stack[++top] = w }
					}
				}
			}
		}' | sort -u)
	check "no call circle among the UI's files" "$circles"
else
	notok "no call circle among the UI's files" "no UI object in $obj: build first"
fi
check "no UI file over ${UI_MAX_LINES:-900} lines" \
	"$(wc -l ui*.c ui*.h | awk -v max="${UI_MAX_LINES:-900}" '$2 != "total" && $1 > max { print $2 ": " $1 " lines" }')"
check "no store file over 1,500 lines" \
	"$(wc -l store*.c store*.h | awk '$2 != "total" && $1 > 1500 { print $2 ": " $1 " lines" }')"
check "no function over ${FUNCTION_MAX_LINES:-80} lines" \
	"$(for f in *.c; do
		awk -v f="$f" -v max="${FUNCTION_MAX_LINES:-80}" '
			/^\{/ { start = NR }
			/^\}/ && start { if (NR - start - 1 > max) print f ":" start ": " NR - start - 1 " lines"; start = 0 }' "$f"
	done)"
exit $fail
