// appt_common.js - what the appointment pages share: Paris days and
// times (the API speaks UTC, people read Paris time), the French words
// of statuses and locations, the organisation's lists, and the fields
// of a user's record.
import { api } from './api.js';
import { field, h, newId } from './dom.js';

const TZ = 'Europe/Paris';

const dayFmt = new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' });
const timeFmt = new Intl.DateTimeFormat('fr-FR', { timeZone: TZ, hour: '2-digit', minute: '2-digit' });
const partsFmt = new Intl.DateTimeFormat('en-GB', {
	timeZone: TZ, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
});

// The Paris day "YYYY-MM-DD" of a Date (or API time).
export function parisDay(t) {
	return dayFmt.format(new Date(t));
}

// The Paris time "10:30" of a Date (or API time).
export function parisTime(t) {
	return timeFmt.format(new Date(t));
}

// How far Paris is ahead of UTC at t (ms).
function offsetAt(t) {
	const p = Object.fromEntries(partsFmt.formatToParts(new Date(t)).map((x) => [x.type, x.value]));
	const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute));
	return asUtc - Math.floor(t / 60000) * 60000;
}

// The Date of Paris day "YYYY-MM-DD" at "HH:MM".
export function parisToDate(day, hhmm = '00:00') {
	const [y, m, d] = day.split('-').map(Number);
	const [hh, mm] = hhmm.split(':').map(Number);
	const wall = Date.UTC(y, m - 1, d, hh, mm);
	let t = wall - offsetAt(wall);
	t = wall - offsetAt(t);
	return new Date(t);
}

// The API's "YYYY-MM-DDTHH:MM:SSZ" of a Date.
export function utc(d) {
	return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function dayDate(day) {
	const [y, m, d] = day.split('-').map(Number);
	return new Date(Date.UTC(y, m - 1, d, 12));
}

export function addDays(day, n) {
	const d = dayDate(day);
	d.setUTCDate(d.getUTCDate() + n);
	return d.toISOString().slice(0, 10);
}

// 1 (Monday) to 7 (Sunday).
export function weekday(day) {
	return ((dayDate(day).getUTCDay() + 6) % 7) + 1;
}

export function mondayOf(day) {
	return addDays(day, 1 - weekday(day));
}

export function today() {
	return parisDay(Date.now());
}

// "lundi 7 décembre 2026".
export function dayTitle(day) {
	return dayDate(day).toLocaleDateString('fr-FR', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
}

// "lun. 7 déc.".
export function dayShort(day) {
	return dayDate(day).toLocaleDateString('fr-FR', { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short' });
}

// Whether a weekly rule (a plage or an absence: first_day, last_day,
// every_weeks, weekdays, exceptions) covers day.
export function coversDay(rule, day) {
	if (day < rule.first_day || (rule.last_day && day > rule.last_day))
		return false;
	if (!rule.every_weeks)
		return true;
	if ((rule.exceptions || []).includes(day) || !(rule.weekdays || []).includes(weekday(day)))
		return false;
	const weeks = Math.round((dayDate(mondayOf(day)) - dayDate(mondayOf(rule.first_day))) / (7 * 86400000));
	return weeks % rule.every_weeks === 0;
}

export const STATUS_NAMES = {
	a_venir: 'À venir',
	vu: 'Vu',
	excuse: 'Excusé',
	non_venu: 'Non venu',
	annule_agent: 'Annulé par le service',
	annule_usager: "Annulé par l'usager",
};

export const LOCATION_NAMES = {
	place: 'Sur place',
	phone: 'Par téléphone',
	home: 'À domicile',
};

export const WEEKDAY_NAMES = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'];

export function cancelled(status) {
	return status === 'annule_agent' || status === 'annule_usager';
}

// "1 h 30" or "45 min".
export function duration(min) {
	if (min < 60)
		return `${min} min`;
	return min % 60 ? `${Math.floor(min / 60)} h ${String(min % 60).padStart(2, '0')}` : `${min / 60} h`;
}

// The organisation's services, places, motifs and agents (archived ones
// left out), as maps by id and lists.
export async function structure() {
	const [s, p, m, a] = await Promise.all([
		api('GET', '/api/v1/appointments/services'),
		api('GET', '/api/v1/appointments/places'),
		api('GET', '/api/v1/appointments/motifs'),
		api('GET', '/api/v1/appointments/agents'),
	]);
	const live = (l) => (l || []).filter((x) => !x.archived);
	const byId = (l, k = 'id') => new Map(l.map((x) => [x[k], x]));
	const services = live(s.services);
	const places = live(p.places);
	const motifs = live(m.motifs);
	const agents = live(a.agents);
	return {
		services, places, motifs, agents,
		service: byId(services), place: byId(places), motif: byId(motifs), agent: byId(agents, 'account_id'),
	};
}

// A person's name as people write it: "Marie Durand".
export function personName(u) {
	return [u.first_names, u.last_name].filter(Boolean).join(' ') || `Usager n° ${u.id}`;
}

// "12/03/1980" from "1980-03-12".
export function birthDate(s) {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s || '');
	return m ? `${m[3]}/${m[2]}/${m[1]}` : '';
}

// Goes to page path (without "#/") with notice, showing it again when
// it is already the current one.
export function goAgain(ctx, path, notice) {
	const same = window.location.hash === `#/${path}`;
	ctx.go(path, notice);
	if (same)
		window.dispatchEvent(new HashChangeEvent('hashchange'));
}

// Every field of a record, filled with u's values: [name, label, attrs].
const SITUATIONS = [['', 'Non renseignée'], ['celibataire', 'Célibataire'], ['marie', 'Marié(e)'], ['pacse', 'Pacsé(e)'],
	['concubinage', 'En concubinage'], ['separe', 'Séparé(e)'], ['divorce', 'Divorcé(e)'], ['veuf', 'Veuf ou veuve']];
const RECORD = [
	['last_name', 'Nom', {}],
	['birth_name', 'Nom de naissance', {}],
	['first_names', 'Prénom(s)', {}],
	['birth_date', 'Date de naissance', { type: 'date' }],
	['phone', 'Téléphone', { type: 'tel' }],
	['email', 'Adresse e-mail', { type: 'email' }],
	['address', 'Adresse', {}],
	['caf_number', 'Numéro d’allocataire CAF', { inputmode: 'numeric' }],
	['family_situation', 'Situation familiale', { tag: 'select', options: SITUATIONS }],
	['children', 'Nombre d’enfants', { type: 'number', min: '0', max: '30' }],
	['notes', 'Notes', { tag: 'textarea', rows: '3' }],
];

export function recordFields(u, only = null) {
	const fields = {};
	for (const [k, label, attrs] of RECORD) {
		if (only && !only.includes(k))
			continue;
		const f = field(label, { name: k, autocomplete: 'off', ...attrs });
		const v = u[k];
		f.input.value = v === null || v === undefined ? '' : String(v);
		fields[k] = f;
	}
	return fields;
}

// The body of a replacement: every field typed (one left empty is
// emptied), the number of children as a number.
export function recordBody(fields) {
	const body = {};
	for (const [k, f] of Object.entries(fields)) {
		const v = f.input.value.trim();
		if (!v)
			continue;
		body[k] = k === 'children' && /^\d+$/.test(v) ? Number(v) : v;
	}
	return body;
}

// The reminders a person without an account asked for at the counter:
// a checkbox in a form's fields, sent as `reminders`.
export function remindersBox(checked) {
	const id = newId('reminders');
	const input = h('input', { type: 'checkbox', id, name: 'reminders', checked });
	const error = h('p', { id: `${id}-err`, class: 'error', role: 'alert' });
	input.setAttribute('aria-describedby', `${id}-hint ${id}-err`);
	const wrap = h('div', { class: 'field' },
		h('div', { class: 'check' }, input,
			h('label', { for: id, text: 'L’usager souhaite recevoir les rappels de ses rendez-vous' })),
		h('p', { id: `${id}-hint`, class: 'hint',
			text: 'Par SMS et par e-mail, aux coordonnées de la fiche, 48 heures avant. À cocher seulement si l’usager l’a demandé ; il peut revenir sur ce choix à tout moment.' }),
		error);
	return { wrap, input, error };
}
