#include "result.h"

#include <sysexits.h>

int result_exit_status(int r)
{
	switch (r) {
	case RESULT_OK:
	case RESULT_UNCHANGED:
		return EX_OK;
	case RESULT_PENDING:
	case RESULT_QUEUED:
	case RESULT_IOERR:
		return EX_IOERR;
	case RESULT_REFUSED:
		return EX_NOPERM;
	case RESULT_INVALID:
		return EX_DATAERR;
	case RESULT_NOINPUT:
		return EX_NOINPUT;
	case RESULT_BUSY:
		return EX_TEMPFAIL;
	default:
		return 1;
	}
}
