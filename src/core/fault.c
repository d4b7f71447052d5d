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

const char *
fault_name(enum fault f)
{
	switch (f) {
	case FAULT_BUSY:
		return "busy";
	case FAULT_FULL:
		return "full";
	case FAULT_DAMAGED:
		return "damaged";
	default:
		return "none";
	}
}
