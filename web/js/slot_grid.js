// slot_grid.js - a week of free exam slots drawn as a grid, one per
// centre: the days as columns (each with its count of free places), the
// times as rows, a box to tick per slot the school may book now and the
// opening time of one it may not yet. On a narrow screen the same slots
// show one day at a time behind day tabs (no sideways scrolling). The
// ticked slots live in the caller's set, so a redraw (new counts from the
// server, a screen turned) keeps them and the focus.
import { h, icon, newId } from './dom.js';
import { dayName, parisDate, parisDay, parisTime, plural } from './school.js';

const narrow = window.matchMedia('(max-width: 47.99rem)');

// "Ouvre le 6 déc. à 14:30".
function opensText(t) {
	const d = new Date(t);
	return `Ouvre le ${d.toLocaleDateString('fr-FR', { timeZone: 'Europe/Paris', day: 'numeric', month: 'short' })} à ${parisTime(t)}`;
}

// « 8 places », « 8 places, dont 6 ouvertes », « aucune place ».
function countText(list) {
	if (!list.length)
		return 'aucune place';
	const open = list.filter((s) => s.bookable_now).length;
	return `${plural(list.length, 'place')}${open < list.length ? `, dont ${open} ouverte${open > 1 ? 's' : ''}` : ''}`;
}

// chosen: Set of ticked slot ids; onToggle() after a tick; onDay(day)
// when a day tab is chosen; onEnter() when Enter is pressed on a box (a
// box has no use for it: it adds the ticked slots without a trip through
// every other box to the basket's button).
export function slotGrid({ chosen, onToggle, onDay, onEnter }) {
	let state = null; // { box, slots, days, day, week }
	let current = ''; // the day shown on a narrow screen

	function pick(s) {
		if (!s.bookable_now)
			return h('span', { class: 'slot-closed' }, icon('clock'), ' ', opensText(s.opens_at));
		const id = `slot-${s.id}`;
		const box = h('input', { type: 'checkbox', id, value: String(s.id), 'data-slot': String(s.id) });
		box.checked = chosen.has(s.id);
		box.addEventListener('change', () => {
			if (box.checked)
				chosen.add(s.id);
			else
				chosen.delete(s.id);
			box.closest('.slot-pick').classList.toggle('checked', box.checked);
			onToggle();
		});
		box.addEventListener('keydown', (ev) => {
			if (ev.key === 'Enter' && onEnter) {
				ev.preventDefault();
				onEnter();
			}
		});
		// The name says the whole slot; the cell shows its category only.
		return h('label', { class: `slot-pick${box.checked ? ' checked' : ''}`, for: id }, box,
			h('span', { class: 'visually-hidden', text: `${parisDay(s.start_at)} à ${parisTime(s.start_at)}, ${s.centre}, catégorie ` }),
			h('span', { class: 'slot-cat', text: s.category }));
	}

	// The slots of list by centre: [[name, slots]], names in order.
	function byCentre(list) {
		const m = new Map();
		for (const s of list) {
			if (!m.has(s.centre_id))
				m.set(s.centre_id, { name: s.centre, list: [] });
			m.get(s.centre_id).list.push(s);
		}
		return [...m.values()].sort((a, b) => a.name.localeCompare(b.name, 'fr'));
	}

	function shownDays(list) {
		// Sunday only when it has slots: exams are rarely held then.
		return state.days.filter((d, i) => i < 6 || list.some((s) => parisDate(s.start_at) === d));
	}

	function table(centre) {
		const days = shownDays(state.slots);
		const times = [...new Set(centre.list.map((s) => parisTime(s.start_at)))].sort();
		const at = (d, t) => centre.list.filter((s) => parisDate(s.start_at) === d && parisTime(s.start_at) === t);
		const ofDay = (d) => centre.list.filter((s) => parisDate(s.start_at) === d);
		return h('table', { class: 'slot-grid' },
			h('caption', {}, h('span', { class: 'grid-centre', text: centre.name }),
				h('span', { class: 'hint', text: ` — ${plural(centre.list.length, 'place libre', 'places libres')} la semaine du ${dayName(state.week)}` })),
			h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: 'Heure' }),
				days.map((d) => h('th', { scope: 'col', 'data-day': d },
					h('span', { class: 'grid-day', text: dayName(d, true) }),
					h('span', { class: 'grid-count', text: countText(ofDay(d)) }))))),
			h('tbody', {}, times.map((t) => h('tr', {}, h('th', { scope: 'row', text: t }),
				days.map((d) => {
					const list = at(d, t);
					return h('td', { class: list.length ? '' : 'empty' }, list.map(pick));
				})))));
	}

	function tabs() {
		const days = shownDays(state.slots);
		if (!days.includes(current))
			current = days.find((d) => state.slots.some((s) => parisDate(s.start_at) === d)) || days[0];
		const panelId = newId('daypanel');
		const ofDay = (d) => state.slots.filter((s) => parisDate(s.start_at) === d);
		const buttons = days.map((d) => {
			const list = ofDay(d);
			const short = dayName(d, true).split(' ');
			return h('button', {
				type: 'button', role: 'tab', id: `tab-${d}`, 'data-day': d, 'aria-controls': panelId,
				'aria-selected': String(d === current), tabindex: d === current ? 0 : -1, class: list.length ? '' : 'none',
			},
			h('span', { 'aria-hidden': 'true', class: 'tab-day', text: short[0] }),
			h('span', { 'aria-hidden': 'true', class: 'tab-date', text: short[1] }),
			h('span', { 'aria-hidden': 'true', class: 'tab-count', text: String(list.length) }),
			h('span', { class: 'visually-hidden', text: `${dayName(d)} : ${countText(list)}` }));
		});
		const list = h('div', { class: 'day-tabs', role: 'tablist', 'aria-label': 'Jours de la semaine' }, buttons);
		list.addEventListener('keydown', (ev) => {
			const i = days.indexOf(current);
			const to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: days.length - 1 }[ev.key];
			if (to === undefined)
				return;
			ev.preventDefault();
			choose(days[(to + days.length) % days.length], true);
		});
		for (const b of buttons)
			b.addEventListener('click', () => choose(b.dataset.day, true));
		const groups = byCentre(ofDay(current));
		const panel = h('div', { id: panelId, role: 'tabpanel', class: 'day-panel', 'aria-labelledby': `tab-${current}` },
			groups.length
				? groups.map((c) => {
					const times = [...new Set(c.list.map((s) => parisTime(s.start_at)))].sort();
					return h('section', { class: 'day-centre' },
						h('h3', {}, c.name, h('span', { class: 'hint', text: ` — ${countText(c.list)}` })),
						h('ul', { class: 'day-times' }, times.map((t) => h('li', {},
							h('span', { class: 'day-time', text: t }),
							h('span', { class: 'day-picks' }, c.list.filter((s) => parisTime(s.start_at) === t).map(pick))))));
				})
				: h('p', { text: `Aucune place libre le ${dayName(current)}.` }));
		return [list, panel];
	}

	function choose(day, focus) {
		current = day;
		onDay(day);
		render();
		if (focus)
			state.box.querySelector(`[role="tab"][data-day="${day}"]`)?.focus();
	}

	function render() {
		const { box } = state;
		// Keep the focus on the same slot (or tab) across the redraw.
		const active = document.activeElement;
		const keep = active && box.contains(active)
			? (active.dataset.slot ? `[data-slot="${active.dataset.slot}"]` : active.dataset.day ? `[role="tab"][data-day="${active.dataset.day}"]` : null)
			: null;
		if (!state.slots.length)
			box.replaceChildren(h('p', { class: 'empty', text: `Aucune place libre la semaine du ${dayName(state.week)} pour ces critères.` }));
		else if (narrow.matches)
			box.replaceChildren(...tabs());
		else
			box.replaceChildren(...byCentre(state.slots).map((c) => h('div', { class: 'slot-grid-wrap' }, table(c))));
		box.classList.toggle('narrow', narrow.matches);
		if (keep)
			box.querySelector(keep)?.focus();
	}

	narrow.addEventListener('change', function redraw() {
		if (!state || !state.box.isConnected) {
			narrow.removeEventListener('change', redraw);
			return;
		}
		render();
	});

	return {
		// Draws slots (the week's days, "YYYY-MM-DD") into box; day: the
		// day shown first on a narrow screen, if any.
		draw(box, { slots, days, day, week }) {
			state = { box, slots, days, week };
			if (day)
				current = day;
			render();
		},
		day: () => current,
	};
}
