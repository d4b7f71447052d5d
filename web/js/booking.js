// booking.js - « Réserver des places » (school manager): a week of free
// slots as a grid per centre (days as columns, times as rows; on a phone
// one day at a time behind day tabs), its filters kept in the address,
// the basket and its countdown always on screen (a column that stays in
// view on a wide screen, a bar at the bottom on a phone), a candidate per
// held slot, and the validation with each slot's result in words. Every
// count is drawn again from the server's answer after each change, so
// that the grid and the basket never disagree.
import { api, ApiError } from './api.js';
import { field, h, icon, newId, setError } from './dom.js';
import { isoUtc } from './format.js';
import { setQuery } from './nav.js';
import { slotGrid } from './slot_grid.js';
import {
	addDays, candidateLabel, candidateOptions, candidatesById, countdown, dayName, duration, monthName, parisDay,
	parisMonth, parisStart, parisTime, plural, quotaText, reason, weekStart,
} from './school.js';

const errText = (err, fallback) => (err instanceof ApiError ? err.detail : fallback);
// "YYYY-MM-DD" naming a real day.
function isDay(v) {
	const t = /^\d{4}-\d{2}-\d{2}$/.test(v || '') ? Date.parse(`${v}T12:00:00Z`) : NaN;
	return !Number.isNaN(t) && new Date(t).toISOString().startsWith(v);
}
const WEEKS_AHEAD = 10;

function select(label, name, options, hint) {
	return field(label, { tag: 'select', name, options }, hint);
}

// The filters of the address (#/reserver?departement=44&centre=1&
// categorie=B&semaine=2026-12-07&jour=2026-12-08), checked: a value that
// makes no sense is dropped, not sent.
function readFilters(query, depts) {
	const dept = query.get('departement');
	const cat = query.get('categorie');
	const centre = query.get('centre');
	const week = query.get('semaine');
	const day = query.get('jour');
	return {
		departement: dept !== null && (dept === '' || /^(\d{2,3}|2[AB])$/.test(dept)) ? dept : (depts[0] || ''),
		categorie: cat !== null && (cat === '' || /^[A-Z0-9]{1,4}$/.test(cat)) ? cat : 'B',
		centre: centre && /^\d+$/.test(centre) ? centre : '',
		semaine: isDay(week) ? weekStart(parisStart(week).getTime()) : '',
		jour: isDay(day) ? day : '',
	};
}

export async function bookingView(ctx) {
	const [first, names, quotas] = await Promise.all([
		api('GET', '/api/v1/basket'),
		candidatesById(),
		api('GET', '/api/v1/quotas').catch(() => ({ quotas: [] })),
	]);
	let basket = first;
	let slots = []; // the week's free slots, as the server last said
	const centres = new Map(); // centre id -> name, from the searches
	const slotCentre = new Map(); // slot id -> centre name
	const chosen = new Set(); // the slot ids ticked in the grid
	let stopClock = () => {};

	const depts = [...new Set((quotas.quotas || []).map((q) => q.department))].sort();
	const cats = [...new Set(['B', ...(quotas.quotas || []).map((q) => q.category)])].sort();
	const f = readFilters(ctx.query || new URLSearchParams(), depts);
	const { per_action: perAction = 4, max: maxSlots = 12, ttl_ms: ttl = 900000 } = basket.limits || {};

	// ------------------------------------------------------ filters
	const fields = {
		departement: select('Département', 'departement', [['', 'Tous les départements'], ...depts.map((d) => [d, d])]),
		centre: select('Centre d’examen', 'centre', [['', 'Tous les centres']]),
		categorie: select('Catégorie de permis', 'categorie', [['', 'Toutes les catégories'], ...cats.map((c) => [c, c])]),
		semaine: select('Semaine', 'semaine', []),
	};
	// The week's figures, always those of the last answer; the live line
	// only speaks after a change of filters (the basket has its own).
	const gridSummary = h('p', { class: 'notice grid-summary' });
	const gridStatus = h('p', { class: 'visually-hidden', role: 'status' });
	const gridError = h('p', { class: 'error', role: 'alert' });
	const gridBox = h('div', { class: 'slot-grids' });
	const quotaLine = h('ul', { class: 'plain quota-line' });

	function weekOptions() {
		const now = weekStart();
		const weeks = [];
		for (let i = 0; i < WEEKS_AHEAD; i++)
			weeks.push(addDays(now, 7 * i));
		if (f.semaine && !weeks.includes(f.semaine))
			weeks.push(f.semaine);
		weeks.sort();
		fields.semaine.input.replaceChildren(...weeks.map((w) =>
			h('option', { value: w, text: `Semaine du ${dayName(w, true)}${w === now ? ' (cette semaine)' : ''}` })));
		fields.semaine.input.value = f.semaine;
	}

	function centreOptions() {
		const list = [...centres].sort((a, b) => a[1].localeCompare(b[1], 'fr'));
		if (f.centre && !centres.has(f.centre))
			list.push([f.centre, `Centre n° ${f.centre} (aucune place libre trouvée)`]);
		fields.centre.input.replaceChildren(h('option', { value: '', text: 'Tous les centres' }),
			...list.map(([v, t]) => h('option', { value: v, text: t })));
		fields.centre.input.value = f.centre;
	}

	function learn(list) {
		for (const s of list) {
			centres.set(String(s.centre_id), s.centre);
			slotCentre.set(s.id, s.centre);
		}
	}

	function writeAddress() {
		const q = {};
		for (const [k, v] of Object.entries(f))
			if (v || (k === 'departement' || k === 'categorie'))
				q[k] = v;
		setQuery(q);
	}

	function baseQuery() {
		const q = new URLSearchParams();
		if (f.departement)
			q.set('department', f.departement);
		if (f.categorie)
			q.set('category', f.categorie);
		return q;
	}

	// The centres that have free slots for these filters, and the week of
	// the first of them (the week shown when the address names none).
	async function discover() {
		const q = baseQuery();
		q.set('limit', '500');
		const { slots: all = [] } = await api('GET', `/api/v1/slots?${q}`);
		learn(all);
		return all.length ? weekStart(all[0].start_at) : weekStart();
	}

	// The week's free slots, all centres (the centre filter is applied
	// here, so that the list of centres stays whole). A read stops at
	// WEEK_LIMIT slots (the API's most): past it, the chosen centre's
	// week is read alone, so the cap never hides its slots, and capped
	// says what is still cut.
	const WEEK_LIMIT = 500;
	let capped = false;
	async function fetchWeek() {
		const q = baseQuery();
		q.set('from', isoUtc(parisStart(f.semaine)));
		q.set('to', isoUtc(new Date(parisStart(addDays(f.semaine, 7)).getTime() - 1000)));
		q.set('limit', String(WEEK_LIMIT));
		const { slots: list = [] } = await api('GET', `/api/v1/slots?${q}`);
		learn(list);
		capped = list.length >= WEEK_LIMIT;
		if (!capped || !f.centre)
			return list;
		q.set('centre_id', f.centre);
		const { slots: mine = [] } = await api('GET', `/api/v1/slots?${q}`);
		learn(mine);
		capped = mine.length >= WEEK_LIMIT;
		return mine;
	}

	const grid = slotGrid({
		chosen,
		onToggle: () => updateAdd(),
		onDay: (day) => {
			f.jour = day;
			writeAddress();
		},
		onEnter: () => addButton.click(),
	});

	function drawGrid() {
		const shown = f.centre ? slots.filter((s) => String(s.centre_id) === f.centre) : slots;
		const ids = new Set(shown.filter((s) => s.bookable_now).map((s) => s.id));
		for (const id of [...chosen])
			if (!ids.has(id))
				chosen.delete(id);
		const days = [];
		for (let i = 0; i < 7; i++)
			days.push(addDays(f.semaine, i));
		if (!days.includes(f.jour))
			f.jour = '';
		grid.draw(gridBox, { slots: shown, days, day: f.jour, week: f.semaine });
		f.jour = grid.day();
		updateAdd();
	}

	// Reads the week again and redraws the grid; announce: say the
	// figures in the status line (a new search, not a refresh).
	let reads = 0; // only the last read draws (filters changed quickly)
	async function refresh(announce = false) {
		const seq = ++reads;
		gridError.textContent = '';
		let list;
		try {
			list = await fetchWeek();
		} catch (err) {
			if (seq === reads)
				gridError.textContent = errText(err, 'Les places libres n’ont pas pu être lues.');
			return;
		}
		if (seq !== reads)
			return;
		slots = list;
		centreOptions();
		drawGrid();
		writeAddress();
		const shown = f.centre ? slots.filter((s) => String(s.centre_id) === f.centre) : slots;
		const open = shown.filter((s) => s.bookable_now).length;
		gridSummary.textContent = !shown.length
			? 'Aucune place libre cette semaine pour ces critères : essayez une autre semaine ou un autre centre.'
			: `${plural(shown.length, 'place libre', 'places libres')} la semaine du ${dayName(f.semaine)}${open === shown.length
				? (open > 1 ? ', toutes ouvertes à votre auto-école.' : ', ouverte à votre auto-école.')
				: `, dont ${open} que vous pouvez réserver maintenant.`}`;
		if (capped)
			gridSummary.textContent += f.centre
				? ` Seules les ${WEEK_LIMIT} premières places de ce centre sont affichées : choisissez une autre semaine pour voir les suivantes.`
				: ` Seules les ${WEEK_LIMIT} premières places de la semaine sont affichées : choisissez un centre pour voir toutes les siennes.`;
		if (announce)
			gridStatus.textContent = gridSummary.textContent;
		await showQuota();
	}

	// What is left of the school's quota for the filters' department and
	// category, in the week's month(s): booking beyond it is refused.
	async function showQuota() {
		const months = [...new Set([0, 6].map((i) => parisMonth(parisStart(addDays(f.semaine, i)).getTime() + 43200000)))];
		if (!f.departement || !f.categorie) {
			quotaLine.replaceChildren();
			return;
		}
		try {
			const lines = await Promise.all(months.map(async (m) => {
				const { quotas: list = [] } = await api('GET', `/api/v1/quotas?month=${m}`);
				const q = list.find((l) => l.department === f.departement && l.category === f.categorie) || { quota: 0, used: 0, left: 0 };
				return h('li', { text: `Quota de ${monthName(m)}, département ${f.departement}, catégorie ${f.categorie} : ${quotaText(q)}` });
			}));
			quotaLine.replaceChildren(...lines);
		} catch {
			quotaLine.replaceChildren(); // a hint only: the server checks anyway
		}
	}

	for (const [name, fl] of Object.entries(fields)) {
		fl.input.addEventListener('change', async () => {
			f[name] = fl.input.value;
			if (name === 'semaine')
				f.jour = '';
			if (name === 'departement' || name === 'categorie') {
				try {
					await discover();
				} catch (err) {
					gridError.textContent = errText(err, 'Les places libres n’ont pas pu être lues.');
				}
			}
			await refresh(true);
		});
	}

	// ------------------------------------------------------------ basket
	const panel = newId('basket');
	const heading = h('h2', { id: `${panel}-h`, tabindex: -1, text: 'Mon panier' });
	const summary = h('p', { class: 'basket-summary-line' });
	const clockLine = h('p', { class: 'basket-clock' });
	const addButton = h('button', { type: 'button', class: 'basket-add', text: 'Ajouter au panier' });
	const addError = h('p', { class: 'error', role: 'alert' });
	const toggle = h('button', { type: 'button', class: 'secondary basket-toggle', 'aria-expanded': 'false', 'aria-controls': `${panel}-body` });
	const basketStatus = h('p', { class: 'notice', role: 'status' });
	const basketBox = h('div', { class: 'basket' });
	const validateError = h('p', { class: 'error', role: 'alert' });
	const outcome = h('div', { class: 'validation-results' });
	const rulesText = h('p', { class: 'hint', id: `${panel}-rules`, text: `Jusqu’à ${perAction} places par ajout, ${maxSlots} au plus dans le panier. Les places sont gardées ${Math.round(ttl / 60000)} minutes après le premier ajout : validez avant, sinon elles sont libérées pour les autres auto-écoles. Chaque place doit avoir son candidat pour être réservée.` });
	addButton.setAttribute('aria-describedby', `${panel}-rules`);
	const body = h('div', { id: `${panel}-body`, class: 'basket-body' }, rulesText, basketStatus, basketBox, outcome);
	const aside = h('aside', { class: 'basket-panel', 'aria-labelledby': heading.id },
		h('div', { class: 'basket-head' }, heading, summary, clockLine,
			h('div', { class: 'basket-actions' }, addButton, toggle), addError),
		body);

	// On a phone the basket's details fold under its bar (the bar stays
	// on screen); on a wide screen they are always shown.
	function setOpen(open) {
		toggle.setAttribute('aria-expanded', String(open));
		aside.classList.toggle('open', open);
		toggle.textContent = open ? 'Masquer le détail' : 'Détail';
	}
	setOpen(false);
	toggle.addEventListener('click', () => setOpen(toggle.getAttribute('aria-expanded') !== 'true'));

	function updateAdd() {
		const n = chosen.size;
		addButton.textContent = n ? `Ajouter au panier (${plural(n, 'place cochée', 'places cochées')})` : 'Ajouter au panier';
	}

	// Rule 3 said when slots are added, not only at validation: the
	// ticked slots and those of the basket, by department, category and
	// month, against what is left of the school's quota. Returns the
	// refusal in words, or ''.
	async function overQuota(ids) {
		const groups = new Map();
		const put = (dept, cat, start, ticked) => {
			const k = `${dept}|${cat}|${parisMonth(start)}`;
			if (!groups.has(k))
				groups.set(k, { dept, cat, month: parisMonth(start), held: 0, ticked: 0 });
			groups.get(k)[ticked ? 'ticked' : 'held']++;
		};
		for (const it of basket.slots || [])
			put(it.department, it.category, it.start_at, false);
		for (const id of ids) {
			const sl = slots.find((x) => x.id === id);
			if (sl)
				put(sl.department, sl.category, sl.start_at, true);
		}
		const months = new Map();
		for (const g of groups.values()) {
			if (!g.ticked)
				continue;
			if (!months.has(g.month))
				months.set(g.month, api('GET', `/api/v1/quotas?month=${g.month}`));
			const { quotas: lines = [] } = await months.get(g.month);
			const q = lines.find((l) => l.department === g.dept && l.category === g.cat)
				|| { quota: 0, used: 0, left: 0 };
			if (g.held + g.ticked > q.left) {
				const where = `département ${g.dept}, catégorie ${g.cat}, ${monthName(g.month)}`;
				const room = Math.max(0, q.left - g.held);
				return `Au-delà du quota (${where}) : ${quotaText(q)}${g.held ? ` ${plural(g.held, 'place est', 'places sont')} déjà dans votre panier.` : ''} ${room ? `Vous pouvez encore en ajouter ${room} : décochez-en ${g.ticked - room}.` : 'Décochez ces places.'}`;
			}
		}
		return '';
	}

	async function reloadBasket() {
		basket = await api('GET', '/api/v1/basket');
		renderBasket();
	}

	// The countdown reached zero (or the server said so): the server's
	// basket decides; a clock that ran fast only restarts the countdown.
	async function expired() {
		const had = (basket.slots || []).length;
		try {
			await reloadBasket();
		} catch (err) {
			validateError.textContent = errText(err, 'Le panier n’a pas pu être relu.');
			return;
		}
		if (had && !(basket.slots || []).length) {
			await refresh();
			basketStatus.textContent = 'Votre panier a expiré : ses places ont été libérées et sont de nouveau proposées à toutes les auto-écoles.';
		}
	}

	const centreOf = (it) => it.centre || slotCentre.get(it.slot_id) || `département ${it.department}`;
	const slotWords = (it) => `${parisDay(it.start_at)} à ${parisTime(it.start_at)}`;

	function basketItem(it) {
		const error = h('p', { class: 'error', role: 'alert' });
		const cand = field(`Candidat(e) pour la place du ${slotWords(it)}`, {
			tag: 'select', name: `basket-candidate-${it.slot_id}`, options: candidateOptions(names, it.category, 'Aucun(e) pour l’instant'),
		});
		cand.input.dataset.slot = String(it.slot_id);
		cand.input.value = it.candidate_id ? String(it.candidate_id) : '';
		cand.input.addEventListener('change', async () => {
			setError(cand, '');
			try {
				basket = await api('PUT', `/api/v1/baskets/${encodeURIComponent(basket.id)}/slots/${encodeURIComponent(it.slot_id)}`,
					{ candidate_id: Number(cand.input.value || 0) });
				basketStatus.textContent = cand.input.value
					? `${candidateLabel(names, Number(cand.input.value))} est placé(e) sur la place de ${parisTime(it.start_at)}.`
					: `Plus de candidat sur la place de ${parisTime(it.start_at)}.`;
				it.candidate_id = Number(cand.input.value || 0) || null;
				renderSummary();
			} catch (err) {
				setError(cand, errText(err, 'Le candidat n’a pas pu être choisi.'));
				cand.input.value = it.candidate_id ? String(it.candidate_id) : '';
				if (err instanceof ApiError && err.code === 'PANIER_EXPIRE')
					await expired();
			}
		});
		const remove = h('button', { type: 'button', class: 'secondary small', text: 'Retirer',
			'aria-label': `Retirer la place du ${slotWords(it)}` });
		remove.addEventListener('click', async () => {
			remove.disabled = true;
			error.textContent = '';
			try {
				basket = await api('DELETE', `/api/v1/baskets/${encodeURIComponent(basket.id)}/slots/${encodeURIComponent(it.slot_id)}`);
				renderBasket();
				await refresh();
				basketStatus.textContent = `Place retirée du panier : elle est de nouveau libre. ${basketWords()}`;
				heading.focus();
			} catch (err) {
				remove.disabled = false;
				error.textContent = errText(err, 'La place n’a pas pu être retirée.');
			}
		});
		return h('li', { class: 'basket-item' },
			h('p', { class: 'basket-slot' }, h('strong', { text: parisDay(it.start_at) }), ` à ${parisTime(it.start_at)} — ${centreOf(it)}, catégorie ${it.category}`),
			cand.wrap, h('div', { class: 'actions' }, remove), error);
	}

	// « 4 places dans votre panier », from the basket the server sent last.
	function basketWords() {
		const n = (basket.slots || []).length;
		return n ? `${plural(n, 'place')} dans votre panier sur ${maxSlots} possibles.` : 'Votre panier est vide.';
	}

	function renderSummary() {
		const items = basket.slots || [];
		const missing = items.filter((s) => !s.candidate_id).length;
		summary.textContent = items.length
			? `${plural(items.length, 'place')} sur ${maxSlots}${missing ? `, dont ${missing} sans candidat` : ''}.`
			: 'Panier vide.';
	}

	function renderBasket() {
		stopClock();
		const items = basket.slots || [];
		validateError.textContent = '';
		renderSummary();
		if (!items.length) {
			clockLine.replaceChildren();
			basketBox.replaceChildren(h('p', { text: 'Votre panier est vide : cochez des places dans la grille puis « Ajouter au panier ».' }));
			updateAdd();
			return;
		}
		const left = h('strong', { class: 'countdown' });
		// From the time left the server counted: the reader's clock may be off.
		const end = Date.now() + (basket.time_left_ms || 0);
		clockLine.replaceChildren(icon('clock'), ' Temps restant : ', left,
			h('span', { class: 'basket-until', text: ` (jusqu’à ${parisTime(basket.expires_at)})` }));
		stopClock = countdown(left, end, {
			tick: (ms) => {
				left.textContent = duration(ms);
				clockLine.classList.toggle('urgent', ms <= 3 * 60 * 1000);
			},
			warn: () => {
				basketStatus.textContent = 'Attention : il reste 3 minutes pour valider votre panier.';
			},
			done: expired,
		});
		const validate = h('button', { type: 'button', text: `Valider le panier (${plural(items.length, 'place')})` });
		validate.addEventListener('click', () => runValidation(validate));
		basketBox.replaceChildren(
			h('p', { class: 'summary', text: basketWords() }),
			h('ul', { class: 'basket-items' }, items.map(basketItem)),
			h('div', { class: 'actions' }, validate), validateError);
		updateAdd();
	}

	addButton.addEventListener('click', async () => {
		addError.textContent = '';
		const list = [...chosen];
		if (!list.length) {
			addError.textContent = 'Cochez d’abord une ou plusieurs places dans la grille.';
			return;
		}
		if (list.length > perAction) {
			addError.textContent = `Vous avez coché ${list.length} places : ajoutez-en ${perAction} au plus à la fois (décochez-en ${list.length - perAction}).`;
			return;
		}
		addButton.disabled = true;
		const over = await overQuota(list).catch(() => ''); // the server checks anyway
		if (over) {
			addError.textContent = over;
			addButton.disabled = false;
			return;
		}
		const before = new Set((basket.slots || []).map((s) => s.slot_id));
		try {
			basket = await api('POST', `/api/v1/baskets/${encodeURIComponent(basket.id)}/slots`,
				{ slots: list.map((id) => ({ slot_id: id })) });
			for (const id of list)
				chosen.delete(id);
			const added = (basket.slots || []).filter((s) => !before.has(s.slot_id));
			renderBasket();
			await refresh(); // the grid's counts before the words
			setOpen(true);
			basketStatus.textContent = `${plural(added.length, 'place ajoutée', 'places ajoutées')}. ${basketWords()} Choisissez le candidat de chaque place, puis validez.`;
			// Focus on the basket: the first added place's candidate.
			const target = added.length && basketBox.querySelector(`select[data-slot="${added[0].slot_id}"]`);
			(target || heading).focus();
		} catch (err) {
			const m = err instanceof ApiError && err.field ? /^slots\[(\d+)\]/.exec(err.field) : null;
			const at = m ? list[Number(m[1])] : null;
			const s = at ? slots.find((x) => x.id === at) : null;
			addError.textContent = s
				? `Place du ${parisDay(s.start_at)} à ${parisTime(s.start_at)} (${s.centre}) : ${errText(err, '')}`
				: errText(err, 'Les places n’ont pas pu être ajoutées.');
			if (err instanceof ApiError && err.code === 'PANIER_EXPIRE')
				await reloadBasket();
			await refresh(); // a slot taken meanwhile leaves the grid
		} finally {
			addButton.disabled = false;
		}
	});

	async function runValidation(button) {
		button.disabled = true;
		validateError.textContent = '';
		const before = new Map((basket.slots || []).map((s) => [s.slot_id, s]));
		try {
			const res = await api('POST', `/api/v1/baskets/${encodeURIComponent(basket.id)}/validation`);
			const list = res.results || [];
			const ok = list.filter((r) => r.booked).length;
			const hid = newId('res');
			outcome.replaceChildren(h('section', { 'aria-labelledby': hid, class: 'results-box' },
				h('h3', { id: hid, tabindex: -1, text: 'Résultat de la validation' }),
				h('p', { class: 'summary', text: `${plural(ok, 'place réservée', 'places réservées')}${list.length - ok ? `, ${plural(list.length - ok, 'place non réservée', 'places non réservées')} (elles restent dans le panier)` : ''}.` }),
				h('ul', { class: 'results' }, list.map((r) => {
					const s = before.get(r.slot_id) || {};
					const what = s.start_at ? `${slotWords(s)}, ${centreOf(s)}` : `Place n° ${r.slot_id}`;
					return r.booked
						? h('li', { class: 'result level-done' }, h('span', { class: 'badge' }, icon('check'), 'Réservée'), ' ',
							h('strong', { text: what }), ` : examen réservé pour ${candidateLabel(names, s.candidate_id)}.`)
						: h('li', { class: 'result level-late' }, h('span', { class: 'badge' }, icon('alert'), 'Non réservée'), ' ',
							h('strong', { text: what }), ` : ${reason(r.code, r.detail)}`);
				})),
				ok ? h('p', {}, h('a', { href: '#/examens', text: 'Voir les examens réservés' })) : null));
			basket = await api('GET', '/api/v1/basket');
			renderBasket();
			await refresh();
			outcome.querySelector('h3').focus();
		} catch (err) {
			button.disabled = false;
			validateError.textContent = errText(err, 'Le panier n’a pas pu être validé.');
			if (err instanceof ApiError && err.code === 'PANIER_EXPIRE')
				await expired();
		}
	}

	// ------------------------------------------------------------ first draw
	try {
		const firstWeek = await discover();
		if (!f.semaine)
			f.semaine = firstWeek;
	} catch (err) {
		gridError.textContent = errText(err, 'Les places libres n’ont pas pu être lues.');
		f.semaine = f.semaine || weekStart();
	}
	for (const name of ['departement', 'categorie']) {
		const sel = fields[name].input;
		if (![...sel.options].some((o) => o.value === f[name]))
			sel.append(h('option', { value: f[name], text: f[name] }));
		sel.value = f[name];
	}
	weekOptions();
	await refresh(true);
	renderBasket();

	const filters = h('form', { class: 'grid-filters', novalidate: true, 'aria-label': 'Filtres des places' },
		Object.values(fields).map((x) => x.wrap));
	filters.addEventListener('submit', (ev) => ev.preventDefault());
	const gridSection = newId('grid');
	return [h('h1', { text: 'Réserver des places' }),
		ctx.flash ? h('p', { class: 'notice', text: ctx.flash }) : null,
		h('p', { text: 'Cochez des places libres dans la grille, ajoutez-les au panier, choisissez le candidat de chacune puis validez le panier avant la fin du temps imparti.' }),
		h('div', { class: 'booking' },
			h('section', { class: 'booking-grid', 'aria-labelledby': gridSection },
				h('h2', { id: gridSection, text: 'Places libres' }),
				filters,
				h('p', { class: 'hint', text: 'Les places de vos départements vous sont ouvertes dès leur publication, les autres 24 heures après. Cochez une place pour la choisir (Espace au clavier, puis Entrée pour ajouter les places cochées au panier) ; la lettre est la catégorie de permis.' }),
				gridError, gridSummary, quotaLine, gridStatus, gridBox),
			aside)];
}
