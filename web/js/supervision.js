// supervision.js - the regional supervisor's pages and the school
// administrator's approvals:
//  - « Planning régional » (regional_supervisor): per department of the
//    region and per week, the slots published, free, in a basket and
//    booked, and the exams per school: counts only, in a table and a
//    small bar chart whose figures are in the table too;
//  - « Demandes de changement » (regional_supervisor): the region's
//    exams to come (school, centre, date: never a candidate), a request
//    to move one to a free slot or to cancel it, with a short reason,
//    and the supervisor's own requests with their state;
//  - « Demandes à approuver » (school_admin): the requests to the school,
//    approve (the change is made then, if every rule still holds) or
//    refuse, and the outcome in plain French.
// The region is the set of departments where the supervisor's own
// organisation has establishments (see docs/architecture.md).
import { api, ApiError } from './api.js';
import { field, fill, h, radios, setError, table } from './dom.js';
import { openDialog } from './dialog.js';
import { columns, parisDay, parisWhen, plural, section } from './school.js';

const errText = (err, fallback) => (err instanceof ApiError ? err.detail : fallback);

// The state of a request in words, with the rule when it failed.
function stateText(r) {
	switch (r.state) {
	case 'pending': return 'En attente de la décision de l’auto-école : rien n’a changé pour l’instant.';
	case 'approved': return r.kind === 'move' ? 'Approuvée : l’examen a été déplacé.' : 'Approuvée : l’examen a été annulé.';
	case 'rejected': return 'Refusée par l’auto-école : rien n’a changé.';
	case 'failed': return `Approuvée mais impossible, rien n’a changé : ${r.outcome_detail || r.outcome_code}`;
	default: return r.state;
	}
}

const STATE_WORD = { pending: 'En attente', approved: 'Approuvée', rejected: 'Refusée', failed: 'Impossible' };

// "lundi 14 janvier 2030" for "2030-01-14".
const weekLabel = (day) => parisDay(`${day}T12:00:00Z`);
const shortDay = (day) => `${day.slice(8, 10)}/${day.slice(5, 7)}`;

function requestLine(r, extra) {
	const what = r.kind === 'move'
		? `Déplacer l’examen du ${parisWhen(r.exam_start_at)} (${r.centre}) au ${parisWhen(r.target_start_at)}`
		: `Annuler l’examen du ${parisWhen(r.exam_start_at)} (${r.centre})`;
	return h('li', { class: `slot-request request-${r.state}` },
		h('h3', {}, h('span', { class: `badge badge-${r.state}`, text: STATE_WORD[r.state] || r.state }), ` ${what}`),
		h('p', {}, `${r.school} · demande n° ${r.id} du ${parisWhen(r.requested_at)}`),
		// The note is sealed under its author's key: erased with them.
		h('p', {}, 'Motif : ', r.reason ? h('q', { text: r.reason }) : 'effacé avec le compte de son auteur'),
		h('p', { class: r.state === 'failed' ? 'warning' : 'hint', text: stateText(r) }),
		extra || null);
}

// ------------------------------------------------------ Planning régional

export async function planningView() {
	const status = h('p', { class: 'notice', role: 'status', tabindex: -1 });
	const out = h('div');
	const weeks = field('Période', { tag: 'select', name: 'weeks', options: [['4', '4 semaines'], ['8', '8 semaines'], ['13', '13 semaines']] },
		'À partir de la semaine en cours. Les semaines commencent le lundi.');
	const button = h('button', { type: 'submit', text: 'Afficher' });
	const form = h('form', { novalidate: true, class: 'filters' }, weeks.wrap, h('div', { class: 'actions' }, button));

	async function load() {
		const now = new Date();
		const monday = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - ((now.getUTCDay() + 6) % 7)));
		const to = new Date(monday.getTime() + Number(weeks.input.value) * 7 * 86400000);
		const iso = (d) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
		const r = await api('GET', `/api/v1/planning?from=${encodeURIComponent(iso(monday))}&to=${encodeURIComponent(iso(to))}`);
		const byDept = new Map();
		for (const w of r.weeks || []) {
			if (!byDept.has(w.department))
				byDept.set(w.department, []);
			byDept.get(w.department).push(w);
		}
		if (!byDept.size) {
			fill(out, h('p', { text: 'Aucun département dans votre région : votre organisme n’a pas d’établissement déclaré.' }));
			return;
		}
		fill(out, [...byDept.entries()].map(([dept, list]) => section(`Département ${dept}`,
			h('p', { class: 'summary', text: `${plural(list.reduce((n, w) => n + w.booked, 0), 'place réservée', 'places réservées')} sur ${plural(list.reduce((n, w) => n + w.published, 0), 'place publiée', 'places publiées')} dans la période.` }),
			columns(`Places réservées par semaine, département ${dept}`, list.map((w) => ({ label: shortDay(w.week), value: w.booked })), 'place réservée'),
			table(`Département ${dept} : places et examens par semaine`,
				['Semaine du', 'Places publiées', 'Libres', 'Dans un panier', 'Réservées', 'Examens par auto-école'],
				list.map((w) => [weekLabel(w.week), String(w.published), String(w.free), String(w.held), String(w.booked),
					w.schools.length ? w.schools.map((s) => `${s.school} : ${plural(s.exams, 'examen')}`).join(' ; ') : 'Aucun examen']),
				'planning'))));
	}
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		button.disabled = true;
		try {
			await load();
			status.textContent = 'Planning mis à jour.';
		} catch (err) {
			status.textContent = errText(err, 'Le planning n’a pas pu être chargé.');
		}
		button.disabled = false;
		status.focus();
	});
	await load();
	return [h('h1', { text: 'Planning régional' }),
		h('p', { text: 'Les places d’examen et les examens des départements de votre région, semaine par semaine. Des nombres seulement : aucun candidat n’apparaît ici.' }),
		form, status, out];
}

// ------------------------------------------------- Demandes de changement

export async function changeRequestsView(ctx) {
	const status = h('p', { class: 'notice', role: 'status', tabindex: -1, text: ctx.flash || '' });
	const examsBox = h('div');
	const mineBox = h('div');

	async function reload(message) {
		const [ex, mine] = await Promise.all([api('GET', '/api/v1/planning/exams'), api('GET', '/api/v1/slot-requests')]);
		const list = ex.exams || [];
		fill(examsBox, list.length
			? table('Examens à venir de la région', ['Date', 'Centre', 'Auto-école', 'Catégorie', 'Action'],
				list.map((e) => {
					const b = h('button', { type: 'button', class: 'secondary', text: 'Demander un changement…',
						'aria-label': `Demander un changement pour l’examen du ${parisWhen(e.start_at)}, ${e.school}` });
					b.addEventListener('click', () => requestDialog(e, b));
					return [parisWhen(e.start_at), e.centre, e.school, e.category, b];
				}))
			: h('p', { text: 'Aucun examen à venir dans votre région.' }));
		const reqs = mine.requests || [];
		fill(mineBox, reqs.length
			? h('ul', { class: 'requests' }, reqs.map((r) => requestLine(r)))
			: h('p', { text: 'Vous n’avez fait aucune demande.' }));
		if (message !== undefined) {
			status.textContent = message;
			status.focus();
		}
	}

	async function requestDialog(e, opener) {
		const slots = (await api('GET', `/api/v1/planning/slots?category=${encodeURIComponent(e.category)}`)).slots || [];
		const kind = radios('Changement demandé', 'kind', [['move', 'Déplacer l’examen sur une autre place'], ['cancel', 'Annuler l’examen']], 'move');
		const slot = field('Nouvelle place', { tag: 'select', name: 'target_slot_id',
			options: [['', slots.length ? 'Choisir une place libre' : 'Aucune place libre'], ...slots.map((s) => [String(s.id), `${parisWhen(s.start_at)} — ${s.centre}`])] },
		`Une place libre et publiée de la région, catégorie ${e.category}.`);
		const reason = field('Motif', { tag: 'textarea', name: 'reason', maxlength: 200, rows: 3 },
			'200 caractères au plus. N’écrivez pas le nom d’un candidat : l’auto-école sait de quel examen il s’agit.');
		const error = h('p', { class: 'error', role: 'alert' });
		const send = h('button', { type: 'button', text: 'Envoyer la demande' });
		const close = h('button', { type: 'button', class: 'secondary', text: 'Fermer' });
		const dlg = openDialog({
			title: 'Demander un changement',
			opener,
			content: [
				h('p', {}, 'Examen du ', h('strong', { text: parisWhen(e.start_at) }), ` — ${e.centre}, ${e.school}, catégorie ${e.category}.`),
				h('p', { class: 'hint', text: 'Rien ne change avant qu’un administrateur de l’auto-école approuve la demande.' }),
				kind.wrap, slot.wrap, reason.wrap, error, h('div', { class: 'actions' }, send, close)],
			initialFocus: kind.input,
		});
		const sync = () => { slot.wrap.hidden = kind.value() !== 'move'; };
		kind.inputs.forEach((i) => i.addEventListener('change', sync));
		close.addEventListener('click', () => dlg.close());
		send.addEventListener('click', async () => {
			setError(slot, '');
			setError(reason, '');
			error.textContent = '';
			const k = kind.value();
			if (k === 'move' && !slot.input.value) {
				setError(slot, 'Choisissez la place où déplacer l’examen.');
				slot.input.focus();
				return;
			}
			if (!reason.input.value.trim()) {
				setError(reason, 'Indiquez le motif de la demande.');
				reason.input.focus();
				return;
			}
			send.disabled = true;
			try {
				const body = { exam_id: e.id, kind: k, reason: reason.input.value.trim() };
				if (k === 'move')
					body.target_slot_id = Number(slot.input.value);
				const r = await api('POST', '/api/v1/slot-requests', body);
				dlg.close();
				await reload(`Demande n° ${r.id} envoyée à ${e.school} : elle attend la décision d’un administrateur de l’auto-école.`);
			} catch (err) {
				send.disabled = false;
				const target = err instanceof ApiError && err.field === 'target_slot_id' ? slot
					: err instanceof ApiError && err.field === 'reason' ? reason : null;
				if (target) {
					setError(target, err.detail);
					target.input.focus();
				} else {
					error.textContent = errText(err, 'La demande n’a pas pu être envoyée.');
				}
			}
		});
	}

	await reload();
	return [h('h1', { text: 'Demandes de changement' }),
		status,
		h('p', { text: 'Demandez à une auto-école de votre région de déplacer ou d’annuler un examen. La demande ne change rien tant qu’un administrateur de l’auto-école ne l’a pas approuvée.' }),
		section('Examens à venir de la région', examsBox),
		section('Mes demandes', mineBox)];
}

// ------------------------------------------------- Demandes à approuver

export async function approvalsView(ctx) {
	const status = h('p', { class: 'notice', role: 'status', tabindex: -1, text: ctx.flash || '' });
	const pendingBox = h('div');
	const doneBox = h('div');

	async function decide(r, decision, button) {
		button.disabled = true;
		try {
			const d = await api('POST', `/api/v1/slot-requests/${encodeURIComponent(r.id)}/decision`, { decision });
			let msg;
			if (d.state === 'approved')
				msg = r.kind === 'move'
					? `Demande n° ${r.id} approuvée : l’examen est maintenant le ${parisWhen(r.target_start_at)}.`
					: `Demande n° ${r.id} approuvée : l’examen est annulé.${d.late_cancellation ? ' Annulation tardive : le candidat doit attendre 30 jours avant un nouvel examen.' : ''}`;
			else if (d.state === 'failed')
				msg = `Demande n° ${r.id} impossible, rien n’a changé : ${d.detail || d.code}`;
			else
				msg = `Demande n° ${r.id} refusée : rien n’a changé.`;
			await reload(msg);
		} catch (err) {
			button.disabled = false;
			status.textContent = errText(err, 'La décision n’a pas pu être enregistrée.');
			status.focus();
		}
	}

	async function reload(message) {
		const r = await api('GET', '/api/v1/slot-requests/queue');
		const all = r.requests || [];
		const pending = all.filter((x) => x.state === 'pending');
		fill(pendingBox, pending.length
			? h('ul', { class: 'requests' }, pending.map((x) => {
				const ok = h('button', { type: 'button', text: 'Approuver', 'aria-label': `Approuver la demande n° ${x.id}` });
				const no = h('button', { type: 'button', class: 'secondary', text: 'Refuser', 'aria-label': `Refuser la demande n° ${x.id}` });
				ok.addEventListener('click', () => decide(x, 'approve', ok));
				no.addEventListener('click', () => decide(x, 'reject', no));
				return requestLine(x, h('div', { class: 'actions' }, ok, no));
			}))
			: h('p', { text: 'Aucune demande en attente.' }));
		const done = all.filter((x) => x.state !== 'pending');
		fill(doneBox, done.length
			? h('ul', { class: 'requests' }, done.map((x) => requestLine(x)))
			: h('p', { text: 'Aucune demande traitée.' }));
		if (message !== undefined) {
			status.textContent = message;
			status.focus();
		}
	}

	await reload();
	return [h('h1', { text: 'Demandes à approuver' }),
		status,
		h('p', { text: 'Les demandes de changement d’un superviseur régional sur les examens de votre auto-école. Approuver fait le changement à ce moment-là, si toutes les règles de réservation le permettent encore ; sinon la demande est marquée impossible et rien ne change.' }),
		section('En attente', pendingBox),
		section('Déjà traitées', doneBox)];
}
