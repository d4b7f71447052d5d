// appt_users.js - « Usagers » of an agent: the search (name, birth
// date, email or phone: the server matches them through blind indexes),
// the creation of a user, and a user's page with their relatives (and
// the adding of one), their appointments and their relatives' (latest
// first) and « Modifier la fiche » (every field, the server's refusals
// next to the field they name). A person without an account says at the
// counter whether they want reminders; the agent ticks it on the record
// (with an account, the person's own consents decide). Addresses hold
// the record's number only (#/usagers/12).
import { api } from './api.js';
import { dl, field, h, table } from './dom.js';
import { form, FormInvalid } from './forms.js';
import {
	birthDate, dayTitle, goAgain, LOCATION_NAMES, parisDay, parisTime, personName, recordBody, recordFields, remindersBox, STATUS_NAMES, structure,
} from './appt_common.js';

const FIELDS = [
	['last_name', 'Nom', {}],
	['first_names', 'Prénom(s)', {}],
	['birth_date', 'Date de naissance', { type: 'date' }],
	['phone', 'Téléphone', { type: 'tel' }],
	['email', 'Adresse e-mail', { type: 'email' }],
];

function userFields(prefix = '') {
	return Object.fromEntries(FIELDS.map(([k, label, attrs]) =>
		[k, field(`${prefix}${label}`, { name: k, autocomplete: 'off', ...attrs })]));
}

function bodyOf(fields) {
	const body = {};
	for (const [k, f] of Object.entries(fields)) {
		if (f.input.type === 'checkbox') {
			if (f.input.checked)
				body[k] = true;
		} else if (f.input.value.trim()) {
			body[k] = f.input.value.trim();
		}
	}
	return body;
}

// What decides a person's reminders, as the user page says it.
function remindersText(u, responsible) {
	if (u.has_account || (responsible && responsible.has_account))
		return 'Selon les consentements de son compte en ligne';
	return u.reminders_at ? `Oui, demandés le ${birthDate(parisDay(u.reminders_at))}` : 'Non';
}

function link(u) {
	return h('a', { href: `#/usagers/${u.id}`, text: personName(u) });
}

// The user's appointments and their relatives', latest first, each with
// the person it is for.
function appointmentsTable(u, relatives, list, st) {
	if (list.length === 0)
		return h('p', { text: u.responsible_id ? 'Aucun rendez-vous.' : 'Aucun rendez-vous pour cet usager ni pour ses proches.' });
	const people = new Map([[u.id, u], ...relatives.map((r) => [r.id, r])]);
	const rows = [...list].sort((a, b) => Date.parse(b.start_at) - Date.parse(a.start_at)).map((a) => {
		const motif = st.motif.get(a.motif_id);
		const place = a.place_id ? st.place.get(a.place_id) : null;
		const who = people.get(a.user_id);
		return [`${dayTitle(parisDay(a.start_at))} à ${parisTime(a.start_at)}`,
			motif ? motif.name : 'Motif archivé',
			place ? place.name : (LOCATION_NAMES[a.location_type] || ''),
			who ? personName(who) : '',
			STATUS_NAMES[a.status] || a.status];
	});
	return table(u.responsible_id ? `Rendez-vous de ${personName(u)}` : `Rendez-vous de ${personName(u)} et de ses proches`,
		['Date', 'Motif', 'Lieu', 'Pour', 'Statut'], rows, 'user-appointments');
}

async function userPage(ctx, id) {
	const u = await api('GET', `/api/v1/appointments/users/${id}`);
	const relatives = await Promise.all((u.relative_ids || []).map((r) => api('GET', `/api/v1/appointments/users/${r}`).catch(() => null)));
	const responsible = u.responsible_id ? await api('GET', `/api/v1/appointments/users/${u.responsible_id}`).catch(() => null) : null;
	const [file, st] = await Promise.all([api('GET', `/api/v1/appointments/users/${id}/appointments`), structure()]);
	const nodes = [h('h1', { text: personName(u) }),
		h('p', { class: 'notice', role: 'status', text: ctx.flash || '' }),
		dl([['Nom de naissance', u.birth_name], ['Date de naissance', birthDate(u.birth_date)], ['Téléphone', u.phone],
			['Adresse e-mail', u.email], ['Adresse', u.address], ['Compte en ligne', u.has_account ? 'Oui' : 'Non'],
			['Rappels', remindersText(u, responsible)], ['Proche de', responsible ? link(responsible) : null]])];
	if (!u.responsible_id) {
		const list = relatives.filter(Boolean);
		nodes.push(h('h2', { text: 'Proches' }),
			list.length ? h('ul', { class: 'plain relatives' }, list.map((r) => h('li', {}, link(r),
				r.birth_date ? `, né(e) le ${birthDate(r.birth_date)}` : '')))
				: h('p', { text: 'Aucun proche enregistré.' }));
		const f = userFields();
		// A relative's reminders follow their responsible's account.
		if (!u.has_account)
			f.reminders = remindersBox(false);
		nodes.push(h('details', { class: 'edit' }, h('summary', { text: 'Ajouter un proche' }),
			h('div', {}, form(f, 'Ajouter le proche', async () => {
				const r = await api('POST', '/api/v1/appointments/users', { ...bodyOf(f), responsible_id: u.id });
				goAgain(ctx, `usagers/${u.id}`, `Proche ajouté (n° ${r.id}).`);
			}))));
	}
	nodes.push(h('h2', { text: 'Rendez-vous' }), appointmentsTable(u, relatives.filter(Boolean), file.appointments || [], st));
	const ef = recordFields(u);
	const rf = u.has_account || (responsible && responsible.has_account) ? {} : { reminders: remindersBox(!!u.reminders_at) };
	nodes.push(h('details', { class: 'edit' }, h('summary', { text: 'Modifier la fiche' }),
		h('div', {}, form({ ...ef, ...rf }, 'Enregistrer la fiche', async () => {
			const body = recordBody(ef);
			if (rf.reminders)
				body.reminders = rf.reminders.input.checked;
			await api('PUT', `/api/v1/appointments/users/${u.id}`, body);
			goAgain(ctx, `usagers/${u.id}`, 'Fiche enregistrée.');
		}))));
	nodes.push(h('p', {}, h('a', { href: '#/usagers', text: 'Retour à la recherche' })));
	return nodes;
}

export async function usersView(ctx) {
	if (ctx.params[0] && /^\d+$/.test(ctx.params[0]))
		return userPage(ctx, ctx.params[0]);
	const results = h('div', { class: 'results' });
	const status = h('p', { class: 'notice', role: 'status', text: ctx.flash || '' });
	const sf = {
		last_name: field('Nom', { name: 'last_name', autocomplete: 'off' },
			'Le nom de famille entier, avec la date de naissance quand l’usager en a une ; ou bien le téléphone, ou l’adresse e-mail. La recherche ne compare que des empreintes.'),
		birth_date: field('Date de naissance', { type: 'date', name: 'birth_date' }),
		phone: field('Téléphone', { type: 'tel', name: 'phone', autocomplete: 'off' }),
		email: field('Adresse e-mail', { type: 'email', name: 'email', autocomplete: 'off' }),
	};
	const search = form(sf, 'Rechercher', async () => {
		const q = new URLSearchParams(bodyOf(sf));
		if (![...q.keys()].some((k) => k !== 'birth_date'))
			throw new FormInvalid({ last_name: 'Saisissez un nom, un téléphone ou une adresse e-mail.' });
		const r = await api('GET', `/api/v1/appointments/users?${q}`);
		const users = r.users || [];
		status.textContent = `${users.length} usager(s) trouvé(s).`;
		results.replaceChildren(users.length ? table('Usagers trouvés', ['Nom', 'Date de naissance', 'Téléphone', 'Proche de'],
			users.map((u) => [link(u), birthDate(u.birth_date), u.phone || '', u.responsible_id ? `usager n° ${u.responsible_id}` : ''])) : '');
	}, [], { cls: 'search-form' });
	const nf = userFields();
	nf.reminders = remindersBox(false);
	const create = form(nf, 'Créer l’usager', async () => {
		const r = await api('POST', '/api/v1/appointments/users', bodyOf(nf));
		ctx.go(`usagers/${r.id}`, 'Usager créé.');
	});
	return [h('h1', { text: 'Usagers' }), status, search, results,
		h('details', { class: 'edit' }, h('summary', { text: 'Nouvel usager' }), h('div', {}, create))];
}
