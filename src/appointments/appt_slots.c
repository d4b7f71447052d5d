/* appt_slots.c - free slots: one sweep per agent over sorted opening,
 * blocked intervals and candidate starts, then a k-way merge of the
 * agents' sorted runs by start. */
#include "appointments/appt_slots.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int
appt_slot_query_check(const struct appt_slot_query *q)
{
	if (q == NULL || q->from >= q->to || q->duration_ms <= 0 ||
	    q->step_ms < 0 || q->min_delay_ms < 0 || q->max_delay_ms < 0)
		return -1;
	return 0;
}

/* Smallest k >= 0 with base + k * step >= t (step > 0). */
static int64_t
steps_to(int64_t base, int64_t step, int64_t t)
{
	if (t <= base)
		return 0;
	return (t - base + step - 1) / step;
}

size_t
appt_slots_agent(const struct appt_slot_query *q,
    const struct appt_agent_avail *a, int64_t *starts, size_t cap)
{
	int64_t step, lo, hi, dur;
	size_t i, j = 0, k = 0;

	if (appt_slot_query_check(q) != 0 || a == NULL)
		return 0;
	dur = q->duration_ms;
	step = q->step_ms > 0 ? q->step_ms : dur;
	/* Starts allowed: [lo, hi]. */
	lo = q->from;
	if (lo <= q->now)
		lo = q->now + 1;
	if (lo < q->now + q->min_delay_ms)
		lo = q->now + q->min_delay_ms;
	hi = q->to - 1;
	if (q->max_delay_ms > 0 && hi > q->now + q->max_delay_ms)
		hi = q->now + q->max_delay_ms;
	for (i = 0; i < a->n_open && lo <= hi; i++) {
		const struct appt_interval *o = &a->open[i];
		int64_t s;

		if (o->end - o->start < dur || o->end - dur < lo)
			continue;
		if (o->start > hi)
			break;
		s = o->start + steps_to(o->start, step, lo) * step;
		while (s <= hi && s + dur <= o->end) {
			while (j < a->n_blocked && a->blocked[j].end <= s)
				j++;
			if (j < a->n_blocked && a->blocked[j].start < s + dur) {
				/* Jump past the blocked interval. */
				s = o->start +
				    steps_to(o->start, step,
					a->blocked[j].end) *
					step;
				continue;
			}
			if (k < cap)
				starts[k] = s;
			k++;
			s += step;
		}
	}
	return k;
}

int
appt_slots_offers(const struct appt_slot_query *q,
    const struct appt_agent_avail *a, int64_t start)
{
	struct appt_slot_query one;
	int64_t got;

	if (appt_slot_query_check(q) != 0 || start < q->from || start >= q->to)
		return 0;
	one = *q;
	one.from = start;
	one.to = start + 1;
	return appt_slots_agent(&one, a, &got, 1) == 1 && got == start;
}

void
appt_slot_list_free(struct appt_slot_list *list)
{
	if (list == NULL)
		return;
	free(list->slots);
	free(list->agent_ids);
	memset(list, 0, sizeof(*list));
}

/* A run of one agent's starts in the pair buffer: [pos, end). */
struct run {
	size_t pos, end;
	int64_t agent_id;
};

/* Heap order: earlier start first, then smaller agent id. */
static int
run_before(const struct run *a, const struct run *b, const int64_t *starts)
{
	if (starts[a->pos] != starts[b->pos])
		return starts[a->pos] < starts[b->pos];
	return a->agent_id < b->agent_id;
}

static void
heap_down(struct run *h, size_t n, size_t i, const int64_t *starts)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		struct run t;

		if (l < n && run_before(&h[l], &h[m], starts))
			m = l;
		if (r < n && run_before(&h[r], &h[m], starts))
			m = r;
		if (m == i)
			return;
		t = h[i];
		h[i] = h[m];
		h[m] = t;
		i = m;
	}
}

/* Fills starts (a fresh buffer, *total entries) and runs (one per agent
 * with slots, *n_runs). Returns 0 or -1 with errno. */
static int
collect(const struct appt_slot_query *q, const struct appt_agent_avail *agents,
    size_t n, int64_t **starts, size_t *total, struct run *runs, size_t *n_runs)
{
	size_t i, cap = 0, used = 0, got;
	int64_t *buf = NULL, *grown;

	*n_runs = 0;
	for (i = 0; i < n; i++) {
		got = appt_slots_agent(q, &agents[i],
		    buf != NULL ? buf + used : NULL, cap - used);
		if (got > cap - used) {
			size_t want =
			    cap * 2 > used + got ? cap * 2 : used + got;

			if (used + got > APPT_SLOTS_MAX) {
				free(buf);
				errno = E2BIG;
				return -1;
			}
			if (want < 1024)
				want = 1024;
			if (want > APPT_SLOTS_MAX)
				want = APPT_SLOTS_MAX;
			grown = realloc(buf, want * sizeof(*buf));
			if (grown == NULL) {
				free(buf);
				errno = ENOMEM;
				return -1;
			}
			buf = grown;
			cap = want;
			appt_slots_agent(q, &agents[i], buf + used, cap - used);
		}
		if (got > 0) {
			runs[*n_runs].pos = used;
			runs[*n_runs].end = used + got;
			runs[*n_runs].agent_id = agents[i].agent_id;
			(*n_runs)++;
		}
		used += got;
	}
	*starts = buf;
	*total = used;
	return 0;
}

int
appt_slots_place(const struct appt_slot_query *q,
    const struct appt_agent_avail *agents, size_t n, struct appt_slot_list *out)
{
	struct run *heap = NULL;
	int64_t *starts = NULL;
	size_t total = 0, nh = 0, i;
	int err = 0;

	if (out == NULL || appt_slot_query_check(q) != 0 ||
	    (agents == NULL && n > 0)) {
		errno = EINVAL;
		return -1;
	}
	memset(out, 0, sizeof(*out));
	if (n == 0)
		return 0;
	heap = calloc(n, sizeof(*heap));
	if (heap == NULL) {
		errno = ENOMEM;
		return -1;
	}
	if (collect(q, agents, n, &starts, &total, heap, &nh) != 0) {
		err = errno;
		goto fail;
	}
	if (total == 0)
		goto done;
	out->agent_ids = malloc(total * sizeof(*out->agent_ids));
	out->slots = malloc(total * sizeof(*out->slots));
	if (out->agent_ids == NULL || out->slots == NULL) {
		err = ENOMEM;
		goto fail;
	}
	for (i = nh; i-- > 0;)
		heap_down(heap, nh, i, starts);
	while (nh > 0) {
		struct run *top = &heap[0];
		int64_t s = starts[top->pos];
		struct appt_place_slot *last =
		    out->n_slots > 0 ? &out->slots[out->n_slots - 1] : NULL;

		if (last == NULL || last->start != s) {
			last = &out->slots[out->n_slots++];
			last->start = s;
			last->first = out->n_agent_ids;
			last->n_agents = 0;
		}
		out->agent_ids[out->n_agent_ids++] = top->agent_id;
		last->n_agents++;
		if (++top->pos == top->end)
			heap[0] = heap[--nh];
		heap_down(heap, nh, 0, starts);
	}
done:
	free(starts);
	free(heap);
	return 0;
fail:
	free(starts);
	free(heap);
	appt_slot_list_free(out);
	errno = err;
	return -1;
}
