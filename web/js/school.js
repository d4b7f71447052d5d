// school.js - what the school's pages share: Paris dates, candidates'
// names, the reasons of the booking rules in plain words, the basket's
// countdown and small bar charts drawn with SVG elements (the figures are
// always written beside them too).
import { api } from './api.js';
import { h, newId } from './dom.js';
import { toDate } from './format.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
const PARIS = 'Europe/Paris';

// ------------------------------------------------------------ dates

// "jeudi 26 novembre 2026", in Paris time (exam slots are French).
export function parisDay(t) {
	const d = toDate(t);
	return d ? d.toLocaleDateString('fr-FR', { timeZone: PARIS, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }) : '';
}

// "08:30", in Paris time.
export function parisTime(t) {
	const d = toDate(t);
	return d ? d.toLocaleTimeString('fr-FR', { timeZone: PARIS, hour: '2-digit', minute: '2-digit' }) : '';
}

// "jeudi 26 novembre 2026 à 08:30", in Paris time.
export function parisWhen(t) {
	const day = parisDay(t);
	return day ? `${day} à ${parisTime(t)}` : '';
}

// "YYYY-MM-DD" of t in Paris time (for grouping by day).
export function parisDate(t) {
	const d = toDate(t);
	return d ? d.toLocaleDateString('en-CA', { timeZone: PARIS }) : '';
}

// The instant of 00:00 in Paris on day "YYYY-MM-DD" (a week's bounds
// for the API, whatever the reader's own time zone).
export function parisStart(day) {
	const guess = Date.parse(`${day}T00:00:00Z`);
	const wall = (t) => {
		const p = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
			timeZone: PARIS, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
			hour: '2-digit', minute: '2-digit', second: '2-digit',
		}).formatToParts(new Date(t)).map((x) => [x.type, x.value]));
		return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
	};
	let t = guess - (wall(guess) - guess);
	t = guess - (wall(t) - t); // the offset at that instant (summer time)
	return new Date(t);
}

// "YYYY-MM-DD" n days after day "YYYY-MM-DD".
export function addDays(day, n) {
	const d = new Date(`${day}T12:00:00Z`);
	d.setUTCDate(d.getUTCDate() + n);
	return d.toISOString().slice(0, 10);
}

// "YYYY-MM-DD" of the Monday of the week of t, in Paris time.
export function weekStart(t = Date.now()) {
	const day = parisDate(t);
	const wd = (new Date(`${day}T12:00:00Z`).getUTCDay() + 6) % 7;
	return addDays(day, -wd);
}

// Day "YYYY-MM-DD" in words: "lundi 7 décembre 2026", or with short set
// "lun. 7 déc.".
export function dayName(day, short = false) {
	const d = new Date(`${day}T12:00:00Z`);
	return d.toLocaleDateString('fr-FR', short
		? { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short' }
		: { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
}

// "YYYY-MM" of the month offset months after t's month, in Paris time.
export function parisMonth(t = Date.now(), offset = 0) {
	const [y, m] = parisDate(t).split('-').map(Number);
	const n = y * 12 + (m - 1) + offset;
	return `${Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, '0')}`;
}

// "novembre 2026" for "2026-11" or 202611.
export function monthName(m) {
	const s = String(m).replace('-', '');
	const d = new Date(Date.UTC(Number(s.slice(0, 4)), Number(s.slice(4, 6)) - 1, 15));
	return Number.isNaN(d.getTime()) ? String(m) : d.toLocaleDateString('fr-FR', { month: 'long', year: 'numeric', timeZone: 'UTC' });
}

// Days from now until t (negative: past).
export function daysUntil(t) {
	const d = toDate(t);
	return d ? (d.getTime() - Date.now()) / 86400000 : 0;
}

// "1 place", "3 places".
export function plural(n, one, many = `${one}s`) {
	return `${n} ${n > 1 ? many : one}`;
}

// ------------------------------------------------------------ people

// "Anna Bonnet".
export function personName(c) {
	return c ? `${c.first_names || ''} ${c.last_name || ''}`.trim() : '';
}

// The candidates the caller may see, as a Map id -> candidate; an empty
// map when the role may not list them.
export async function candidatesById() {
	try {
		const { candidates = [] } = await api('GET', '/api/v1/candidates');
		return new Map(candidates.map((c) => [c.id, c]));
	} catch {
		return new Map();
	}
}

// The name of candidate id from map, or « candidat(e) n° id ».
export function candidateLabel(map, id) {
	if (!id)
		return 'aucun(e) candidat(e)';
	const c = map.get(id);
	return c ? personName(c) : `candidat(e) n° ${id}`;
}

// The options of a candidate <select> for a slot of category cat:
// [value, text] with an empty first choice.
export function candidateOptions(map, cat, empty = 'Choisir plus tard') {
	const list = [...map.values()].filter((c) => !cat || c.category === cat)
		.sort((a, b) => personName(a).localeCompare(personName(b), 'fr'));
	return [['', empty], ...list.map((c) => [String(c.id), `${personName(c)} (NEPH ${c.neph})`])];
}

// ------------------------------------------------------------ rules

// What each rule's code means, in plain words (the API's detail is used
// when there is one; this is for codes that come alone).
export const REASONS = {
	CANDIDAT_INCONNU: 'Candidat(e) introuvable dans le registre, ou plus sous mandat de votre auto-école.',
	CANDIDAT_DEJA_SOUS_MANDAT: 'Ce candidat est déjà sous mandat d’une autre auto-école pour cette catégorie.',
	CANDIDAT_DEJA_SOUS_MON_MANDAT: 'Ce candidat est déjà sous mandat de votre auto-école pour cette catégorie.',
	CANDIDAT_PAS_SOUS_MANDAT: 'Ce candidat n’est pas sous mandat de votre auto-école.',
	CANDIDAT_OBLIGATOIRE: 'Aucun candidat n’était choisi pour cette place.',
	CANDIDAT_DEJA_DANS_PANIER: 'Ce candidat est déjà placé sur une autre place du panier.',
	CANDIDAT_DEJA_INSCRIT: 'Ce candidat a déjà un examen réservé dans cette catégorie.',
	CANDIDAT_EN_ATTENTE_DE_RESULTAT: 'Ce candidat attend le résultat d’un examen.',
	CANDIDAT_AYANT_DEJA_OBTENU_SON_EXAMEN: 'Ce candidat a déjà obtenu son permis dans cette catégorie.',
	CANDIDAT_SOUS_PENALITE: 'Ce candidat est dans un délai d’attente avant un nouvel examen.',
	CENTRE_INCONNU: 'Centre d’examen inconnu.',
	CRENEAU_INCONNU: 'Cette place n’existe plus.',
	CRENEAU_DEJA_RESERVE: 'Cette place vient d’être prise par une autre auto-école.',
	CRENEAU_PAS_DANS_LE_PANIER: 'Cette place n’est plus dans votre panier.',
	PANIER_INCONNU: 'Panier introuvable.',
	PANIER_PLEIN: 'Le panier est plein.',
	PANIER_EXPIRE: 'Le panier a expiré : ses places ont été libérées.',
	TROP_DE_CRENEAUX: 'Trop de places ajoutées en une seule fois.',
	SEUIL_ATTEINT: 'Le quota de places de votre auto-école est atteint pour ce mois.',
	ACTION_INTERDITE: 'Cette place n’est pas encore ouverte à votre auto-école.',
	EXAMEN_INCONNU: 'Examen introuvable.',
	EXAMEN_DEJA_ANNULE: 'Cet examen est déjà annulé.',
	EXAMEN_NON_MODIFIABLE: 'Cet examen a déjà eu lieu : il ne peut plus être modifié.',
	PERMUTATION_IMPOSSIBLE: 'Ces deux examens ne peuvent pas être échangés.',
	NOMBRE_DE_REMPLACEMENTS_AUTORISES_ATTEINT: 'Les 2 remplacements permis pour cet examen ont déjà été faits.',
	PARAMETRE_INVALIDE: 'Une donnée de la demande est invalide.',
};

export function reason(code, detail) {
	return detail || REASONS[code] || 'La demande a été refusée.';
}

export const EXAM_STATUS = {
	booked: 'Réservé',
	cancelled: 'Annulé',
	passed: 'Réussi',
	failed: 'Échoué',
	absent: 'Absent(e)',
};

// ------------------------------------------------------------ countdown

// "12 min 05 s", "45 s".
export function duration(ms) {
	const s = Math.max(0, Math.ceil(ms / 1000));
	const m = Math.floor(s / 60);
	const r = String(s % 60).padStart(2, '0');
	return m > 0 ? `${m} min ${r} s` : `${s % 60} s`;
}

// Counts down to the time endMs, calling tick(msLeft) each second while
// el is on the page, warn() once when 3 minutes are left (if more were
// left at the start) and done() at zero. Returns a stop function.
export function countdown(el, endMs, { tick, warn, done }) {
	let warned = endMs - Date.now() <= 3 * 60 * 1000;
	let timer = null;
	const step = () => {
		if (!el.isConnected) {
			clearInterval(timer);
			return;
		}
		const left = endMs - Date.now();
		tick(Math.max(0, left));
		if (!warned && left <= 3 * 60 * 1000) {
			warned = true;
			if (warn)
				warn();
		}
		if (left <= 0) {
			clearInterval(timer);
			if (done)
				done();
		}
	};
	timer = setInterval(step, 1000);
	tick(Math.max(0, endMs - Date.now()));
	return () => clearInterval(timer);
}

// ------------------------------------------------------------ charts

function svg(tag, attrs = {}, ...children) {
	const el = document.createElementNS(SVG_NS, tag);
	for (const [k, v] of Object.entries(attrs))
		if (v !== null && v !== undefined)
			el.setAttribute(k, String(v));
	for (const c of children.flat())
		if (c)
			el.append(typeof c === 'string' ? document.createTextNode(c) : c);
	return el;
}

// Horizontal gauges, one per row of rows: { label, value, max, text }.
// The drawing has a title naming what it shows and a description holding
// every figure; the same figures are written in words beside it by the
// caller. The part used is filled, the rest outlined: no colour needed.
export function gauges(title, rows) {
	const titleId = newId('g');
	const descId = newId('g');
	const rowH = 34;
	const width = 320;
	const labelW = 80;
	const barW = width - labelW - 10;
	const height = rows.length * rowH + 4;
	return svg('svg', {
		viewBox: `0 0 ${width} ${height}`, class: 'chart chart-gauges', role: 'img',
		'aria-labelledby': `${titleId} ${descId}`, focusable: 'false',
	},
	svg('title', { id: titleId }, title),
	svg('desc', { id: descId }, rows.map((r) => `${r.label} : ${r.text}`).join(' ; ')),
	rows.map((r, i) => {
		const y = i * rowH + 4;
		const frac = r.max > 0 ? Math.min(1, r.value / r.max) : (r.value > 0 ? 1 : 0);
		const level = r.max > 0 && r.value >= r.max ? 'full' : (r.max > 0 && r.value >= 0.8 * r.max ? 'low' : 'ok');
		return svg('g', {},
			svg('text', { x: 0, y: y + 18, class: 'chart-label' }, r.label),
			svg('rect', { x: labelW, y: y + 4, width: barW, height: 20, class: 'chart-track' }),
			frac > 0 ? svg('rect', { x: labelW, y: y + 4, width: Math.max(2, barW * frac), height: 20, class: `chart-bar chart-${level}` }) : null);
	}));
}

// Vertical bars, one per column of cols: { label, value }.
export function columns(title, cols, unit = 'examen') {
	const titleId = newId('g');
	const descId = newId('g');
	const max = Math.max(1, ...cols.map((c) => c.value));
	const colW = 56;
	const chartH = 100;
	const width = Math.max(cols.length * colW, colW);
	return svg('svg', {
		viewBox: `0 0 ${width} ${chartH + 40}`, class: 'chart chart-columns', role: 'img',
		'aria-labelledby': `${titleId} ${descId}`, focusable: 'false',
	},
	svg('title', { id: titleId }, title),
	svg('desc', { id: descId }, cols.map((c) => `${c.label} : ${plural(c.value, unit)}`).join(' ; ')),
	svg('line', { x1: 0, y1: chartH + 16, x2: width, y2: chartH + 16, class: 'chart-axis' }),
	cols.map((c, i) => {
		const bh = (c.value / max) * (chartH - 10);
		const x = i * colW + 10;
		return svg('g', {},
			svg('rect', { x, y: chartH + 16 - bh, width: colW - 20, height: Math.max(bh, 0), class: 'chart-bar chart-ok' }),
			svg('text', { x: x + (colW - 20) / 2, y: chartH + 10 - bh, class: 'chart-value', 'text-anchor': 'middle' }, String(c.value)),
			svg('text', { x: x + (colW - 20) / 2, y: chartH + 34, class: 'chart-label', 'text-anchor': 'middle' }, c.label));
	}));
}

// A quota line in words: "3 places utilisées sur 5 : il en reste 2."
export function quotaText(q) {
	if (q.quota <= 0)
		return 'Aucune place : pas d’enseignant(e) déclaré(e) pour ce département et cette catégorie.';
	const used = `${plural(q.used, 'place utilisée', 'places utilisées')} sur ${q.quota}`;
	if (q.left <= 0)
		return `${used} : quota atteint, plus aucune réservation possible ce mois-ci.`;
	return `${used} : il en reste ${q.left}.`;
}

// The word of a quota's state, shown beside the colour.
export function quotaBadge(q) {
	if (q.quota > 0 && q.left <= 0)
		return { level: 'late', word: 'Atteint' };
	if (q.quota > 0 && q.used >= 0.8 * q.quota)
		return { level: 'urgent', word: 'Presque atteint' };
	return { level: 'done', word: 'Disponible' };
}

// A section titled title holding nodes (h2 with its id).
// Remote mode: a list answered from its last copy while the exam
// authority does not answer (copy_of set) says so, with its date.
export function copyBanner(res) {
	if (!res || !res.copy_of)
		return null;
	return h('p', { class: 'error', role: 'alert' },
		`L’autorité d’examen ne répond pas : voici la copie du ${parisWhen(res.copy_of)}, en lecture seule. Rien ne peut être réservé ni modifié avant son retour. `,
		h('a', { href: '#/autorite', text: 'Voir la liaison avec l’autorité d’examen' }));
}

export function section(title, ...nodes) {
	const id = newId('s');
	return h('section', { 'aria-labelledby': id }, h('h2', { id, text: title }), ...nodes);
}
