/* fault.c - the storage fault of this thread (see fault.h). */
#include "core/fault.h"

static _Thread_local enum fault current;

void
fault_note(enum fault f)
{
	if (f == FAULT_NONE || current == FAULT_DAMAGED)
		return;
	current = f;
}

enum fault
fault_get(void)
{
	return current;
}

void
fault_clear(void)
{
	current = FAULT_NONE;
}
