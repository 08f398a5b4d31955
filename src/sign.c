#include "sign.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "i18n.h"
#include "store.h"
#include "xmalloc.h"

#define SIGN_KEY_FILE_MAX 4096 /* bytes: a key file is about 150 */

/* libsodium once; every entry point that uses it calls this first. */
static void sign_init(void)
{
	static bool done;

	if (done)
		return;
	/* Fails only without a source of randomness: nothing sane is left to do. */
	if (sodium_init() < 0) {
		fputs("tamis: cannot initialise libsodium\n", stderr);
		exit(71);
	}
	done = true;
}

/* Decodes exactly len bytes of canonical base64 (one spelling per value). */
static bool sign_base64_decode(const char *s, unsigned char *out, size_t len)
{
	char again[SIGN_SIG_LEN + 1];
	const char *end;
	size_t n;

	if (!s || strlen(s) != sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL) - 1 ||
	    sodium_base642bin(out, len, s, strlen(s), NULL, &n, &end,
			      sodium_base64_VARIANT_ORIGINAL) < 0 ||
	    n != len || *end)
		return false;
	/* Unused low bits of the last character make other spellings: refused. */
	sodium_bin2base64(again, sizeof(again), out, len, sodium_base64_VARIANT_ORIGINAL);
	return !strcmp(again, s);
}

static bool sign_key_decode(const char *id, unsigned char pk[32])
{
	sign_init();
	return id && !strncmp(id, SIGN_KEY_PREFIX, strlen(SIGN_KEY_PREFIX)) &&
	       sign_base64_decode(id + strlen(SIGN_KEY_PREFIX), pk, 32);
}

bool sign_key_id_valid(const char *id)
{
	unsigned char pk[32];

	return sign_key_decode(id, pk);
}

bool sign_sig_valid(const char *sig)
{
	unsigned char raw[64];

	sign_init();
	return sign_base64_decode(sig, raw, sizeof(raw));
}

void sign_fingerprint(const char *id, char out[SIGN_FINGERPRINT_LEN + 1])
{
	unsigned char pk[32], h[32];

	if (!sign_key_decode(id, pk)) {
		strcpy(out, "?");
		return;
	}
	crypto_generichash(h, sizeof(h), pk, sizeof(pk), NULL, 0);
	sodium_bin2hex(out, SIGN_FINGERPRINT_LEN + 1, h, SIGN_FINGERPRINT_LEN / 2);
}

/* --- The key file ------------------------------------------------------------ */

static int sign_fail(struct sign_key *k, struct strbuf *err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int sign_fail(struct sign_key *k, struct strbuf *err, const char *fmt, ...)
{
	struct strbuf msg = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&msg, fmt, ap);
	va_end(ap);
	if (err)
		strbuf_addstr(err, msg.buf);
	free(k->problem);
	k->problem = strbuf_detach(&msg, NULL);
	k->ok = false;
	return -1;
}

char *sign_key_dir(struct strbuf *err)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	struct strbuf sb = STRBUF_INIT;

	if (xdg && xdg[0] == '/')
		strbuf_addf(&sb, "%s/tamis", xdg);
	else if (home && home[0] == '/')
		strbuf_addf(&sb, "%s/.config/tamis", home);
	else {
		strbuf_addstr(err, _("no directory for your signing key: set HOME or "
				     "XDG_CONFIG_HOME"));
		return NULL;
	}
	return strbuf_detach(&sb, NULL);
}

/* Makes dir (mode 0700) unless it exists; 0 or -1 with errno. */
static int sign_mkdir(const char *dir)
{
	return mkdir(dir, 0700) < 0 && errno != EEXIST ? -1 : 0;
}

/* Makes the key directory and its parent when missing, and checks it. */
static int sign_key_dir_ready(struct sign_key *k, const char *dir, struct strbuf *err)
{
	char *parent = xstrndup(dir, (size_t)(strrchr(dir, '/') - dir));
	struct stat st;
	int r;

	r = sign_mkdir(parent);
	free(parent);
	if (r < 0 || sign_mkdir(dir) < 0 || stat(dir, &st) < 0)
		return sign_fail(k, err, _("cannot make the directory of your signing key '%s': %s"),
				 dir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return sign_fail(k, err, _("'%s' is not a directory"), dir);
	if (st.st_uid != geteuid())
		return sign_fail(k, err, _("the directory of your signing key '%s' belongs to "
					   "another user"), dir);
	if (st.st_mode & 022)
		return sign_fail(k, err, _("others can write to the directory of your signing key "
					   "'%s' (mode %04o): run chmod 700 '%s'"),
				 dir, (unsigned)(st.st_mode & 07777), dir);
	return 0;
}

/* Fills k from a seed. */
static void sign_key_from_seed(struct sign_key *k, const unsigned char seed[32])
{
	char b64[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_ORIGINAL)];

	crypto_sign_seed_keypair(k->pk, k->sk, seed);
	sodium_bin2base64(b64, sizeof(b64), k->pk, sizeof(k->pk), sodium_base64_VARIANT_ORIGINAL);
	snprintf(k->id, sizeof(k->id), "%s%s", SIGN_KEY_PREFIX, b64);
	free(k->problem);
	k->problem = NULL;
	k->ok = true;
}

/* A new key in a new file at path (never over an existing one). */
static int sign_key_create(struct sign_key *k, const char *path, struct strbuf *err)
{
	unsigned char seed[32];
	char b64[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_ORIGINAL)];
	struct strbuf data = STRBUF_INIT, why = STRBUF_INIT;
	int r, saved;

	randombytes_buf(seed, sizeof(seed));
	sign_key_from_seed(k, seed);
	sodium_bin2base64(b64, sizeof(b64), seed, sizeof(seed), sodium_base64_VARIANT_ORIGINAL);
	strbuf_addf(&data, "# tamis: the key that signs this account's facilitator operations.\n"
		    "# Keep it secret; the boards list its public key.\n"
		    "seed: %s\npublic: %s\n", b64, k->id);
	r = file_create_mode(path, data.buf, data.len, 0600, &why);
	saved = errno;
	sodium_memzero(seed, sizeof(seed));
	sodium_memzero(b64, sizeof(b64));
	sodium_memzero(data.buf, data.len);
	strbuf_release(&data);
	if (r < 0) {
		sodium_memzero(k->sk, sizeof(k->sk));
		k->ok = false;
		/* Another instance making it at the same time is no failure. */
		if (saved != EEXIST)
			sign_fail(k, err, "%s", why.buf);
	}
	strbuf_release(&why);
	errno = saved;
	return r;
}

/* Reads the key file's lines into k. */
static int sign_key_parse(struct sign_key *k, const char *path, char *data, struct strbuf *err)
{
	unsigned char seed[32];
	const char *public = NULL;
	bool have_seed = false;
	char *line, *next;
	int n = 0;

	for (line = data; *line; line = next) {
		next = line + strcspn(line, "\n");
		if (*next)
			*next++ = '\0';
		n++;
		if (!*line || *line == '#')
			continue;
		if (!strncmp(line, "seed: ", 6) && !have_seed &&
		    sign_base64_decode(line + 6, seed, sizeof(seed)))
			have_seed = true;
		else if (!strncmp(line, "public: ", 8) && !public)
			public = line + 8;
		else
			return sign_fail(k, err, _("'%s' is not a tamis signing key (line %d)"), path, n);
	}
	if (!have_seed)
		return sign_fail(k, err, _("'%s' is not a tamis signing key (no seed)"), path);
	sign_key_from_seed(k, seed);
	sodium_memzero(seed, sizeof(seed));
	if (public && strcmp(public, k->id)) {
		sodium_memzero(k->sk, sizeof(k->sk));
		return sign_fail(k, err, _("'%s' is damaged: its public key is not its seed's"), path);
	}
	return 0;
}

int sign_key_load_file(struct sign_key *k, const char *path, bool create, struct strbuf *err)
{
	char buf[SIGN_KEY_FILE_MAX + 1];
	struct strbuf why = STRBUF_INIT;
	struct stat st;
	long n;
	size_t len = 0;
	int fd, r, tries = 0;

	sign_init();
	sign_key_release(k);
again:
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT && create && tries++ == 0) {
		if (sign_key_create(k, path, err) == 0)
			return 0;
		if (errno != EEXIST)
			return -1;
		goto again; /* another instance made it at the same time: use theirs */
	}
	if (fd < 0 && errno == ELOOP)
		return sign_fail(k, err, _("your signing key '%s' is a symbolic link, not a regular "
					   "file"), path);
	if (fd < 0)
		return sign_fail(k, err, _("cannot open your signing key '%s': %s"), path,
				 strerror(errno));
	if (fstat(fd, &st) < 0) {
		r = sign_fail(k, err, _("cannot open your signing key '%s': %s"), path,
			      strerror(errno));
	} else if (!S_ISREG(st.st_mode)) {
		r = sign_fail(k, err, _("your signing key '%s' is not a regular file"), path);
	} else if (st.st_uid != geteuid()) {
		r = sign_fail(k, err, _("your signing key '%s' belongs to another user"), path);
	} else if (st.st_mode & 077) {
		r = sign_fail(k, err, _("others can read your signing key '%s' (mode %04o): run "
					"chmod 600 '%s'"),
			      path, (unsigned)(st.st_mode & 07777), path);
	} else if (st.st_size > SIGN_KEY_FILE_MAX) {
		r = sign_fail(k, err, _("'%s' is not a tamis signing key (too large)"), path);
	} else {
		while ((n = file_read_some(fd, path, buf + len, SIGN_KEY_FILE_MAX - len, &why)) > 0)
			len += (size_t)n;
		buf[len] = '\0';
		if (n < 0)
			r = sign_fail(k, err, "%s", why.buf);
		else if (memchr(buf, '\0', len))
			r = sign_fail(k, err, _("'%s' is not a tamis signing key"), path);
		else
			r = sign_key_parse(k, path, buf, err);
	}
	sodium_memzero(buf, sizeof(buf));
	strbuf_release(&why);
	close(fd);
	return r;
}

int sign_key_load(struct sign_key *k, struct strbuf *err)
{
	struct strbuf why = STRBUF_INIT;
	char *dir = sign_key_dir(&why), *path;
	int r;

	sign_key_release(k);
	if (!dir) {
		r = sign_fail(k, err, "%s", why.buf);
		strbuf_release(&why);
		return r;
	}
	strbuf_release(&why);
	if (sign_key_dir_ready(k, dir, err) < 0) {
		free(dir);
		return -1;
	}
	path = xmalloc(strlen(dir) + sizeof(SIGN_KEY_FILE) + 1);
	sprintf(path, "%s/%s", dir, SIGN_KEY_FILE);
	r = sign_key_load_file(k, path, true, err);
	free(path);
	free(dir);
	return r;
}

void sign_key_release(struct sign_key *k)
{
	sodium_memzero(k->sk, sizeof(k->sk));
	free(k->problem);
	memset(k, 0, sizeof(*k));
}

/* --- Operations ---------------------------------------------------------------- */

void sign_op_canonical(const struct board *b, const struct op *op, struct strbuf *out)
{
	struct op bare = *op; /* shallow: store_format_op() only reads */

	bare.key = NULL;
	bare.sig = NULL;
	store_format_op(b, &bare, out);
}

void sign_op(const struct board *b, const struct sign_key *k, struct op *op)
{
	struct strbuf line = STRBUF_INIT;
	unsigned char sig[64];
	char b64[SIGN_SIG_LEN + 1];

	sign_init();
	sign_op_canonical(b, op, &line);
	crypto_sign_detached(sig, NULL, (const unsigned char *)line.buf, line.len, k->sk);
	sodium_bin2base64(b64, sizeof(b64), sig, sizeof(sig), sodium_base64_VARIANT_ORIGINAL);
	op_set(&op->key, k->id);
	op_set(&op->sig, b64);
	strbuf_release(&line);
}

bool sign_op_signature_ok(const struct board *b, const struct op *op)
{
	struct strbuf line = STRBUF_INIT;
	unsigned char pk[32], sig[64];
	bool ok;

	sign_init();
	if (!sign_key_decode(op->key, pk) || !sign_base64_decode(op->sig, sig, sizeof(sig)))
		return false;
	sign_op_canonical(b, op, &line);
	ok = crypto_sign_verify_detached(sig, (const unsigned char *)line.buf, line.len, pk) == 0;
	strbuf_release(&line);
	return ok;
}

const char *sign_status_name(enum sign_status status)
{
	switch (status) {
	case SIGN_VERIFIED: return _("verified");
	case SIGN_UNVERIFIED: return _("unverified");
	default: return _("not signed");
	}
}

static enum sign_status sign_unverified(struct strbuf *why, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static enum sign_status sign_unverified(struct strbuf *why, const char *fmt, ...)
{
	va_list ap;

	if (why) {
		va_start(ap, fmt);
		strbuf_vaddf(why, fmt, ap);
		va_end(ap);
	}
	return SIGN_UNVERIFIED;
}

/* Whether op, signed by the key listed for its maker, verifies (b lists keys). */
static enum sign_status sign_listed(const struct board *b, const struct op *op,
				    struct strbuf *why)
{
	const struct facilitator_key *listed;
	char fp[SIGN_FINGERPRINT_LEN + 1];

	if (!op->by)
		return sign_unverified(why, "%s", _("it names nobody"));
	if (!op->key || !op->sig)
		return sign_unverified(why, "%s", _("it is not signed"));
	listed = board_find_key(b, op->by);
	if (!listed)
		return sign_unverified(why, _("the board lists no key for '%s'"), op->by);
	if (strcmp(listed->key, op->key)) {
		sign_fingerprint(op->key, fp);
		return sign_unverified(why, _("signed with key %s, not the one the board lists for "
					      "'%s'"),
				       fp, op->by);
	}
	if (!sign_op_signature_ok(b, op))
		return sign_unverified(why, "%s", _("the signature does not match"));
	return SIGN_VERIFIED;
}

enum sign_status sign_op_status(const struct board *b, const struct op *op, struct strbuf *why)
{
	const struct facilitator_key *listed;

	if (!op->facilitator)
		return SIGN_UNSIGNED;
	if (op->kind == OP_KEY_ADD) {
		/* Self-signed: whoever adds a key shows they hold it. */
		if (!op->by)
			return sign_unverified(why, "%s", _("it names nobody"));
		if (!sign_op_signature_ok(b, op))
			return sign_unverified(why, "%s", _("the signature does not match"));
		listed = board_find_key(b, op->by);
		if (listed && strcmp(listed->key, op->key))
			return sign_unverified(why, _("the board lists another key for '%s'"), op->by);
		return SIGN_VERIFIED;
	}
	if (!b->nkeys)
		return SIGN_UNSIGNED; /* the no-key rule */
	return sign_listed(b, op, why);
}

bool sign_op_check(const struct board *b, struct op *op)
{
	if (sign_op_status(b, op, NULL) != SIGN_UNVERIFIED)
		return false;
	op->facilitator = false;
	return true;
}

/* Takes op's facilitator rights away (it could not be signed), saying why. */
static int sign_drop(struct op *op, struct strbuf *why, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int sign_drop(struct op *op, struct strbuf *why, const char *fmt, ...)
{
	va_list ap;

	op->facilitator = false;
	va_start(ap, fmt);
	strbuf_vaddf(why, fmt, ap);
	va_end(ap);
	return 1;
}

int sign_prepare_op(struct board *b, const struct sign_key *k, struct op *op,
		    struct op_list *ops, struct strbuf *why)
{
	const struct facilitator_key *listed;
	char fp[SIGN_FINGERPRINT_LEN + 1];
	struct card *card;

	op_set(&op->key, NULL);
	op_set(&op->sig, NULL);
	if (!op->facilitator)
		return 0;
	if (!k || !k->ok) {
		if (!b->nkeys)
			return 0; /* the no-key rule: unsigned, as before signatures */
		return sign_drop(op, why, _("your facilitator changes cannot be signed: %s"),
				 k && k->problem ? k->problem : _("no signing key"));
	}
	if (!op->by) {
		if (!b->nkeys)
			return 0;
		return sign_drop(op, why, "%s", _("your facilitator changes cannot be signed "
						  "without your name (--by NAME)"));
	}
	listed = board_find_key(b, op->by);
	if (listed && strcmp(listed->key, k->id)) {
		sign_fingerprint(listed->key, fp);
		return sign_drop(op, why, _("the board lists another key for '%s' (%s), not "
					    "yours"),
				 op->by, fp);
	}
	if (!listed) {
		struct op *add = op_list_add(ops, OP_KEY_ADD, op->at, op->by);

		add->facilitator = true;
		sign_op(b, k, add);
		/* Cannot fail: the name has no key. Journalled before op. */
		op_apply(b, add, NULL);
	}
	if (op->kind == OP_DECIDE) {
		/* Normalised as the decision log keeps it, so the entry verifies. */
		if (op->text && !*op->text)
			op_set(&op->text, NULL);
		if ((card = board_find_card(b, op->card)))
			op_set(&op->text2, card->text);
	}
	sign_op(b, k, op);
	return 0;
}

/* --- Decisions ------------------------------------------------------------------ */

enum sign_status sign_decision_status(const struct board *b, const struct decision_entry *d,
				      struct strbuf *why)
{
	struct op op = OP_INIT;

	if (!d->sig && !b->nkeys)
		return SIGN_UNSIGNED;
	/* The decision as an operation: the line its maker signed. */
	op.kind = OP_DECIDE;
	op.at = d->at;
	op.by = d->by;
	op.facilitator = true;
	memcpy(op.card, d->card, sizeof(uuid_t));
	op.text = d->rationale;
	op.text2 = d->text;
	op.value = (int)d->to;
	op.key = d->key;
	op.sig = d->sig;
	return sign_listed(b, &op, why);
}

enum sign_status sign_card_decision(const struct board *b, const struct card *card,
				    const struct decision_entry **entry, struct strbuf *why)
{
	const struct decision_entry *d = NULL;
	struct strbuf entry_why = STRBUF_INIT;
	enum sign_status st;
	size_t i;

	for (i = b->ndecisions; i-- > 0;)
		if (!memcmp(b->decisions[i].card, card->id, sizeof(uuid_t))) {
			d = &b->decisions[i];
			break;
		}
	*entry = d;
	if (!d)
		return sign_card_entry_status(b, card, NULL, SIGN_UNSIGNED, why);
	st = sign_decision_status(b, d, &entry_why);
	st = sign_card_entry_status(b, card, d, st, &entry_why);
	if (why)
		strbuf_addstr(why, entry_why.buf);
	strbuf_release(&entry_why);
	return st;
}

/* The log's entries by card id, and for one card by position in the log. */
static int sign_entry_cmp(const void *x, const void *y)
{
	const struct decision_entry *a = *(const struct decision_entry *const *)x;
	const struct decision_entry *b = *(const struct decision_entry *const *)y;
	int c = memcmp(a->card, b->card, sizeof(uuid_t));

	return c ? c : (a > b) - (a < b);
}

static int sign_card_cmp(const void *key, const void *elt)
{
	const struct decision_entry *d = *(const struct decision_entry *const *)elt;

	return memcmp(key, d->card, sizeof(uuid_t));
}

const struct decision_entry **sign_last_entries(const struct board *b)
{
	const struct decision_entry **last = xcalloc(b->ncards ? b->ncards : 1, sizeof(*last));
	const struct decision_entry **byid, **found;
	size_t i, n = 0;

	if (!b->ndecisions)
		return last;
	byid = xreallocarray(NULL, b->ndecisions, sizeof(*byid));
	for (i = 0; i < b->ndecisions; i++)
		byid[i] = &b->decisions[i];
	qsort(byid, b->ndecisions, sizeof(*byid), sign_entry_cmp);
	/* Only the last entry of each card. */
	for (i = 0; i < b->ndecisions; i++)
		if (i + 1 == b->ndecisions ||
		    memcmp(byid[i]->card, byid[i + 1]->card, sizeof(uuid_t)))
			byid[n++] = byid[i];
	for (i = 0; i < b->ncards; i++)
		if ((found = bsearch(b->cards[i]->id, byid, n, sizeof(*byid), sign_card_cmp)))
			last[i] = *found;
	free(byid);
	return last;
}

enum sign_status sign_card_entry_status(const struct board *b, const struct card *card,
					const struct decision_entry *d, enum sign_status entry,
					struct strbuf *why)
{
	if (!d) {
		if (card->decision == DECISION_UNDECIDED || !b->nkeys)
			return SIGN_UNSIGNED;
		return sign_unverified(why, "%s", _("it is not in the decision log"));
	}
	if (d->to != card->decision && (b->nkeys || d->sig)) {
		if (why)
			strbuf_reset(why); /* the card's own reason, not its entry's */
		return sign_unverified(why, _("the decision log says %s"), decision_name(d->to));
	}
	return entry;
}
