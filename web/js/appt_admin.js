// appt_admin.js - « Configuration des rendez-vous » for the
// organisation's admin (agent_admin): services, places, motifs, opening
// hours (weekly, every n weeks, with a first and an optional last day)
// and absences, each a list with an « Ajouter » form and « Archiver »;
// an agent sees and records absences too. The page names the online
// booking address to publish. One tab per address
// (#/rdv-configuration/motifs).
import { api } from './api.js';
import { field, h, newId, table } from './dom.js';
import { form, FormInvalid } from './forms.js';
import { birthDate, duration, goAgain, LOCATION_NAMES, structure, WEEKDAY_NAMES } from './appt_common.js';

const TABS = [
	['services', 'Services', true],
	['lieux', 'Lieux', true],
	['motifs', 'Motifs', true],
	['horaires', 'Horaires d’ouverture', true],
	['absences', 'Absences', false],
];

// Reloads the current tab with notice.
function reload(ctx, tab, notice) {
	goAgain(ctx, `rdv-configuration/${tab}`, notice);
}

function archiveButton(ctx, tab, path, what) {
	return h('button', {
		type: 'button', class: 'secondary small', text: 'Archiver', 'aria-label': `Archiver ${what}`,
		onclick: async (ev) => {
			ev.currentTarget.disabled = true;
			try {
				await api('POST', `${path}/archival`);
				reload(ctx, tab, `${what} archivé(e).`);
			} catch (err) {
				ev.target.disabled = false;
				ctx.go(`rdv-configuration/${tab}`, err.detail || 'L’archivage a échoué.');
			}
		},
	});
}

function adding(summary, f) {
	return h('details', { class: 'edit' }, h('summary', { text: summary }), h('div', {}, f));
}

// A group of checkboxes: { wrap, input, error, values() }.
function checks(legend, name, choices, checked = []) {
	const error = h('p', { class: 'error', role: 'alert', id: newId('e') });
	const inputs = choices.map(([v, t]) => {
		const id = newId('k');
		const input = h('input', { type: 'checkbox', id, name, value: String(v), checked: checked.includes(v) });
		return { input, wrap: h('div', { class: 'check' }, input, h('label', { for: id, text: t })) };
	});
	const wrap = h('fieldset', { class: 'field', 'aria-describedby': error.id }, h('legend', { text: legend }),
		inputs.map((x) => x.wrap), error);
	return { wrap, error, input: inputs[0] ? inputs[0].input : wrap, values: () => inputs.filter((x) => x.input.checked).map((x) => x.input.value) };
}

function str(fields, body = {}) {
	for (const [k, f] of Object.entries(fields))
		if (f.input && f.input.tagName !== 'FIELDSET' && f.input.type !== 'checkbox' && f.input.value.trim() !== '')
			body[k] = f.input.value.trim();
	return body;
}

function recurText(r) {
	const days = (r.weekdays || []).map((d) => WEEKDAY_NAMES[d - 1]).join(', ');
	const every = r.every_weeks > 1 ? `toutes les ${r.every_weeks} semaines` : r.every_weeks === 1 ? 'chaque semaine' : 'une fois';
	const range = r.last_day ? `du ${birthDate(r.first_day)} au ${birthDate(r.last_day)}` : `à partir du ${birthDate(r.first_day)}`;
	return `${r.every_weeks ? `${days}, ${every}` : every}, ${r.start_time} – ${r.end_time}, ${range}`;
}

function servicesTab(ctx, st) {
	const f = { name: field('Nom du service', { name: 'name', required: true }) };
	return [table('Services', ['Nom', 'Actions'], st.services.map((s) => [s.name,
		archiveButton(ctx, 'services', `/api/v1/appointments/services/${s.id}`, `le service ${s.name}`)])),
	adding('Ajouter un service', form(f, 'Ajouter le service', async () => {
		await api('POST', '/api/v1/appointments/services', str(f));
		reload(ctx, 'services', 'Service ajouté.');
	}))];
}

const ROOMS_HINT = 'Combien de rendez-vous le lieu peut accueillir en même temps (salles, bureaux). 0 : sans limite.';

// A place's rooms, changed in its row: the whole record is sent again
// (PUT replaces it).
function roomsEditor(ctx, p) {
	const input = h('input', {
		type: 'number', id: newId('r'), min: 0, max: 1000, value: String(p.rooms || 0), inputmode: 'numeric', class: 'rooms-input',
		'aria-label': `Salles du lieu ${p.name} (0 : sans limite)`,
	});
	const error = h('span', { class: 'error', role: 'alert' });
	const save = h('button', {
		type: 'button', class: 'secondary small', text: 'Enregistrer', 'aria-label': `Enregistrer les salles du lieu ${p.name}`,
		onclick: async () => {
			save.disabled = true;
			try {
				await api('PUT', `/api/v1/appointments/places/${p.id}`, {
					name: p.name, address: p.address, phone: p.phone || '', opening_notes: p.opening_notes || '', rooms: Number(input.value),
				});
				reload(ctx, 'lieux', `Salles du lieu ${p.name} enregistrées.`);
			} catch (err) {
				save.disabled = false;
				error.textContent = err.detail || 'L’enregistrement a échoué.';
				input.setAttribute('aria-invalid', 'true');
				input.focus();
			}
		},
	});
	return h('div', { class: 'rooms-edit' }, input, save, error);
}

function placesTab(ctx, st) {
	const f = {
		name: field('Nom du lieu', { name: 'name', required: true }),
		address: field('Adresse', { name: 'address', required: true, autocomplete: 'street-address' },
			'Avec le code postal (« 12 rue de la Paix, 44000 Nantes ») : c’est par lui que les usagers trouvent le lieu.'),
		phone: field('Téléphone', { type: 'tel', name: 'phone' }),
		opening_notes: field('Informations pratiques', { tag: 'textarea', name: 'opening_notes', rows: 2 }),
		rooms: field('Nombre de salles', { type: 'number', name: 'rooms', min: 0, max: 1000, value: '0', inputmode: 'numeric' }, ROOMS_HINT),
	};
	return [table('Lieux', ['Nom', 'Adresse', 'Téléphone', 'Salles', 'Actions'], st.places.map((p) => [p.name, p.address, p.phone || '',
		roomsEditor(ctx, p),
		archiveButton(ctx, 'lieux', `/api/v1/appointments/places/${p.id}`, `le lieu ${p.name}`)])),
	adding('Ajouter un lieu', form(f, 'Ajouter le lieu', async () => {
		const body = str(f);
		body.rooms = Number(body.rooms || 0);
		await api('POST', '/api/v1/appointments/places', body);
		reload(ctx, 'lieux', 'Lieu ajouté.');
	}))];
}

function motifsTab(ctx, st) {
	const f = {
		service_id: field('Service', { tag: 'select', name: 'service_id', options: st.services.map((s) => [String(s.id), s.name]) }),
		name: field('Nom du motif', { name: 'name', required: true }),
		location_type: field('Lieu du rendez-vous', { tag: 'select', name: 'location_type', options: Object.entries(LOCATION_NAMES) }),
		duration_min: field('Durée (minutes)', { type: 'number', name: 'duration_min', min: 5, max: 1440, step: 5, value: '30', inputmode: 'numeric' }),
		min_delay_min: field('Délai minimum avant le rendez-vous (minutes)', { type: 'number', name: 'min_delay_min', min: 0, value: '120', inputmode: 'numeric' }),
		max_delay_min: field('Délai maximum de réservation (minutes)', { type: 'number', name: 'max_delay_min', min: 0, value: '86400', inputmode: 'numeric' },
			'86 400 minutes : 60 jours.'),
		cancel_deadline_min: field('Annulation en ligne possible jusqu’à (minutes avant)', { type: 'number', name: 'cancel_deadline_min', min: 0, value: '1440', inputmode: 'numeric' }),
		instructions: field('Consignes pour l’usager', { tag: 'textarea', name: 'instructions', rows: 2 }),
	};
	const online = h('input', { type: 'checkbox', id: newId('o'), name: 'online', checked: true });
	const onlineWrap = h('div', { class: 'check' }, online, h('label', { for: online.id, text: 'Réservable en ligne par les usagers' }));
	const service = (id) => (st.service.get(id) || {}).name || '';
	return [table('Motifs', ['Nom', 'Service', 'Lieu', 'Durée', 'En ligne', 'Actions'], st.motifs.map((m) => [m.name, service(m.service_id),
		LOCATION_NAMES[m.location_type] || '', duration(m.duration_min), m.online ? 'Oui' : 'Non',
		archiveButton(ctx, 'motifs', `/api/v1/appointments/motifs/${m.id}`, `le motif ${m.name}`)])),
	adding('Ajouter un motif', form(f, 'Ajouter le motif', async () => {
		const body = str(f);
		for (const k of ['service_id', 'duration_min', 'min_delay_min', 'max_delay_min', 'cancel_deadline_min'])
			if (body[k] !== undefined)
				body[k] = Number(body[k]);
		body.online = online.checked;
		await api('POST', '/api/v1/appointments/motifs', body);
		reload(ctx, 'motifs', `Motif « ${body.name} » ajouté.`);
	}, [onlineWrap]))];
}

function agentOptions(st, ctx, admin) {
	const list = admin ? st.agents : st.agents.filter((a) => a.account_id === ctx.me.id);
	return list.map((a) => [a.account_id, a.display_name || 'Agent']);
}

function recurFields(withWeeks) {
	const f = {
		first_day: field('Premier jour', { type: 'date', name: 'first_day', required: true }),
		last_day: field('Dernier jour (facultatif)', { type: 'date', name: 'last_day' }),
		start_time: field('Heure de début', { type: 'time', name: 'start_time', required: true, value: '09:00' }),
		end_time: field('Heure de fin', { type: 'time', name: 'end_time', required: true, value: '12:00' }),
	};
	if (withWeeks !== null)
		f.every_weeks = field('Répétition', {
			tag: 'select', name: 'every_weeks',
			options: (withWeeks ? [] : [['0', 'Une seule fois']]).concat([['1', 'Chaque semaine'], ['2', 'Toutes les 2 semaines'], ['3', 'Toutes les 3 semaines'], ['4', 'Toutes les 4 semaines']]),
		});
	return f;
}

function plagesTab(ctx, st, plages) {
	const f = {
		agent_id: field('Agent', { tag: 'select', name: 'agent_id', options: agentOptions(st, ctx, true) }),
		name: field('Nom (facultatif)', { name: 'name' }),
		place_id: field('Lieu', { tag: 'select', name: 'place_id', options: [['', 'Sans lieu (téléphone, domicile)']].concat(st.places.map((p) => [String(p.id), p.name])) }),
		...recurFields(true),
	};
	const days = checks('Jours', 'weekdays', WEEKDAY_NAMES.map((d, i) => [i + 1, d]), [1, 2, 3, 4, 5]);
	const motifs = checks('Motifs proposés', 'motif_ids', st.motifs.map((m) => [m.id, m.name]));
	f.weekdays = days;
	f.motif_ids = motifs;
	const agent = (id) => (st.agent.get(id) || {}).display_name || 'Agent';
	const place = (id) => (id ? (st.place.get(id) || {}).name || '' : 'Sans lieu');
	return [table('Horaires d’ouverture', ['Agent', 'Lieu', 'Quand', 'Motifs', 'Actions'], plages.filter((p) => !p.archived).map((p) => [agent(p.agent_id),
		place(p.place_id), recurText(p), (p.motif_ids || []).map((m) => (st.motif.get(m) || {}).name).filter(Boolean).join(', '),
		archiveButton(ctx, 'horaires', `/api/v1/appointments/plages/${p.id}`, `les horaires de ${agent(p.agent_id)}`)])),
	adding('Ajouter des horaires d’ouverture', form(f, 'Ajouter les horaires', async () => {
		const body = str(f);
		body.every_weeks = Number(body.every_weeks);
		if (body.place_id)
			body.place_id = Number(body.place_id);
		body.weekdays = days.values().map(Number);
		body.motif_ids = motifs.values().map(Number);
		const bad = {};
		if (!body.weekdays.length)
			bad.weekdays = 'Cochez au moins un jour.';
		if (!body.motif_ids.length)
			bad.motif_ids = 'Cochez au moins un motif.';
		if (Object.keys(bad).length)
			throw new FormInvalid(bad);
		await api('POST', '/api/v1/appointments/plages', body);
		reload(ctx, 'horaires', 'Horaires d’ouverture ajoutés.');
	}, [days.wrap, motifs.wrap]))];
}

function absencesTab(ctx, st, absences, admin) {
	const f = { agent_id: field('Agent', { tag: 'select', name: 'agent_id', options: agentOptions(st, ctx, admin) }), ...recurFields(false) };
	const days = checks('Jours (absence répétée)', 'weekdays', WEEKDAY_NAMES.map((d, i) => [i + 1, d]));
	f.weekdays = days;
	const agent = (id) => (st.agent.get(id) || {}).display_name || 'Agent';
	const mine = absences.filter((a) => !a.archived && (admin || a.agent_id === ctx.me.id));
	return [table('Absences', ['Agent', 'Quand', 'Actions'], mine.map((a) => [agent(a.agent_id), recurText(a),
		archiveButton(ctx, 'absences', `/api/v1/appointments/absences/${a.id}`, `l’absence de ${agent(a.agent_id)}`)])),
	adding('Ajouter une absence', form(f, 'Ajouter l’absence', async () => {
		const body = str(f);
		body.every_weeks = Number(body.every_weeks);
		if (body.every_weeks) {
			body.weekdays = days.values().map(Number);
			if (!body.weekdays.length)
				throw new FormInvalid({ weekdays: 'Cochez au moins un jour pour une absence répétée.' });
		}
		await api('POST', '/api/v1/appointments/absences', body);
		reload(ctx, 'absences', 'Absence ajoutée.');
	}, [days.wrap]))];
}

export async function apptConfigView(ctx) {
	const admin = ctx.roles.has('agent_admin');
	const tabs = TABS.filter(([, , adminOnly]) => admin || !adminOnly);
	const tab = tabs.find(([p]) => p === ctx.params[0]) ? ctx.params[0] : tabs[0][0];
	const st = await structure();
	let body;
	if (tab === 'services')
		body = servicesTab(ctx, st);
	else if (tab === 'lieux')
		body = placesTab(ctx, st);
	else if (tab === 'motifs')
		body = motifsTab(ctx, st);
	else if (tab === 'horaires')
		body = plagesTab(ctx, st, (await api('GET', '/api/v1/appointments/plages')).plages || []);
	else
		body = absencesTab(ctx, st, (await api('GET', '/api/v1/appointments/absences')).absences || [], admin);
	const label = tabs.find(([p]) => p === tab)[1];
	const link = `${window.location.origin}/#/rendez-vous/${ctx.me.org_id}`;
	return [h('h1', { text: `Configuration des rendez-vous : ${label}` }),
		h('p', { class: 'notice', role: 'status', text: ctx.flash || '' }),
		h('nav', { class: 'tabs', 'aria-label': 'Rubriques' }, h('ul', { class: 'tab-list' }, tabs.map(([p, l]) =>
			h('li', {}, h('a', { href: `#/rdv-configuration/${p}`, text: l, 'aria-current': p === tab ? 'page' : false }))))),
		admin ? h('p', { class: 'hint block' }, 'Adresse de prise de rendez-vous en ligne à publier : ', h('span', { class: 'mono booking-link', text: link })) : null,
		body];
}
