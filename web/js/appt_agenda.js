// appt_agenda.js - « Agenda » of an agent: a week or a day of their
// appointments, opening hours and absences (or a colleague's of the same
// service), the free slots of a chosen motif, each a button that opens
// the booking dialog (search or create the user, then « Réserver »), and
// each appointment a button that opens its dialog (who, mark vu / excusé
// / non venu, move, cancel). The address holds the view and the day only
// (#/agenda/semaine/2026-12-07).
import { api } from './api.js';
import { field, h, newId, setError } from './dom.js';
import { openDialog } from './dialog.js';
import { form, FormInvalid } from './forms.js';
import {
	addDays, birthDate, cancelled, coversDay, dayShort, dayTitle, duration, LOCATION_NAMES, mondayOf, parisDay,
	parisTime, parisToDate, personName, remindersBox, STATUS_NAMES, structure, today, utc,
} from './appt_common.js';

// The agents whose calendar me may look at: themself, and the agents
// sharing one of their services (every agent for an admin).
function visibleAgents(st, me, admin) {
	const mine = st.agent.get(me.id);
	const services = new Set(mine ? mine.service_ids : []);
	return st.agents.filter((a) => a.account_id === me.id || admin
		|| a.service_ids.some((s) => services.has(s)));
}

function agentName(st, id) {
	const a = st.agent.get(id);
	return (a && a.display_name) || 'Agent';
}

// The items of one day: opening hours, absences, appointments and free
// slots, in time order.
function dayItems(day, data, st, onAppt, onSlot) {
	const items = [];
	for (const p of data.plages.filter((x) => !x.archived && coversDay(x, day))) {
		const where = p.place_id ? (st.place.get(p.place_id) || {}).name : 'Sans lieu (téléphone, domicile)';
		items.push({
			at: p.start_time, order: 0,
			node: h('li', { class: 'agenda-item agenda-open' },
				h('span', { class: 'agenda-time', text: `${p.start_time} – ${p.end_time}` }),
				h('span', { class: 'tag', text: 'Ouvert' }), ` ${p.name || 'Horaires d’ouverture'} · ${where || ''}`),
		});
	}
	for (const a of data.absences.filter((x) => !x.archived && coversDay(x, day))) {
		items.push({
			at: a.start_time, order: 1,
			node: h('li', { class: 'agenda-item agenda-absent' },
				h('span', { class: 'agenda-time', text: `${a.start_time} – ${a.end_time}` }),
				h('span', { class: 'tag', text: 'Absence' })),
		});
	}
	for (const r of data.appts.filter((x) => parisDay(x.start_at) === day)) {
		const m = st.motif.get(r.motif_id);
		const label = `${parisTime(r.start_at)} ${m ? m.name : 'Rendez-vous'} (${duration(r.duration_min)}) – ${STATUS_NAMES[r.status] || r.status}`;
		items.push({
			at: parisTime(r.start_at), order: 2,
			node: h('li', { class: `agenda-item agenda-appt status-${r.status}${cancelled(r.status) ? ' agenda-cancelled' : ''}` },
				h('button', { type: 'button', class: 'agenda-button', text: label, onclick: (ev) => onAppt(r, ev.currentTarget) })),
		});
	}
	for (const s of data.slots.filter((x) => parisDay(x.start_at) === day)) {
		items.push({
			at: parisTime(s.start_at), order: 3,
			node: h('li', { class: 'agenda-item agenda-free' },
				h('button', { type: 'button', class: 'secondary agenda-button', text: `Créneau libre ${parisTime(s.start_at)}`,
					onclick: (ev) => onSlot(s, ev.currentTarget) })),
		});
	}
	items.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.order - b.order));
	return items.map((x) => x.node);
}

// The booking dialog for free slot s of motif m: find the user (or
// create them), then « Réserver ».
function bookDialog({ st, m, placeId, agentId, s, opener, done }) {
	const status = h('p', { role: 'status', class: 'notice' });
	const results = h('div', { class: 'user-results' });
	let chosen = [];
	const search = field('Nom de l’usager', { name: 'last_name', autocomplete: 'off' },
		'Le nom de famille entier, avec la date de naissance quand elle est connue : la recherche ne compare que des empreintes, jamais les noms en clair.');
	const born = field('Date de naissance', { type: 'date', name: 'birth_date' });
	const searchBtn = h('button', { type: 'button', class: 'secondary', text: 'Rechercher' });
	const groupId = newId('u');

	function pick(list) {
		chosen = [];
		if (!list.length) {
			results.replaceChildren(h('p', { text: 'Aucun usager trouvé : créez-le ci-dessous.' }));
			return;
		}
		results.replaceChildren(h('fieldset', { class: 'field', id: groupId },
			h('legend', { text: 'Usagers du rendez-vous' }),
			list.map((u) => {
				const id = newId('c');
				const box = h('input', { type: 'checkbox', id, value: String(u.id) });
				box.addEventListener('change', () => {
					chosen = box.checked ? [...chosen, u.id] : chosen.filter((x) => x !== u.id);
				});
				const who = `${personName(u)}${u.birth_date ? `, né(e) le ${birthDate(u.birth_date)}` : ''}${u.responsible_id ? ' (proche)' : ''}`;
				return h('div', { class: 'check' }, box, h('label', { for: id, text: who }));
			})));
	}
	async function runSearch() {
		setError(search, '');
		const q = search.input.value.trim();
		if (!q) {
			setError(search, 'Saisissez un nom pour rechercher.');
			search.input.focus();
			return;
		}
		try {
			const b = born.input.value ? `&birth_date=${born.input.value}` : '';
			const r = await api('GET', `/api/v1/appointments/users?last_name=${encodeURIComponent(q)}${b}`);
			pick(r.users || []);
			status.textContent = `${(r.users || []).length} usager(s) trouvé(s).`;
		} catch (err) {
			setError(search, err.detail || 'La recherche a échoué.');
		}
	}
	searchBtn.addEventListener('click', runSearch);
	for (const x of [search, born])
		x.input.addEventListener('keydown', (ev) => {
			if (ev.key === 'Enter') {
				ev.preventDefault();
				runSearch();
			}
		});

	const nf = {
		last_name: field('Nom', { name: 'last_name', autocomplete: 'off', required: true }),
		first_names: field('Prénom(s)', { name: 'first_names', autocomplete: 'off', required: true }),
		birth_date: field('Date de naissance', { type: 'date', name: 'birth_date' }),
		phone: field('Téléphone', { type: 'tel', name: 'phone', autocomplete: 'off' }),
		reminders: remindersBox(false),
	};
	const createForm = form(nf, 'Créer l’usager', async () => {
		const body = {};
		for (const [k, f] of Object.entries(nf))
			if (f.input.type === 'checkbox' ? f.input.checked : f.input.value.trim())
				body[k] = f.input.type === 'checkbox' ? true : f.input.value.trim();
		const r = await api('POST', '/api/v1/appointments/users', body);
		const u = await api('GET', `/api/v1/appointments/users/${r.id}`);
		pick([u]);
		results.querySelector('input').click();
		status.textContent = `${personName(u)} a été créé(e) et choisi(e).`;
		results.querySelector('input').focus();
	});
	const create = h('details', { class: 'edit' }, h('summary', { text: 'Nouvel usager' }), h('div', {}, createForm));

	const home = m.location_type === 'home'
		? field('Adresse du domicile', { name: 'home_address', autocomplete: 'off' }) : null;
	const bookFields = home ? { home_address: home } : {};
	const bookForm = form(bookFields, 'Réserver', async () => {
		if (!chosen.length)
			throw new FormInvalid({ user_ids: 'Choisissez au moins un usager.' });
		const body = {
			motif_id: m.id, user_ids: chosen, start_at: s.start_at,
			agent_ids: s.agent_ids && s.agent_ids.includes(agentId) ? [agentId] : (s.agent_ids || []).slice(0, 1),
		};
		if (placeId)
			body.place_id = placeId;
		if (home && home.input.value.trim())
			body.home_address = home.input.value.trim();
		await api('POST', '/api/v1/appointments/bookings', body);
		dlg.close();
		done(`Rendez-vous réservé le ${dayTitle(parisDay(s.start_at))} à ${parisTime(s.start_at)}.`);
	}, [], { after: [h('button', { type: 'button', class: 'secondary', text: 'Fermer', onclick: () => dlg.close() })] });

	const dlg = openDialog({
		title: `Nouveau rendez-vous : ${dayTitle(parisDay(s.start_at))} à ${parisTime(s.start_at)}`,
		opener,
		content: [
			h('p', { text: `${m.name}, ${duration(m.duration_min)}${placeId ? `, ${(st.place.get(placeId) || {}).name || ''}` : ''}.` }),
			h('div', { class: 'search-user' }, search.wrap, born.wrap, h('div', { class: 'actions' }, searchBtn)),
			status, results, create, bookForm,
		],
		initialFocus: search.input,
	});
}

// The dialog of appointment r: who, where, and what the agent can do.
async function apptDialog({ st, r, opener, done }) {
	const v = await api('GET', `/api/v1/appointments/bookings/${r.id}`);
	const users = await Promise.all((v.user_ids || []).map((id) => api('GET', `/api/v1/appointments/users/${id}`).catch(() => null)));
	const m = st.motif.get(v.motif_id);
	const general = h('p', { class: 'error', role: 'alert' });
	const act = (status, text) => h('button', {
		type: 'button', class: status.startsWith('annule') ? 'danger' : 'secondary', text,
		onclick: async () => {
			general.textContent = '';
			try {
				await api('POST', `/api/v1/appointments/bookings/${v.id}/status`, { status });
				dlg.close();
				done(`Rendez-vous de ${parisTime(v.start_at)} : ${STATUS_NAMES[status]}.`);
			} catch (err) {
				general.textContent = err.detail || 'La demande a échoué.';
			}
		},
	});
	const when = field('Nouvelle date et heure', { type: 'datetime-local', name: 'start_at' });
	const moveForm = form({ start_at: when }, 'Déplacer', async () => {
		const [d, t] = when.input.value.split('T');
		if (!d || !t)
			throw new FormInvalid({ start_at: 'Choisissez la date et l’heure.' });
		const at = parisToDate(d, t);
		await api('POST', `/api/v1/appointments/bookings/${v.id}/move`, { start_at: utc(at) });
		dlg.close();
		done(`Rendez-vous déplacé au ${dayTitle(d)} à ${t}.`);
	});
	const live = v.status === 'a_venir';
	const dlg = openDialog({
		title: `${m ? m.name : 'Rendez-vous'} : ${dayTitle(parisDay(v.start_at))} à ${parisTime(v.start_at)}`,
		opener,
		content: [
			h('dl', { class: 'facts compact' },
				h('dt', { text: 'Usager(s)' }), h('dd', {}, users.filter(Boolean).map((u, i) => [i ? ', ' : '',
					h('a', { href: `#/usagers/${u.id}`, text: personName(u), onclick: () => dlg.close() })])),
				h('dt', { text: 'Durée' }), h('dd', { text: duration(v.duration_min) }),
				h('dt', { text: 'Lieu' }), h('dd', { text: v.place_id ? ((st.place.get(v.place_id) || {}).name || '') : LOCATION_NAMES[v.location_type] || '' }),
				h('dt', { text: 'Agent(s)' }), h('dd', { text: (v.agent_ids || []).map((a) => agentName(st, a)).join(', ') }),
				h('dt', { text: 'État' }), h('dd', { text: STATUS_NAMES[v.status] || v.status })),
			general,
			h('div', { class: 'actions' }, act('vu', 'Vu'), act('excuse', 'Excusé'), act('non_venu', 'Non venu')),
			live ? h('details', { class: 'edit' }, h('summary', { text: 'Déplacer' }), h('div', {}, moveForm)) : null,
			h('div', { class: 'actions' },
				live ? act('annule_agent', 'Annuler le rendez-vous') : null,
				h('button', { type: 'button', class: 'secondary', text: 'Fermer', onclick: () => dlg.close() })),
		],
	});
}

export async function agendaView(ctx) {
	const mode = ctx.params[0] === 'jour' ? 'jour' : 'semaine';
	const day = /^\d{4}-\d{2}-\d{2}$/.test(ctx.params[1] || '') ? ctx.params[1] : today();
	const first = mode === 'jour' ? day : mondayOf(day);
	const ndays = mode === 'jour' ? 1 : 7;
	const last = addDays(first, ndays);
	const st = await structure();
	const admin = ctx.roles.has('agent_admin');
	const agents = visibleAgents(st, ctx.me, admin);
	const mine = st.agent.get(ctx.me.id);
	const status = h('p', { class: 'notice', role: 'status', text: ctx.flash || '' });
	const body = h('div', { class: 'agenda-days' });

	const agentSel = field('Agenda de', {
		tag: 'select', name: 'agent',
		options: agents.map((a) => [a.account_id, a.account_id === ctx.me.id ? `Moi (${a.display_name || ''})` : (a.display_name || 'Agent')]),
	});
	agentSel.input.value = sessionStorage.getItem('agenda-agent') || (mine ? ctx.me.id : (agents[0] || {}).account_id || '');
	if (!agentSel.input.value && agents[0])
		agentSel.input.value = agents[0].account_id;
	const motifOf = (agentId) => {
		const a = st.agent.get(agentId);
		const svc = new Set(a ? a.service_ids : []);
		return st.motifs.filter((m) => svc.has(m.service_id));
	};
	const motifSel = field('Créneaux libres pour le motif', { tag: 'select', name: 'motif', options: [] });
	const placeSel = field('Lieu', { tag: 'select', name: 'place', options: [['', 'Tous les lieux']].concat(st.places.map((p) => [String(p.id), p.name])) });
	function fillMotifs() {
		motifSel.input.replaceChildren(h('option', { value: '', text: 'Aucun (ne pas montrer les créneaux libres)' }),
			...motifOf(agentSel.input.value).map((m) => h('option', { value: String(m.id), text: `${m.name} (${LOCATION_NAMES[m.location_type] || ''}, ${duration(m.duration_min)})` })));
		motifSel.input.value = sessionStorage.getItem('agenda-motif') || '';
		if (motifSel.input.selectedIndex < 0)
			motifSel.input.value = '';
	}
	fillMotifs();
	placeSel.input.value = sessionStorage.getItem('agenda-place') || '';

	async function load() {
		const agentId = agentSel.input.value;
		const from = utc(parisToDate(first));
		const to = utc(parisToDate(last));
		const q = `agent_id=${encodeURIComponent(agentId)}`;
		const [b, p, a] = await Promise.all([
			api('GET', `/api/v1/appointments/bookings?from=${from}&to=${to}&${q}`),
			api('GET', `/api/v1/appointments/plages?${q}`),
			api('GET', `/api/v1/appointments/absences?${q}`),
		]);
		const data = { appts: b.appointments || [], plages: p.plages || [], absences: a.absences || [], slots: [] };
		const motif = st.motif.get(Number(motifSel.input.value));
		if (motif) {
			// A motif at a place: the chosen place, or each place of this
			// agent's opening hours that offer it.
			let places = [0];
			if (motif.location_type === 'place')
				places = Number(placeSel.input.value) ? [Number(placeSel.input.value)]
					: [...new Set(data.plages.filter((x) => !x.archived && x.place_id && (x.motif_ids || []).includes(motif.id)).map((x) => x.place_id))];
			const start = new Date(Math.max(Date.now(), parisToDate(first).getTime()));
			if (start < parisToDate(last)) {
				for (const placeId of places) {
					const r = await api('GET', `/api/v1/appointments/free-slots?motif_id=${motif.id}${placeId ? `&place_id=${placeId}` : ''}&from=${utc(start)}&to=${to}`);
					data.slots.push(...(r.slots || []).filter((x) => (x.agent_ids || []).includes(agentId)).map((x) => ({ ...x, place_id: placeId })));
				}
			}
		}
		const onAppt = (r, opener) => apptDialog({ st, r, opener, done }).catch((err) => {
			status.textContent = err.detail || 'Ce rendez-vous n’a pas pu être ouvert.';
		});
		const onSlot = (s, opener) => bookDialog({ st, m: motif, placeId: s.place_id, agentId, s, opener, done });
		const days = [];
		for (let i = 0; i < ndays; i++) {
			const d = addDays(first, i);
			const items = dayItems(d, data, st, onAppt, onSlot);
			days.push(h('section', { class: `agenda-day${d === today() ? ' agenda-today' : ''}`, 'aria-labelledby': `day-${d}` },
				h('h2', { id: `day-${d}` }, mode === 'jour' ? dayTitle(d)
					: h('a', { href: `#/agenda/jour/${d}`, text: dayTitle(d) }), d === today() ? ' (aujourd’hui)' : ''),
				items.length ? h('ul', { class: 'agenda-list' }, items) : h('p', { class: 'hint', text: 'Rien ce jour-là.' })));
		}
		const count = data.appts.filter((x) => !cancelled(x.status)).length;
		body.replaceChildren(h('p', { class: 'summary', text: `${count} rendez-vous${data.slots.length ? `, ${data.slots.length} créneau(x) libre(s)` : ''}.` }), ...days);
	}
	// Reloads the days, then says notice (once the page shows it).
	function done(notice) {
		load().then(() => {
			status.textContent = notice;
		}, (err) => {
			status.textContent = err.detail || 'L’agenda n’a pas pu être rechargé.';
		});
	}
	for (const [sel, key] of [[agentSel, 'agenda-agent'], [motifSel, 'agenda-motif'], [placeSel, 'agenda-place']]) {
		sel.input.addEventListener('change', () => {
			sessionStorage.setItem(key, sel.input.value);
			if (sel === agentSel)
				fillMotifs();
			done('');
		});
	}
	await load();

	const step = mode === 'jour' ? 1 : 7;
	const nav = h('nav', { class: 'pager agenda-nav', 'aria-label': 'Période' },
		h('a', { class: 'button secondary', href: `#/agenda/${mode}/${addDays(first, -step)}`, text: mode === 'jour' ? 'Jour précédent' : 'Semaine précédente' }),
		h('a', { class: 'button secondary', href: `#/agenda/${mode}/${today()}`, text: 'Aujourd’hui' }),
		h('a', { class: 'button secondary', href: `#/agenda/${mode}/${addDays(first, step)}`, text: mode === 'jour' ? 'Jour suivant' : 'Semaine suivante' }),
		mode === 'jour'
			? h('a', { class: 'button secondary', href: `#/agenda/semaine/${day}`, text: 'Voir la semaine' })
			: h('a', { class: 'button secondary', href: `#/agenda/jour/${day}`, text: 'Voir le jour' }));
	const title = mode === 'jour' ? `Agenda du ${dayTitle(first)}` : `Agenda : semaine du ${dayShort(first)} au ${dayShort(addDays(first, 6))}`;
	return [h('h1', { text: title }), status, nav,
		h('div', { class: 'agenda-filters' }, agentSel.wrap, motifSel.wrap, placeSel.wrap), body];
}
