/*
 * sieve_index.h - the sieve's index of a board's cards (sieve.c), private to
 * the model: board.c keeps it as the cards change, through these hooks, so
 * that board_sieve() (board.h) never sorts the whole board again. Nothing
 * outside board.c and sieve.c includes this header.
 *
 * The index is owned by the board (board->sieve, NULL on a board that keeps
 * none: board_sieve() then builds one for the call).
 */
#ifndef TAMIS_SIEVE_INDEX_H
#define TAMIS_SIEVE_INDEX_H

#include "board.h"

struct sieve_index;

struct sieve_index *sieve_index_new(void);
void sieve_index_free(struct sieve_index *ix);
/* A card was added to b, or its text changed: it waits, unranked, for the next sieve. */
void sieve_index_added(const struct board *b, struct card *card);
/* A card is about to leave b. */
void sieve_index_removed(const struct board *b, const struct card *card);
/* A card of b was placed or moved: ranked again. */
void sieve_index_placed(const struct board *b, const struct card *card);

#endif
