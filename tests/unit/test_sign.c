/*
 * Unit tests for signed facilitator operations (sign.h): the account's key
 * file and its permissions, signing and verifying operation lines, the
 * rights of an unverified journal line in every instance alike, enrolment,
 * the no-key rule, and decisions that stay verifiable in the board file.
 *
 * Keys are made under a temporary XDG_CONFIG_HOME, never in the real home.
 */
#include <fcntl.h>
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "board.h"
#include "journal.h"
#include "lockfile.h"
#include "merge.h"
#include "op.h"
#include "session.h"
#include "sign.h"
#include "store.h"

static char dir[64], path[128];

static const char board_yaml[] =
	"tamis: 1\n"
	"title: Signé\n"
	"themes:\n"
	"  - {id: t, label: Thème, color: green}\n"
	"criteria:\n"
	"  - {id: a, low: a-, high: a+, easy: low}\n"
	"  - {id: b, low: b-, high: b+, easy: high}\n"
	"grids:\n"
	"  - {id: g, x: a, y: b, cells: 2}\n"
	"cards:\n"
	"  - {id: 00000000-0000-4000-8000-000000000001, text: Réception de colis, theme: t}\n"
	"  - {id: 00000000-0000-4000-8000-000000000002, text: Vélos, theme: t}\n";

static int setup(void **state)
{
	char cfg[128];

	(void)state;
	strcpy(dir, "/tmp/tamis-sign.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/board.yaml", dir);
	snprintf(cfg, sizeof(cfg), "%s/config", dir);
	setenv("XDG_CONFIG_HOME", cfg, 1);
	return 0;
}

static int teardown(void **state)
{
	char cmd[256];

	(void)state;
	snprintf(cmd, sizeof(cmd), "chmod -R u+rwx '%s'; rm -rf '%s'", dir, dir);
	return system(cmd);
}

static struct board *board_from(const char *yaml)
{
	struct store_errors err;
	struct board *b = NULL;

	store_errors_init(&err, "test");
	if (store_parse(yaml, strlen(yaml), &b, &err) < 0) {
		struct strbuf msg = STRBUF_INIT;

		store_errors_format(&err, &msg);
		print_message("%s", msg.buf);
		strbuf_release(&msg);
		fail();
	}
	store_errors_release(&err);
	return b;
}

static char *yaml_of(const struct board *b)
{
	struct strbuf sb = STRBUF_INIT;

	store_format(b, &sb);
	return strbuf_detach(&sb, NULL);
}

/* A key of its own for a test account, in dir/NAME.key. */
static void key_of(struct sign_key *k, const char *name)
{
	struct strbuf err = STRBUF_INIT;
	char p[128];

	snprintf(p, sizeof(p), "%s/%s.key", dir, name);
	assert_int_equal(sign_key_load_file(k, p, true, &err), 0);
	assert_true(k->ok);
	strbuf_release(&err);
}

static void card_id(uuid_t id, int n)
{
	memset(id, 0, sizeof(uuid_t));
	id[6] = 0x40;
	id[8] = 0x80;
	id[15] = (unsigned char)n;
}

static void decide_op(struct op *op, int card, const char *by, enum decision to,
		      const char *rationale)
{
	memset(op, 0, sizeof(*op));
	op->kind = OP_DECIDE;
	op->at = 1561720920; /* 2019-06-28T11:22:00Z */
	op_set(&op->by, by);
	op->facilitator = true;
	card_id(op->card, card);
	op->value = (int)to;
	op_set(&op->text, rationale);
}

static void lock_op(struct op *op, int card, const char *by, bool lock)
{
	memset(op, 0, sizeof(*op));
	op->kind = OP_LOCK;
	op->at = 1561720930;
	op_set(&op->by, by);
	op->facilitator = true;
	card_id(op->card, card);
	op->value = lock;
}

static struct card *card_n(struct board *b, int n)
{
	uuid_t id;

	card_id(id, n);
	return board_find_card(b, id);
}

/* The operation parsed back from its journal line. */
static void round_trip(const struct board *b, const struct op *op, struct op *back)
{
	struct strbuf line = STRBUF_INIT, err = STRBUF_INIT;

	store_format_op(b, op, &line);
	if (store_parse_op(b, line.buf, line.len, back, &err) < 0) {
		print_message("%s\n%s\n", line.buf, err.buf);
		fail();
	}
	strbuf_release(&line);
	strbuf_release(&err);
}

/* --- The key file ------------------------------------------------------------ */

static void test_key_made_private(void **state)
{
	struct sign_key k = SIGN_KEY_INIT, again = SIGN_KEY_INIT;
	struct strbuf err = STRBUF_INIT;
	char kdir[128], kfile[160];
	struct stat st;

	(void)state;
	assert_int_equal(sign_key_load(&k, &err), 0);
	assert_true(k.ok);
	assert_true(sign_key_id_valid(k.id));
	assert_int_equal(strncmp(k.id, "ed25519:", 8), 0);
	snprintf(kdir, sizeof(kdir), "%s/config/tamis", dir);
	snprintf(kfile, sizeof(kfile), "%s/signing.key", kdir);
	assert_int_equal(stat(kdir, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	assert_int_equal(stat(kfile, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0600);
	/* The same key next time. */
	assert_int_equal(sign_key_load(&again, &err), 0);
	assert_string_equal(again.id, k.id);

	/* Readable by others: refused, saying how to fix it. */
	assert_int_equal(chmod(kfile, 0644), 0);
	assert_int_equal(sign_key_load(&again, &err), -1);
	assert_false(again.ok);
	assert_non_null(strstr(err.buf, "chmod 600"));
	assert_non_null(again.problem);
	assert_non_null(strstr(again.problem, "0644"));
	assert_int_equal(chmod(kfile, 0600), 0);
	strbuf_reset(&err);
	assert_int_equal(sign_key_load(&again, &err), 0);
	assert_string_equal(again.id, k.id);

	/* A directory others can write to: refused. */
	assert_int_equal(chmod(kdir, 0777), 0);
	assert_int_equal(sign_key_load(&again, &err), -1);
	assert_non_null(strstr(err.buf, "chmod 700"));
	assert_int_equal(chmod(kdir, 0700), 0);

	sign_key_release(&k);
	sign_key_release(&again);
	strbuf_release(&err);
}

static void test_key_not_a_regular_file(void **state)
{
	struct sign_key k = SIGN_KEY_INIT;
	struct strbuf err = STRBUF_INIT;
	char real[128], link_path[128], sub[128], junk[128];
	int fd;

	(void)state;
	key_of(&k, "real");
	snprintf(real, sizeof(real), "%s/real.key", dir);
	snprintf(link_path, sizeof(link_path), "%s/link.key", dir);
	assert_int_equal(symlink(real, link_path), 0);
	assert_int_equal(sign_key_load_file(&k, link_path, true, &err), -1);
	assert_non_null(strstr(err.buf, "symbolic link"));
	strbuf_reset(&err);
	snprintf(sub, sizeof(sub), "%s/sub.key", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	assert_int_equal(sign_key_load_file(&k, sub, true, &err), -1);
	assert_non_null(strstr(err.buf, "not a regular file"));
	strbuf_reset(&err);
	/* Private, but not a key. */
	snprintf(junk, sizeof(junk), "%s/junk.key", dir);
	fd = open(junk, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "hello\n", 6), 6);
	close(fd);
	assert_int_equal(sign_key_load_file(&k, junk, true, &err), -1);
	assert_non_null(strstr(err.buf, "not a tamis signing key"));
	/* Without creating, a missing key is an error. */
	strbuf_reset(&err);
	assert_int_equal(sign_key_load_file(&k, "/nonexistent/signing.key", false, &err), -1);
	assert_false(k.ok);
	sign_key_release(&k);
	strbuf_release(&err);
}

/* --- Signing and verifying ---------------------------------------------------- */

static void test_sign_verify_round_trip(void **state)
{
	struct board *b = board_from(board_yaml);
	struct sign_key claire = SIGN_KEY_INIT;
	struct strbuf why = STRBUF_INIT, line = STRBUF_INIT, bare = STRBUF_INIT;
	struct op op, back;

	(void)state;
	key_of(&claire, "claire");
	assert_int_equal(board_add_key(b, "claire", claire.id, 1561720000), RESULT_OK);
	decide_op(&op, 1, "claire", DECISION_V1, "Un local\nexiste déjà");
	sign_op(b, &claire, &op);
	assert_true(sign_sig_valid(op.sig));
	assert_true(sign_op_signature_ok(b, &op));
	assert_int_equal(sign_op_status(b, &op, &why), SIGN_VERIFIED);
	/* What is signed is the journal line without its key and sig, which come last. */
	store_format_op(b, &op, &line);
	sign_op_canonical(b, &op, &bare);
	assert_int_equal(strncmp(line.buf, bare.buf, bare.len - 1), 0);
	assert_non_null(strstr(line.buf + bare.len - 1, ", key: \"ed25519:"));
	/* Through the journal's codec, it still verifies. */
	round_trip(b, &op, &back);
	assert_string_equal(back.key, op.key);
	assert_string_equal(back.sig, op.sig);
	assert_int_equal(sign_op_status(b, &back, &why), SIGN_VERIFIED);
	assert_false(sign_op_check(b, &back));
	assert_true(back.facilitator);
	assert_int_equal(why.len, 0);
	op_release(&op);
	op_release(&back);
	sign_key_release(&claire);
	strbuf_release(&why);
	strbuf_release(&line);
	strbuf_release(&bare);
	board_free(b);
}

/* A whole card in the line (the facilitator's undo of deleting a locked card). */
static void test_added_card_verifies(void **state)
{
	struct board *b = board_from(board_yaml);
	struct sign_key claire = SIGN_KEY_INIT;
	struct card *card = card_n(b, 1);
	struct op op = OP_INIT, back;

	(void)state;
	key_of(&claire, "claire");
	board_add_key(b, "claire", claire.id, 0);
	board_move_card(b, card, 0, 1, 2, 1561720000, "Binôme 3");
	board_lock_card(b, card, true, 1561720100, "claire");
	card_set_note(card, "une note\nsur deux lignes");
	op.kind = OP_ADD;
	op.at = 1561720200;
	op_set(&op.by, "claire");
	op.facilitator = true;
	op.card_data = card_dup(b, card);
	op.x = 0;
	board_remove_card(b, card);
	sign_op(b, &claire, &op);
	round_trip(b, &op, &back);
	assert_int_equal(sign_op_status(b, &back, NULL), SIGN_VERIFIED);
	assert_int_equal(op_apply(b, &back, NULL), RESULT_OK);
	assert_true(card_n(b, 1)->locked);
	op_release(&op);
	op_release(&back);
	sign_key_release(&claire);
	board_free(b);
}

static void test_tampered_line_fails(void **state)
{
	struct board *b = board_from(board_yaml);
	struct sign_key claire = SIGN_KEY_INIT;
	struct strbuf why = STRBUF_INIT, line = STRBUF_INIT, err = STRBUF_INIT;
	struct op op, back;
	char *at;

	(void)state;
	key_of(&claire, "claire");
	board_add_key(b, "claire", claire.id, 0);
	decide_op(&op, 1, "claire", DECISION_V2, "Plus tard");
	sign_op(b, &claire, &op);
	store_format_op(b, &op, &line);
	/* V2 made V1 in the line, the signature kept. */
	at = strstr(line.buf, "value: 2");
	assert_non_null(at);
	at[7] = '1';
	assert_int_equal(store_parse_op(b, line.buf, line.len, &back, &err), 0);
	assert_false(sign_op_signature_ok(b, &back));
	assert_int_equal(sign_op_status(b, &back, &why), SIGN_UNVERIFIED);
	assert_non_null(strstr(why.buf, "does not match"));
	/* Applied as a pair's: the decision is refused. */
	assert_true(sign_op_check(b, &back));
	assert_false(back.facilitator);
	strbuf_reset(&why);
	assert_int_equal(op_apply(b, &back, &why), RESULT_REFUSED);
	assert_non_null(strstr(why.buf, "only the facilitator"));
	assert_int_equal(card_n(b, 1)->decision, DECISION_UNDECIDED);
	op_release(&back);
	/* Another rationale, or another signer's name, fails the same way. */
	op_set(&op.text, "Tout de suite");
	assert_int_equal(sign_op_status(b, &op, NULL), SIGN_UNVERIFIED);
	op_set(&op.text, "Plus tard");
	assert_int_equal(sign_op_status(b, &op, NULL), SIGN_VERIFIED);
	op.at++;
	assert_int_equal(sign_op_status(b, &op, NULL), SIGN_UNVERIFIED);
	op_release(&op);
	sign_key_release(&claire);
	strbuf_release(&why);
	strbuf_release(&line);
	strbuf_release(&err);
	board_free(b);
}

static void test_unlisted_key_fails(void **state)
{
	struct board *b = board_from(board_yaml);
	struct sign_key claire = SIGN_KEY_INIT, mallory = SIGN_KEY_INIT;
	struct strbuf why = STRBUF_INIT;
	struct op op;

	(void)state;
	key_of(&claire, "claire");
	key_of(&mallory, "mallory");
	board_add_key(b, "claire", claire.id, 0);
	/* "--by claire" with another account's key: a valid signature, the wrong key. */
	decide_op(&op, 1, "claire", DECISION_V1, NULL);
	sign_op(b, &mallory, &op);
	assert_true(sign_op_signature_ok(b, &op));
	assert_int_equal(sign_op_status(b, &op, &why), SIGN_UNVERIFIED);
	assert_non_null(strstr(why.buf, "not the one the board lists for 'claire'"));
	/* A name the board lists no key for. */
	op_set(&op.by, "bob");
	sign_op(b, &mallory, &op);
	strbuf_reset(&why);
	assert_int_equal(sign_op_status(b, &op, &why), SIGN_UNVERIFIED);
	assert_non_null(strstr(why.buf, "lists no key for 'bob'"));
	/* No signature at all. */
	op_set(&op.key, NULL);
	op_set(&op.sig, NULL);
	strbuf_reset(&why);
	assert_int_equal(sign_op_status(b, &op, &why), SIGN_UNVERIFIED);
	assert_non_null(strstr(why.buf, "not signed"));
	/* A pair's operation has nothing to verify. */
	op.facilitator = false;
	assert_int_equal(sign_op_status(b, &op, NULL), SIGN_UNSIGNED);
	op_release(&op);
	sign_key_release(&claire);
	sign_key_release(&mallory);
	strbuf_release(&why);
	board_free(b);
}

/* --- Enrolment and the no-key rule ---------------------------------------------- */

static void test_no_key_rule(void **state)
{
	struct board *b = board_from(board_yaml);
	struct op op;

	(void)state;
	/* A board listing no key: facilitator operations keep their rights unsigned. */
	decide_op(&op, 1, "claire", DECISION_V1, NULL);
	assert_int_equal(sign_op_status(b, &op, NULL), SIGN_UNSIGNED);
	assert_false(sign_op_check(b, &op));
	assert_int_equal(op_apply(b, &op, NULL), RESULT_OK);
	assert_int_equal(sign_decision_status(b, &b->decisions[0], NULL), SIGN_UNSIGNED);
	/* Once a key is listed, the same decision no longer verifies. */
	board_add_key(b, "claire", "ed25519:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", 0);
	assert_int_equal(sign_decision_status(b, &b->decisions[0], NULL), SIGN_UNVERIFIED);
	op_release(&op);
	board_free(b);
}

static void test_enrolment(void **state)
{
	struct board *b = board_from(board_yaml);
	struct sign_key claire = SIGN_KEY_INIT, mallory = SIGN_KEY_INIT;
	struct op_list ops = OP_LIST_INIT;
	struct strbuf why = STRBUF_INIT;
	struct op op, copy;

	(void)state;
	key_of(&claire, "claire");
	key_of(&mallory, "mallory");
	/* No usable key on a board that lists none: unsigned, rights kept. */
	lock_op(&op, 1, "claire", true);
	assert_int_equal(sign_prepare_op(b, NULL, &op, &ops, &why), 0);
	assert_true(op.facilitator);
	assert_null(op.sig);
	assert_int_equal(ops.n, 0);
	/* The first facilitator change with a key lists it first, signed with it. */
	assert_int_equal(sign_prepare_op(b, &claire, &op, &ops, &why), 0);
	assert_int_equal(ops.n, 1);
	assert_int_equal(ops.v[0].kind, OP_KEY_ADD);
	assert_string_equal(ops.v[0].by, "claire");
	assert_string_equal(ops.v[0].key, claire.id);
	assert_int_equal(sign_op_status(b, &ops.v[0], NULL), SIGN_VERIFIED);
	assert_int_equal(b->nkeys, 1);
	assert_string_equal(board_find_key(b, "claire")->key, claire.id);
	assert_true(op.facilitator);
	assert_int_equal(sign_op_status(b, &op, NULL), SIGN_VERIFIED);
	assert_int_equal(op_apply_record(b, &op, &ops, NULL), RESULT_OK);
	/* Next time it is listed: no second key-add. */
	lock_op(&copy, 2, "claire", true);
	assert_int_equal(sign_prepare_op(b, &claire, &copy, &ops, &why), 0);
	assert_int_equal(ops.n, 2);
	op_release(&copy);

	/* Another account claiming the name: not signed so that it verifies. */
	decide_op(&copy, 2, "claire", DECISION_V1, NULL);
	assert_int_equal(sign_prepare_op(b, &mallory, &copy, &ops, &why), 1);
	assert_false(copy.facilitator);
	assert_non_null(strstr(why.buf, "another key for 'claire'"));
	assert_int_equal(op_apply(b, &copy, NULL), RESULT_REFUSED);
	op_release(&copy);
	/* Nor can it list its own key for that name. */
	memset(&copy, 0, sizeof(copy));
	copy.kind = OP_KEY_ADD;
	op_set(&copy.by, "claire");
	copy.facilitator = true;
	sign_op(b, &mallory, &copy);
	strbuf_reset(&why);
	assert_int_equal(sign_op_status(b, &copy, &why), SIGN_UNVERIFIED);
	assert_int_equal(op_apply(b, &copy, &why), RESULT_REFUSED);
	assert_int_equal(b->nkeys, 1);
	/* A key-add signed by another key than the one it adds: refused. */
	op_set(&copy.by, "bob");
	sign_op(b, &claire, &copy);
	op_set(&copy.key, mallory.id);
	assert_int_equal(sign_op_status(b, &copy, NULL), SIGN_UNVERIFIED);
	op_release(&copy);
	/* Without a key, on a board that lists keys: rights taken away, saying why. */
	decide_op(&copy, 2, "claire", DECISION_V1, NULL);
	strbuf_reset(&why);
	assert_int_equal(sign_prepare_op(b, NULL, &copy, &ops, &why), 1);
	assert_false(copy.facilitator);
	assert_non_null(strstr(why.buf, "cannot be signed"));
	op_release(&copy);

	op_release(&op);
	op_list_release(&ops);
	sign_key_release(&claire);
	sign_key_release(&mallory);
	strbuf_release(&why);
	board_free(b);
}

/* --- Journal lines: every instance takes the same decision ---------------------- */

struct prepared {
	struct sign_key *key;
	struct op *op;
};

/* A change as an instance makes it: signed first (sign_prepare_op()). */
static int apply_prepared(struct board *b, struct op_list *ops, void *data)
{
	struct prepared *p = data;
	struct strbuf why = STRBUF_INIT;

	sign_prepare_op(b, p->key, p->op, ops, &why);
	strbuf_release(&why);
	return op_apply_record(b, p->op, ops, NULL) < 0 ? RESULT_REFUSED : RESULT_OK;
}

static void append_line(const struct board *b, const struct op *op)
{
	struct strbuf line = STRBUF_INIT, framed = STRBUF_INIT;
	char jpath[160];
	int fd;

	store_format_op(b, op, &line);
	journal_frame(&framed, line.buf, line.len);
	snprintf(jpath, sizeof(jpath), "%s/.board.yaml.journal", dir);
	fd = open(jpath, O_WRONLY | O_APPEND);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, framed.buf, framed.len), (ssize_t)framed.len);
	close(fd);
	strbuf_release(&line);
	strbuf_release(&framed);
}

static void open_ok(struct session *s, enum session_mode mode)
{
	struct store_errors err;

	store_errors_init(&err, path);
	assert_int_equal(session_open(s, path, mode, &err), RESULT_OK);
	store_errors_release(&err);
}

static void test_unsigned_line_is_a_pairs_everywhere(void **state)
{
	struct sign_key claire = SIGN_KEY_INIT, mallory = SIGN_KEY_INIT;
	struct strbuf err = STRBUF_INIT;
	struct session live, r1, r2;
	struct prepared p;
	struct op op;
	char *s1, *s2, *s3;
	FILE *f;

	(void)state;
	f = fopen(path, "w");
	fputs(board_yaml, f);
	fclose(f);
	key_of(&claire, "claire");
	key_of(&mallory, "mallory");
	/* Claire's instance, live: enrols and locks card 1 (both in the journal). */
	open_ok(&live, SESSION_LIVE);
	lock_op(&op, 1, "claire", true);
	p.key = &claire;
	p.op = &op;
	assert_int_equal(session_update(&live, apply_prepared, &p, &err), RESULT_OK);
	op_release(&op);
	assert_true(card_n(live.board, 1)->locked);

	/* Someone appends lines with a right CRC and fac: true, as claire. */
	decide_op(&op, 2, "claire", DECISION_V1, "forged");
	append_line(live.board, &op);        /* unsigned */
	op_release(&op);
	lock_op(&op, 1, "claire", false);
	sign_op(live.board, &mallory, &op);  /* signed, by another key */
	append_line(live.board, &op);
	op_release(&op);

	/* Two fresh replays and the live instance decide alike: refused. */
	open_ok(&r1, SESSION_READ);
	open_ok(&r2, SESSION_READ);
	assert_true(session_poll(&live, &err) >= 0);
	assert_int_equal(r1.unverified, 2);
	assert_int_equal(r2.unverified, 2);
	assert_int_equal(r1.refused, 2);
	assert_int_equal(live.unverified, 2);
	assert_int_equal(card_n(r1.board, 2)->decision, DECISION_UNDECIDED);
	assert_true(card_n(r1.board, 1)->locked);
	assert_int_equal(r1.board->ndecisions, 0);
	s1 = yaml_of(r1.board);
	s2 = yaml_of(r2.board);
	s3 = yaml_of(live.board);
	assert_string_equal(s1, s2);
	assert_string_equal(s1, s3);
	free(s1);
	free(s2);
	free(s3);
	session_close(&r1, NULL);
	session_close(&r2, NULL);

	/* Claire's own decision, signed, goes through everywhere. */
	decide_op(&op, 2, "claire", DECISION_V1, "Un local existe déjà");
	assert_int_equal(session_update(&live, apply_prepared, &p, &err), RESULT_OK);
	op_release(&op);
	open_ok(&r1, SESSION_READ);
	assert_int_equal(card_n(r1.board, 2)->decision, DECISION_V1);
	assert_int_equal(r1.unverified, 2);
	assert_int_equal(sign_decision_status(r1.board, &r1.board->decisions[0], NULL),
			 SIGN_VERIFIED);
	session_close(&r1, NULL);
	session_close(&live, NULL);
	sign_key_release(&claire);
	sign_key_release(&mallory);
	strbuf_release(&err);
}

/* --- Decisions in the board file ---------------------------------------------------- */

/* A board where claire decided card 1, signed, saved as YAML. */
static char *decided_board(struct sign_key *claire)
{
	struct board *b = board_from(board_yaml);
	struct op_list ops = OP_LIST_INIT;
	struct strbuf why = STRBUF_INIT;
	struct op op;
	char *yaml;

	key_of(claire, "claire");
	decide_op(&op, 1, "claire", DECISION_V1, "Un local existe déjà");
	assert_int_equal(sign_prepare_op(b, claire, &op, &ops, &why), 0);
	assert_int_equal(op_apply_record(b, &op, &ops, &why), RESULT_OK);
	assert_string_equal(b->decisions[0].key, claire->id);
	assert_string_equal(b->decisions[0].text, "Réception de colis");
	yaml = yaml_of(b);
	op_release(&op);
	op_list_release(&ops);
	strbuf_release(&why);
	board_free(b);
	return yaml;
}

/* Replaces the first 'from' of s by 'to' (same length or not), in a new string. */
static char *edited(const char *s, const char *from, const char *to)
{
	const char *at = strstr(s, from);
	struct strbuf sb = STRBUF_INIT;

	assert_non_null(at);
	strbuf_add(&sb, s, (size_t)(at - s));
	strbuf_addstr(&sb, to);
	strbuf_addstr(&sb, at + strlen(from));
	return strbuf_detach(&sb, NULL);
}

static void test_decision_verifies_after_save_and_load(void **state)
{
	struct sign_key claire = SIGN_KEY_INIT;
	const struct decision_entry *d;
	char *yaml = decided_board(&claire), *again;
	struct board *b = board_from(yaml);

	(void)state;
	assert_non_null(strstr(yaml, "facilitator_keys:\n  - name: claire\n"));
	assert_non_null(strstr(yaml, "    rationale: Un local existe déjà\n    key: ed25519:"));
	assert_non_null(strstr(yaml, "\n    sig: "));
	assert_int_equal(b->nkeys, 1);
	assert_int_equal(b->ndecisions, 1);
	/* No journal: the entry alone is verified again. */
	assert_int_equal(sign_decision_status(b, &b->decisions[0], NULL), SIGN_VERIFIED);
	assert_int_equal(sign_card_decision(b, card_n(b, 1), &d, NULL), SIGN_VERIFIED);
	assert_ptr_equal(d, &b->decisions[0]);
	/* Loading then saving changes nothing. */
	again = yaml_of(b);
	assert_string_equal(again, yaml);
	free(again);
	board_free(b);
	free(yaml);
	sign_key_release(&claire);
}

/* sign_last_entries() finds for every card the entry sign_card_decision() finds. */
static void test_last_entries(void **state)
{
	static const enum decision to[] = { DECISION_V1, DECISION_V2, DECISION_ELSEWHERE };
	struct board *b = board_new("t");
	const struct decision_entry **last, *d;
	struct card *cards[6];
	uuid_t id;
	size_t i;

	(void)state;
	assert_int_equal(board_add_theme(b, "t", "T", 0), 0);
	for (i = 0; i < 6; i++) {
		card_id(id, 6 - (int)i); /* not in id order */
		assert_non_null(cards[i] = board_add_card(b, id, "carte", 0));
	}
	last = sign_last_entries(b);
	for (i = 0; i < 6; i++)
		assert_null(last[i]);
	free(last);
	/* Cards 0 and 3 decided three times, card 4 once, the others never. */
	for (i = 0; i < 7; i++)
		assert_int_equal(board_decide(b, cards[i == 6 ? 4 : i % 2 * 3], to[i % 3],
					      1561720930 + (time_t)i, "claire", NULL), RESULT_OK);
	last = sign_last_entries(b);
	for (i = 0; i < 6; i++) {
		sign_card_decision(b, cards[i], &d, NULL);
		assert_ptr_equal(last[i], d);
		assert_true((d != NULL) == (i == 0 || i == 3 || i == 4));
	}
	free(last);
	board_free(b);
}

static void test_hand_edited_decision_fails(void **state)
{
	struct sign_key claire = SIGN_KEY_INIT;
	struct strbuf why = STRBUF_INIT;
	const struct decision_entry *d;
	char *yaml = decided_board(&claire), *hand;
	struct board *b;

	(void)state;
	/* Another rationale. */
	hand = edited(yaml, "rationale: Un local existe déjà", "rationale: Un local n’existe pas");
	b = board_from(hand);
	assert_int_equal(sign_decision_status(b, &b->decisions[0], &why), SIGN_UNVERIFIED);
	assert_non_null(strstr(why.buf, "does not match"));
	assert_int_equal(sign_card_decision(b, card_n(b, 1), &d, NULL), SIGN_UNVERIFIED);
	board_free(b);
	free(hand);
	/* Another card's text in the log. */
	hand = edited(yaml, "    text: Réception de colis\n    from", "    text: Vélos\n    from");
	b = board_from(hand);
	assert_int_equal(sign_decision_status(b, &b->decisions[0], NULL), SIGN_UNVERIFIED);
	board_free(b);
	free(hand);
	/* Another signer. */
	hand = edited(yaml, "    by: claire\n", "    by: alice\n");
	b = board_from(hand);
	assert_int_equal(sign_decision_status(b, &b->decisions[0], NULL), SIGN_UNVERIFIED);
	board_free(b);
	free(hand);
	/* The card's decision changed, its entry not. */
	hand = edited(yaml, "decision: v1", "decision: v2");
	b = board_from(hand);
	assert_int_equal(sign_decision_status(b, &b->decisions[0], NULL), SIGN_VERIFIED);
	strbuf_reset(&why);
	assert_int_equal(sign_card_decision(b, card_n(b, 1), &d, &why), SIGN_UNVERIFIED);
	assert_string_equal(why.buf, "the decision log says v1");
	board_free(b);
	free(hand);
	/* An entry written by hand, without a signature. */
	hand = edited(yaml, "\ndecisions:\n", "\ndecisions:\n"
		      "  - at: 2019-06-28T11:30:00Z\n"
		      "    by: claire\n"
		      "    card: 00000000-0000-4000-8000-000000000002\n"
		      "    text: Vélos\n"
		      "    from: undecided\n"
		      "    to: elsewhere\n");
	b = board_from(hand);
	strbuf_reset(&why);
	assert_int_equal(sign_decision_status(b, &b->decisions[0], &why), SIGN_UNVERIFIED);
	assert_string_equal(why.buf, "it is not signed");
	assert_int_equal(sign_decision_status(b, &b->decisions[1], NULL), SIGN_VERIFIED);
	board_free(b);
	free(hand);
	free(yaml);
	sign_key_release(&claire);
	strbuf_release(&why);
}

/* Merging boards: the keys are united, the first board's winning for a name. */
static void test_merge_keeps_keys(void **state)
{
	struct sign_key claire = SIGN_KEY_INIT, other = SIGN_KEY_INIT;
	struct board_lines none = { NULL, NULL, NULL };
	struct merge_stats st = { 0 };
	struct store_errors err;
	char *yaml = decided_board(&claire);
	struct board *a = board_from(board_yaml), *b = board_from(yaml);

	(void)state;
	key_of(&other, "other");
	board_add_key(a, "claire", other.id, 0);
	board_add_key(a, "bob", other.id, 0);
	store_errors_init(&err, "m");
	/* B's decision, signed by claire's real key, into A that lists another for her. */
	assert_int_equal(merge_board(a, "A", &none, b, "B", &none, 5, &st, &err), 0);
	assert_int_equal(a->nkeys, 2);
	assert_string_equal(board_find_key(a, "claire")->key, other.id);
	assert_int_equal(sign_decision_status(a, &a->decisions[0], NULL), SIGN_UNVERIFIED);
	board_free(a);
	/* Into a board without keys, the keys come along and it verifies. */
	a = board_from(board_yaml);
	assert_int_equal(merge_board(a, "A", &none, b, "B", &none, 5, &st, &err), 0);
	assert_string_equal(board_find_key(a, "claire")->key, claire.id);
	assert_int_equal(sign_decision_status(a, &a->decisions[0], NULL), SIGN_VERIFIED);
	store_errors_release(&err);
	board_free(a);
	board_free(b);
	free(yaml);
	sign_key_release(&claire);
	sign_key_release(&other);
}

/* --- The file format ------------------------------------------------------------------ */

static void test_store_refuses_bad_signatures(void **state)
{
	static const char *const lines[] = {
		"{op: lock, at: 2019-06-28T11:00:00Z, by: \"c\", fac: true, "
		"card: 00000000-0000-4000-8000-000000000001, value: 1, key: \"ed25519:AAAA\", "
		"sig: \"QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl9gYWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4e"
		"Xp7fH1+fw==\"}",
		"{op: lock, at: 2019-06-28T11:00:00Z, by: \"c\", fac: true, "
		"card: 00000000-0000-4000-8000-000000000001, value: 1, "
		"key: \"ed25519:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\"}",
		"{op: lock, at: 2019-06-28T11:00:00Z, by: \"c\", fac: true, "
		"card: 00000000-0000-4000-8000-000000000001, value: 1, "
		"key: \"ed25519:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\", sig: \"nope\"}",
		"{op: key-add, at: 2019-06-28T11:00:00Z, by: \"c\", fac: true}",
		"{op: key-add, at: 2019-06-28T11:00:00Z, fac: true, "
		"key: \"ed25519:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\", "
		"sig: \"QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl9gYWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4e"
		"Xp7fH1+fw==\"}",
		"{op: key-add, at: 2019-06-28T11:00:00Z, by: \"c\", fac: true, card: "
		"00000000-0000-4000-8000-000000000001, "
		"key: \"ed25519:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\", "
		"sig: \"QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl9gYWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4e"
		"Xp7fH1+fw==\"}",
	};
	static const char *const why[] = {
		"'key' must be a public key", "'key' and 'sig' go together",
		"'sig' must be a signature", "missing key 'key' in a 'key-add'",
		"missing key 'by' in a 'key-add'", "'card' is not used by a 'key-add'",
	};
	static const char *const boards[] = {
		"facilitator_keys:\n  - {name: c, key: \"ed25519:AAAA\"}\n",
		"facilitator_keys:\n  - {name: c, key: \"ed25519:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\"}\n"
		"  - {name: c, key: \"ed25519:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\"}\n",
		"facilitator_keys:\n  - {key: \"ed25519:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\"}\n",
		"decisions:\n  - {at: 2019-06-28T11:00:00Z, card: 00000000-0000-4000-8000-000000000001, "
		"text: x, from: undecided, to: v1, key: \"ed25519:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\"}\n",
	};
	static const char *const board_why[] = {
		"'key' must be a public key", "duplicate facilitator key for 'c'",
		"missing key 'name' in a facilitator key", "'key' and 'sig' go together",
	};
	struct board *b = board_from(board_yaml);
	struct strbuf err = STRBUF_INIT, yaml = STRBUF_INIT, msg = STRBUF_INIT;
	struct store_errors errs;
	struct board *out = NULL;
	struct op op;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		strbuf_reset(&err);
		assert_int_equal(store_parse_op(b, lines[i], strlen(lines[i]), &op, &err), -1);
		if (!strstr(err.buf, why[i])) {
			print_message("line %zu: %s\n", i, err.buf);
			fail();
		}
	}
	for (i = 0; i < sizeof(boards) / sizeof(boards[0]); i++) {
		strbuf_reset(&yaml);
		strbuf_reset(&msg);
		strbuf_addstr(&yaml, board_yaml);
		strbuf_addstr(&yaml, boards[i]);
		store_errors_init(&errs, "b.yaml");
		assert_int_equal(store_parse(yaml.buf, yaml.len, &out, &errs), -1);
		store_errors_format(&errs, &msg);
		if (!strstr(msg.buf, board_why[i])) {
			print_message("board %zu: %s\n", i, msg.buf);
			fail();
		}
		store_errors_release(&errs);
	}
	strbuf_release(&err);
	strbuf_release(&yaml);
	strbuf_release(&msg);
	board_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_key_made_private, setup, teardown),
		cmocka_unit_test_setup_teardown(test_key_not_a_regular_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sign_verify_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_added_card_verifies, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tampered_line_fails, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unlisted_key_fails, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_key_rule, setup, teardown),
		cmocka_unit_test_setup_teardown(test_enrolment, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unsigned_line_is_a_pairs_everywhere, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_decision_verifies_after_save_and_load, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_last_entries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hand_edited_decision_fails, setup, teardown),
		cmocka_unit_test_setup_teardown(test_merge_keeps_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_refuses_bad_signatures, setup, teardown),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
