/*
 * result.h - what a call that changes or opens something came to: one
 * convention for every layer (the model's changes, operations, live
 * sharing, the commands and the terminal board), and the one place that
 * turns it into an exit status.
 *
 * Such a function returns an enum result, as an int. Zero or more means it
 * was done, here at least; negative means nothing was done, and says why
 * (the reason, for a person, goes to the caller's err or why). So callers
 * test `r < 0` for "not done" and compare with the names, never with
 * numbers:
 *
 *   RESULT_OK          done (and, for a change through a session, durable)
 *   RESULT_UNCHANGED   nothing to do: it was so already (doing it twice is
 *                      harmless; nothing is recorded)
 *   RESULT_PENDING     done here, but it could not be written (disk full,
 *                      permissions...): kept and written later
 *   RESULT_QUEUED      done here while the board could not even be locked:
 *                      kept and written later, after the others' changes
 *   RESULT_REFUSED     it does not apply: a rule (a card locked, only the
 *                      facilitator...), a card deleted meanwhile, a cell
 *                      outside the grid
 *   RESULT_INVALID     the board file is not a valid board
 *   RESULT_NOINPUT     a file cannot be opened or read
 *   RESULT_IOERR       a file cannot be written
 *   RESULT_BUSY        the writers' lock was not obtained in time
 *   RESULT_ABANDONED   the caller's own change gave up (and said why)
 *
 * No I/O, no curses: the model and the unit tests use it as well.
 */
#ifndef TAMIS_RESULT_H
#define TAMIS_RESULT_H

enum result {
	RESULT_OK = 0,
	RESULT_UNCHANGED = 1,
	RESULT_PENDING = 2,
	RESULT_QUEUED = 3,
	RESULT_REFUSED = -1,
	RESULT_INVALID = -2,
	RESULT_NOINPUT = -3,
	RESULT_IOERR = -4,
	RESULT_BUSY = -5,
	RESULT_ABANDONED = -6,
};

/*
 * The exit status (sysexits(3)) of a command or of the terminal board that
 * ends with r: 0 for RESULT_OK and RESULT_UNCHANGED; 74 (EX_IOERR) for a
 * change done but not saved; 77 (EX_NOPERM) refused; 65 (EX_DATAERR)
 * invalid; 66 (EX_NOINPUT); 74 (EX_IOERR); 75 (EX_TEMPFAIL) busy; 1 for
 * RESULT_ABANDONED (whose caller knows better: it said why).
 */
int result_exit_status(int r);

#endif
