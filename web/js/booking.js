// booking.js - « Réserver des places » (school manager): the search of
// free slots grouped by day (Paris time; a slot not yet open to the
// school says when it opens), the basket with its countdown, a candidate
// per slot, and the validation with each slot's result in words.
import { api, ApiError } from './api.js';
import { field, h, icon, newId, setError } from './dom.js';
import { inputToIso } from './format.js';
import {
	candidateLabel, candidateOptions, candidatesById, countdown, duration, parisDate, parisDay,
	parisTime, parisWhen, plural, reason, section,
} from './school.js';

const errText = (err, fallback) => (err instanceof ApiError ? err.detail : fallback);

// "2026-11-25" for an <input type="date">, days after today.
function dateInput(days) {
	const d = new Date(Date.now() + days * 86400000);
	const p = (n) => String(n).padStart(2, '0');
	return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

function select(label, name, options, hint) {
	return field(label, { tag: 'select', name, options }, hint);
}

function slotText(s, centres) {
	const centre = s.centre || centres.get(s.slot_id || s.id) || `département ${s.department}`;
	return `${parisTime(s.start_at)} — ${centre}, catégorie ${s.category}`;
}

export async function bookingView(ctx) {
	const [first, names, quotas] = await Promise.all([
		api('GET', '/api/v1/basket'),
		candidatesById(),
		api('GET', '/api/v1/quotas').catch(() => ({ quotas: [] })),
	]);
	let basket = first;
	const centres = new Map(); // slot id -> centre name, from the searches
	let stopClock = () => {};

	// ------------------------------------------------------ search form
	const depts = [...new Set([...(quotas.quotas || []).map((q) => q.department)])].sort();
	const cats = [...new Set(['B', ...(quotas.quotas || []).map((q) => q.category)])].sort();
	const fields = {
		department: select('Département', 'department', [['', 'Tous les départements'], ...depts.map((d) => [d, d])],
			'Vos départements d’abord ; les autres places vous sont ouvertes 24 heures après leur publication.'),
		category: select('Catégorie de permis', 'category', [['', 'Toutes les catégories'], ...cats.map((c) => [c, c])]),
		centre_id: select('Centre d’examen', 'centre_id', [['', 'Tous les centres']]),
		from: field('À partir du', { type: 'date', name: 'from' }),
		to: field('Jusqu’au', { type: 'date', name: 'to' }, 'Inclus.'),
	};
	fields.category.input.value = 'B';
	fields.department.input.value = depts[0] || ''; // the school's own first
	fields.from.input.value = dateInput(0);
	fields.to.input.value = dateInput(14);
	const searchError = h('p', { class: 'error', role: 'alert' });
	const searchStatus = h('p', { class: 'notice', role: 'status' });
	const results = h('div', { class: 'slot-results' });
	const addError = h('p', { class: 'error', role: 'alert' });
	const addButton = h('button', { type: 'button', text: 'Ajouter au panier' });
	const addRule = h('p', { class: 'hint', id: newId('rule') });
	addButton.setAttribute('aria-describedby', addRule.id);
	let rows = []; // { slot, box, cand, error }

	function setCentres(slots) {
		const known = new Map([...fields.centre_id.input.options].filter((o) => o.value).map((o) => [o.value, o.textContent]));
		for (const s of slots) {
			centres.set(s.id, s.centre);
			known.set(String(s.centre_id), s.centre);
		}
		const cur = fields.centre_id.input.value;
		fields.centre_id.input.replaceChildren(h('option', { value: '', text: 'Tous les centres' }),
			...[...known].sort((a, b) => a[1].localeCompare(b[1], 'fr')).map(([v, t]) => h('option', { value: v, text: t })));
		fields.centre_id.input.value = cur;
	}

	function slotRow(s) {
		const id = newId('slot');
		const error = h('p', { class: 'error', role: 'alert', id: `${id}-err` });
		const label = slotText(s, centres);
		if (!s.bookable_now) {
			return { li: h('li', { class: 'slot closed' },
				h('span', { class: 'slot-text', text: label }),
				h('span', { class: 'badge level-closed' }, icon('clock'), `Ouvre le ${parisWhen(s.opens_at)}`)) };
		}
		const box = h('input', { type: 'checkbox', id, value: String(s.id), 'aria-describedby': `${id}-err` });
		const candWrap = h('div', { class: 'slot-candidate', hidden: true });
		const cand = field(`Candidat(e) pour la place de ${parisTime(s.start_at)}`, { tag: 'select', name: `candidate-${s.id}`,
			options: candidateOptions(names, s.category) });
		candWrap.append(cand.wrap);
		const row = { slot: s, box, cand, error };
		box.addEventListener('change', () => {
			candWrap.hidden = !box.checked;
			setError(cand, '');
			error.textContent = '';
			updateAdd();
		});
		row.li = h('li', { class: 'slot' },
			h('div', { class: 'check' }, box, h('label', { for: id, text: label })),
			candWrap, error);
		return row;
	}

	function renderResults(slots) {
		const byDay = new Map();
		for (const s of slots) {
			const k = parisDate(s.start_at);
			if (!byDay.has(k))
				byDay.set(k, []);
			byDay.get(k).push(s);
		}
		rows = [];
		results.replaceChildren(...[...byDay].map(([, list]) => {
			const hid = newId('day');
			const made = list.map(slotRow);
			rows.push(...made.filter((r) => r.box));
			const open = list.filter((s) => s.bookable_now).length;
			return h('section', { class: 'slot-day', 'aria-labelledby': hid },
				h('h3', { id: hid }, parisDay(list[0].start_at),
					h('span', { class: 'hint', text: ` — ${plural(list.length, 'place')}${open < list.length ? `, dont ${open} ouverte${open > 1 ? 's' : ''} à votre auto-école` : ''}` })),
				h('ul', { class: 'slots' }, made.map((r) => r.li)));
		}));
		updateAdd();
	}

	function chosen() {
		return rows.filter((r) => r.box.checked);
	}

	function updateAdd() {
		const n = chosen().length;
		const { per_action: per = 4, max = 12 } = basket.limits || {};
		const room = max - (basket.slots || []).length;
		addButton.textContent = n ? `Ajouter au panier (${plural(n, 'place choisie', 'places choisies')})` : 'Ajouter au panier';
		addRule.textContent = `Vous pouvez ajouter jusqu’à ${per} places à la fois, et garder au plus ${max} places dans votre panier (encore ${room} possible${room > 1 ? 's' : ''}).`;
	}

	async function search(announce = true) {
		searchError.textContent = '';
		if (announce)
			searchStatus.textContent = '';
		for (const f of Object.values(fields))
			setError(f, '');
		const q = new URLSearchParams();
		for (const name of ['department', 'category', 'centre_id'])
			if (fields[name].input.value)
				q.set(name, fields[name].input.value);
		const from = inputToIso(fields.from.input.value);
		const to = inputToIso(fields.to.input.value, true);
		if (from)
			q.set('from', from);
		if (to)
			q.set('to', to);
		try {
			const { slots = [] } = await api('GET', `/api/v1/slots?${q}`);
			setCentres(slots);
			renderResults(slots);
			const open = slots.filter((s) => s.bookable_now).length;
			if (announce)
				searchStatus.textContent = slots.length
					? `${plural(slots.length, 'place libre trouvée', 'places libres trouvées')}, dont ${open} que vous pouvez réserver maintenant.`
					: 'Aucune place libre pour ces critères.';
		} catch (err) {
			const f = err instanceof ApiError && fields[err.field];
			if (f)
				setError(f, err.detail);
			else
				searchError.textContent = errText(err, 'La recherche a échoué.');
		}
	}

	const searchForm = h('form', { class: 'search-form', novalidate: true },
		searchError, Object.values(fields).map((f) => f.wrap),
		h('div', { class: 'actions' }, h('button', { type: 'submit', text: 'Rechercher' })));
	searchForm.addEventListener('submit', (ev) => {
		ev.preventDefault();
		search();
	});

	addButton.addEventListener('click', async () => {
		addError.textContent = '';
		const list = chosen();
		for (const r of list) {
			r.error.textContent = '';
			setError(r.cand, '');
		}
		const per = (basket.limits || {}).per_action || 4;
		if (!list.length) {
			addError.textContent = 'Cochez d’abord une ou plusieurs places.';
			return;
		}
		if (list.length > per) {
			addError.textContent = `Vous avez choisi ${list.length} places : ajoutez-en ${per} au plus à la fois (décochez-en ${list.length - per}).`;
			return;
		}
		addButton.disabled = true;
		try {
			basket = await api('POST', `/api/v1/baskets/${encodeURIComponent(basket.id)}/slots`, {
				slots: list.map((r) => (r.cand.input.value
					? { slot_id: r.slot.id, candidate_id: Number(r.cand.input.value) }
					: { slot_id: r.slot.id })),
			});
			for (const r of list)
				r.li.remove();
			rows = rows.filter((r) => !list.includes(r));
			renderBasket();
			basketStatus.textContent = `${plural(list.length, 'place ajoutée', 'places ajoutées')} à votre panier.`;
			updateAdd();
		} catch (err) {
			const m = err instanceof ApiError && err.field ? /^slots\[(\d+)\](?:\.(\w+))?$/.exec(err.field) : null;
			const r = m ? list[Number(m[1])] : null;
			if (r && m[2] === 'candidate_id') {
				setError(r.cand, err.detail);
				r.cand.input.focus();
			} else if (r) {
				r.error.textContent = err.detail;
				r.box.focus();
			} else {
				addError.textContent = errText(err, 'Les places n’ont pas pu être ajoutées.');
			}
			if (err instanceof ApiError && err.code === 'PANIER_EXPIRE')
				await reloadBasket();
		} finally {
			addButton.disabled = false;
		}
	});

	// ------------------------------------------------------------ basket
	const basketBox = h('div', { class: 'basket' });
	const basketStatus = h('p', { class: 'notice', role: 'status' });
	const clockLine = h('p', { class: 'basket-clock' });
	const validateError = h('p', { class: 'error', role: 'alert' });
	const outcome = h('div', { class: 'validation-results' });
	const { per_action: perAction = 4, max: maxSlots = 12, ttl_ms: ttl = 900000 } = basket.limits || {};
	const rulesText = h('p', { class: 'hint', text: `Règles du panier : jusqu’à ${perAction} places par ajout, ${maxSlots} places au plus dans le panier. Les places sont gardées pour vous ${Math.round(ttl / 60000)} minutes après le premier ajout ; validez le panier avant, sinon elles sont libérées pour les autres auto-écoles. Chaque place doit avoir son candidat pour être réservée.` });

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
			basketStatus.textContent = 'Votre panier a expiré : ses places ont été libérées et sont de nouveau proposées à toutes les auto-écoles.';
			await search(false);
		}
	}

	function basketItem(it) {
		const error = h('p', { class: 'error', role: 'alert' });
		const cand = field(`Candidat(e) pour la place du ${parisDay(it.start_at)} à ${parisTime(it.start_at)}`, {
			tag: 'select', name: `basket-candidate-${it.slot_id}`, options: candidateOptions(names, it.category, 'Aucun(e) pour l’instant'),
		});
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
			} catch (err) {
				setError(cand, errText(err, 'Le candidat n’a pas pu être choisi.'));
				cand.input.value = it.candidate_id ? String(it.candidate_id) : '';
				if (err instanceof ApiError && err.code === 'PANIER_EXPIRE')
					await expired();
			}
		});
		const remove = h('button', { type: 'button', class: 'secondary', text: 'Retirer',
			'aria-label': `Retirer la place du ${parisDay(it.start_at)} à ${parisTime(it.start_at)}` });
		remove.addEventListener('click', async () => {
			remove.disabled = true;
			error.textContent = '';
			try {
				basket = await api('DELETE', `/api/v1/baskets/${encodeURIComponent(basket.id)}/slots/${encodeURIComponent(it.slot_id)}`);
				renderBasket();
				basketStatus.textContent = 'Place retirée du panier : elle est de nouveau libre.';
				search(false);
			} catch (err) {
				remove.disabled = false;
				error.textContent = errText(err, 'La place n’a pas pu être retirée.');
			}
		});
		return h('li', { class: 'basket-item' },
			h('p', { class: 'basket-slot' }, h('strong', { text: parisDay(it.start_at) }), ` à ${parisTime(it.start_at)} — ${centres.get(it.slot_id) || `département ${it.department}`}, catégorie ${it.category}`),
			cand.wrap, h('div', { class: 'actions' }, remove), error);
	}

	function renderBasket() {
		stopClock();
		const items = basket.slots || [];
		validateError.textContent = '';
		if (!items.length) {
			clockLine.replaceChildren();
			basketBox.replaceChildren(h('p', { text: 'Votre panier est vide : cochez des places dans la recherche puis « Ajouter au panier ».' }));
			updateAdd();
			return;
		}
		const left = h('strong', { class: 'countdown' });
		// From the time left the server counted: the reader's clock may be off.
		const end = Date.now() + (basket.time_left_ms || 0);
		clockLine.replaceChildren(icon('clock'), ` Temps restant pour valider : `, left, ` (jusqu’à ${parisTime(basket.expires_at)}).`);
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
			h('p', { class: 'summary', text: `${plural(items.length, 'place')} dans votre panier sur ${maxSlots} possibles.` }),
			h('ul', { class: 'basket-items' }, items.map(basketItem)),
			h('div', { class: 'actions' }, validate), validateError);
		updateAdd();
	}

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
					const what = s.start_at ? `${parisDay(s.start_at)} à ${parisTime(s.start_at)}` : `Place n° ${r.slot_id}`;
					return r.booked
						? h('li', { class: 'result level-done' }, h('span', { class: 'badge' }, icon('check'), 'Réservée'), ' ',
							h('strong', { text: what }), ` : examen réservé pour ${candidateLabel(names, s.candidate_id)}.`)
						: h('li', { class: 'result level-late' }, h('span', { class: 'badge' }, icon('alert'), 'Non réservée'), ' ',
							h('strong', { text: what }), ` : ${reason(r.code, r.detail)}`);
				})),
				ok ? h('p', {}, h('a', { href: '#/examens', text: 'Voir les examens réservés' })) : null));
			basket = await api('GET', '/api/v1/basket');
			renderBasket();
			outcome.querySelector('h3').focus();
		} catch (err) {
			button.disabled = false;
			validateError.textContent = errText(err, 'Le panier n’a pas pu être validé.');
			if (err instanceof ApiError && err.code === 'PANIER_EXPIRE')
				await expired();
		}
	}

	await search(false); // first: it names the centres of the basket's slots
	renderBasket();

	return [h('h1', { text: 'Réserver des places' }),
		ctx.flash ? h('p', { class: 'notice', text: ctx.flash }) : null,
		h('p', { text: 'Cherchez des places libres, cochez-les avec leur candidat, ajoutez-les au panier puis validez le panier avant la fin du temps imparti.' }),
		section('Mon panier', rulesText, clockLine, basketStatus, basketBox, outcome),
		section('Chercher des places', searchForm, searchStatus,
			h('div', { class: 'add-bar' }, addRule, h('div', { class: 'actions' }, addButton), addError),
			results)];
}
