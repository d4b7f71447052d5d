// pauses.js - respite times (« pauses », seed 002): a family whose
// dossier is validated asks for a pause (date, start, duration, place);
// a validated volunteer sees the open requests (never the family's name
// before accepting) and accepts; either side cancels; validators see
// every pause of their association.
import { api, ApiError } from './api.js';
import { field, fill, h } from './dom.js';
import { form } from './forms.js';

const STATE = {
	demandee: 'Demandée : en attente d’un ou une bénévole',
	acceptee: 'Acceptée',
	annulee: 'Annulée',
	passee: 'Passée',
};

const errText = (err) => (err instanceof ApiError || err instanceof Error ? err.message : 'Erreur inattendue.');

function hours(min) {
	const hh = Math.floor(min / 60), mm = min % 60;
	return mm ? `${hh} h ${String(mm).padStart(2, '0')}` : `${hh} h`;
}

function when(p) {
	const [y, m, d] = p.date.split('-');
	return `${d}/${m}/${y} à ${p.start}, ${hours(p.duration)}`;
}

function person(label, x) {
	return x ? h('p', {}, `${label} : ${x.name}${x.phone ? ` (${x.phone})` : ''}`) : null;
}

function card(p, actions) {
	return h('li', { class: 'card' },
		h('p', {}, h('strong', { text: when(p) })),
		h('p', { text: `Lieu : ${p.place || '—'}` }),
		p.note ? h('p', { text: `Note : ${p.note}` }) : null,
		h('p', { class: `badge badge-${p.state}`, text: STATE[p.state] || p.state }),
		person('Famille', p.family), person('Bénévole', p.volunteer),
		...actions);
}

function button(text, onClick, status) {
	const b = h('button', { type: 'button', text });
	b.addEventListener('click', async () => {
		b.disabled = true;
		try {
			await onClick();
		} catch (err) {
			status.textContent = errText(err);
			b.disabled = false;
		}
	});
	return b;
}

function list(items, empty, make) {
	return items.length ? h('ul', { class: 'cards' }, items.map(make)) : h('p', { text: empty });
}

// Families and volunteers: « Pauses ».
export async function pausesView() {
	const status = h('p', { class: 'notice', role: 'status', tabindex: -1 });
	const box = h('div');
	const mine = await api('GET', '/api/v1/me/dossiers');
	const family = (mine.dossiers || []).find((d) => d.kind === 'family' && d.state === 'valide');
	const volunteer = (mine.dossiers || []).find((d) => d.kind === 'volunteer' && d.state === 'valide');
	async function reload() {
		const own = await api('GET', '/api/v1/dossiers/pauses/mine');
		const parts = [];
		if (family)
			parts.push(askSection(family.org, reload, status));
		if (volunteer) {
			const open = await api('GET', '/api/v1/dossiers/pauses/open');
			parts.push(h('section', {}, h('h2', { text: 'Demandes ouvertes' }),
				list(open.pauses, 'Aucune demande ouverte pour l’instant.', (p) => card(p, [
					button('Accepter cette pause', async () => {
						await api('POST', `/api/v1/dossiers/pauses/${p.id}/acceptance`);
						await reload();
						status.textContent = 'Pause acceptée : la famille est prévenue.';
					}, status)]))));
		}
		parts.push(h('section', {}, h('h2', { text: 'Mes pauses' }),
			list(own.pauses, 'Aucune pause pour l’instant.', (p) => card(p,
				p.state === 'acceptee' || (p.state === 'demandee' && p.side === 'family')
					? [button('Annuler cette pause', async () => {
						await api('POST', `/api/v1/dossiers/pauses/${p.id}/cancellation`);
						await reload();
						status.textContent = 'Pause annulée : l’autre partie est prévenue.';
					}, status)]
					: []))));
		fill(box, ...parts);
	}
	if (!family && !volunteer)
		return [h('h1', { text: 'Pauses' }),
			h('p', { text: 'Les pauses (temps de répit) sont ouvertes une fois votre dossier validé par l’association, rubrique « Mon dossier ».' })];
	await reload();
	return [h('h1', { text: 'Pauses' }),
		h('p', { class: 'hint', text: 'Une famille demande un temps de répit ; un ou une bénévole de l’association l’accepte. Chacun est prévenu.' }),
		status, box];
}

function askSection(org, reload, status) {
	const fields = {
		date: field('Date', { type: 'date', name: 'date', required: true }),
		start: field('Heure de début (entre 07:00 et 21:00)', { type: 'time', name: 'start', min: '07:00', max: '21:00', step: 900, required: true }),
		duration: field('Durée', { tag: 'select', name: 'duration',
			options: Array.from({ length: 29 }, (_, i) => 60 + 15 * i).map((m) => [String(m), hours(m)]) }),
		place: field('Lieu (ville, quartier)', { type: 'text', name: 'place', maxlength: 200, required: true }),
		note: field('Note pour le ou la bénévole (facultatif)', { tag: 'textarea', name: 'note', maxlength: 500, rows: 2 }),
	};
	return h('section', {}, h('h2', { text: 'Demander une pause' }),
		form(fields, 'Demander la pause', async () => {
			await api('POST', '/api/v1/dossiers/pauses', {
				org,
				date: fields.date.input.value,
				start: fields.start.input.value,
				duration: Number(fields.duration.input.value),
				place: fields.place.input.value.trim(),
				note: fields.note.input.value.trim(),
			});
			await reload();
			status.textContent = 'Pause demandée : les bénévoles de l’association la voient.';
		}));
}

// Validators: every pause of the association.
export async function allPausesView() {
	const all = await api('GET', '/api/v1/dossiers/pauses');
	return [h('h1', { text: 'Pauses' }),
		list(all.pauses, 'Aucune pause pour l’instant.', (p) => card(p, []))];
}
