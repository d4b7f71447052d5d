// format.js - dates, numbers and names as a French reader expects them.

export const ROLE_NAMES = {
	platform_admin: 'Administration de la plateforme',
	dpo: 'Délégué(e) à la protection des données',
	school_admin: "Direction d'auto-école",
	school_manager: "Gestion d'auto-école",
	trainer: 'Enseignant(e) de la conduite',
	regional_supervisor: 'Supervision régionale',
	dispatcher: 'Répartition des places',
	agent: 'Agent',
	validator: 'Validation',
	candidate: 'Candidat(e)',
};

// A Date from what the API sends: seconds or milliseconds since the
// epoch, or "YYYY-MM-DDTHH:MM:SSZ". null when there is nothing usable.
export function toDate(t) {
	if (typeof t === 'number')
		return new Date(t < 1e12 ? t * 1000 : t);
	if (typeof t === 'string' && t) {
		const d = new Date(t);
		return Number.isNaN(d.getTime()) ? null : d;
	}
	return null;
}

// "25 novembre 2026 à 10:30" in the reader's time zone, or '' for nothing.
export function when(t) {
	const d = toDate(t);
	return d ? d.toLocaleString('fr-FR', { dateStyle: 'long', timeStyle: 'short' }) : '';
}

// "25/11/2026 10:30:05", for tables.
export function whenShort(t) {
	const d = toDate(t);
	return d ? d.toLocaleString('fr-FR', { dateStyle: 'short', timeStyle: 'medium' }) : '';
}

// "12 345".
export function count(n) {
	return typeof n === 'number' ? n.toLocaleString('fr-FR') : '';
}

// The API's "YYYY-MM-DDTHH:MM:SSZ" for a Date.
export function isoUtc(d) {
	return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// The value of an <input type="datetime-local"> (local time) for a Date.
export function localInput(d) {
	const p = (n) => String(n).padStart(2, '0');
	return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

// The API time of a datetime-local or date input's value (local time; a
// date alone means its first second, or its last one when end is set),
// or null when the value is empty or not a time.
export function inputToIso(value, end = false) {
	if (!value)
		return null;
	const d = /^\d{4}-\d{2}-\d{2}$/.test(value)
		? new Date(`${value}T${end ? '23:59:59' : '00:00:00'}`)
		: new Date(value);
	return Number.isNaN(d.getTime()) ? null : isoUtc(d);
}
