// exams.js - « Examens » (school manager): the school's exams to come,
// each with its cancellation (a dialog warns of the 30-day delay of a
// late one) and its replacement (at most 2), and the swap of the
// candidates of two exams.
import { api, ApiError } from './api.js';
import { field, fill, h, setError } from './dom.js';
import { openDialog } from './dialog.js';
import {
	candidateLabel, candidateOptions, candidatesById, copyBanner, daysUntil, EXAM_STATUS, parisDay, parisTime,
	parisWhen, plural, section,
} from './school.js';

const errText = (err, fallback) => (err instanceof ApiError ? err.detail : fallback);

function examTitle(e, names) {
	return `${parisWhen(e.start_at)} — ${candidateLabel(names, e.candidate_id)}`;
}

export async function examsView(ctx) {
	const from = new Date(Date.now() - 12 * 3600 * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
	const [res, names] = await Promise.all([
		api('GET', `/api/v1/exams?from=${encodeURIComponent(from)}`),
		candidatesById(),
	]);
	let exams = (res.exams || []).slice().sort((a, b) => String(a.start_at).localeCompare(String(b.start_at)));
	const status = h('p', { class: 'notice', role: 'status', tabindex: -1, text: ctx.flash || '' });
	const listBox = h('div');
	const swapBox = h('div');

	async function reload(message) {
		const r = await api('GET', `/api/v1/exams?from=${encodeURIComponent(from)}`);
		exams = (r.exams || []).slice().sort((a, b) => String(a.start_at).localeCompare(String(b.start_at)));
		render();
		status.textContent = message;
		status.focus();
	}

	function cancelDialog(e, opener) {
		const days = daysUntil(e.start_at);
		const late = days < 7;
		const error = h('p', { class: 'error', role: 'alert' });
		const confirm = h('button', { type: 'button', class: 'danger', text: 'Annuler l’examen' });
		const keep = h('button', { type: 'button', class: 'secondary', text: 'Garder l’examen' });
		const dlg = openDialog({
			title: 'Annuler cet examen ?',
			opener,
			content: [
				h('p', {}, 'Examen du ', h('strong', { text: parisWhen(e.start_at) }), ` à ${e.centre || `département ${e.department}`}, catégorie ${e.category}, pour `,
					h('strong', { text: candidateLabel(names, e.candidate_id) }), '.'),
				h('p', { class: late ? 'warning' : 'hint', text: late
					? `Attention : l’examen a lieu dans moins de 7 jours. Cette annulation est tardive : ${candidateLabel(names, e.candidate_id)} devra attendre 30 jours avant de pouvoir passer un nouvel examen.`
					: 'L’examen a lieu dans plus de 7 jours : pas de délai d’attente pour le candidat. Annulée moins de 7 jours avant, une place entraîne un délai de 30 jours.' }),
				h('p', { class: 'hint', text: 'La place est libérée pour les autres auto-écoles et votre quota du mois retrouve une place.' }),
				error,
				h('div', { class: 'actions' }, confirm, keep)],
			initialFocus: keep,
		});
		keep.addEventListener('click', () => dlg.close());
		confirm.addEventListener('click', async () => {
			confirm.disabled = true;
			error.textContent = '';
			try {
				const r = await api('POST', `/api/v1/exams/${encodeURIComponent(e.id)}/cancellation`);
				dlg.close();
				await reload(`Examen du ${parisWhen(e.start_at)} annulé.${r.late_cancellation ? ` Annulation tardive : ${candidateLabel(names, e.candidate_id)} doit attendre 30 jours avant un nouvel examen.` : ''}`);
			} catch (err) {
				confirm.disabled = false;
				error.textContent = errText(err, 'L’examen n’a pas pu être annulé.');
			}
		});
	}

	function replaceDialog(e, opener) {
		const cand = field('Nouveau candidat', { tag: 'select', name: 'candidate_id',
			options: candidateOptions(names, e.category, 'Choisir un candidat').filter(([v]) => v !== String(e.candidate_id)) },
		`Un candidat sous mandat de votre auto-école, catégorie ${e.category}. Remplacements déjà faits : ${e.replacements} sur 2.`);
		const error = h('p', { class: 'error', role: 'alert' });
		const confirm = h('button', { type: 'button', text: 'Remplacer le candidat' });
		const keep = h('button', { type: 'button', class: 'secondary', text: 'Fermer' });
		const dlg = openDialog({
			title: 'Remplacer le candidat',
			opener,
			content: [
				h('p', {}, 'Examen du ', h('strong', { text: parisWhen(e.start_at) }), ', actuellement pour ', h('strong', { text: candidateLabel(names, e.candidate_id) }), '.'),
				cand.wrap, error, h('div', { class: 'actions' }, confirm, keep)],
			initialFocus: cand.input,
		});
		keep.addEventListener('click', () => dlg.close());
		confirm.addEventListener('click', async () => {
			setError(cand, '');
			error.textContent = '';
			if (!cand.input.value) {
				setError(cand, 'Choisissez le candidat qui prendra cette place.');
				cand.input.focus();
				return;
			}
			confirm.disabled = true;
			try {
				await api('POST', `/api/v1/exams/${encodeURIComponent(e.id)}/replacement`, { candidate_id: Number(cand.input.value) });
				dlg.close();
				await reload(`${candidateLabel(names, Number(cand.input.value))} remplace ${candidateLabel(names, e.candidate_id)} à l’examen du ${parisWhen(e.start_at)}.`);
			} catch (err) {
				confirm.disabled = false;
				if (err instanceof ApiError && err.field === 'candidate_id') {
					setError(cand, err.detail);
					cand.input.focus();
				} else {
					error.textContent = errText(err, 'Le candidat n’a pas pu être remplacé.');
				}
			}
		});
	}

	function examItem(e) {
		const booked = e.status === 'booked';
		const future = new Date(e.start_at).getTime() > Date.now();
		const title = examTitle(e, names);
		const actions = [];
		if (booked && future) {
			const cancel = h('button', { type: 'button', class: 'secondary', text: 'Annuler…', 'aria-label': `Annuler l’examen du ${title}` });
			cancel.addEventListener('click', () => cancelDialog(e, cancel));
			actions.push(cancel);
			if (e.replacements < 2) {
				const repl = h('button', { type: 'button', class: 'secondary', text: 'Remplacer le candidat…', 'aria-label': `Remplacer le candidat de l’examen du ${title}` });
				repl.addEventListener('click', () => replaceDialog(e, repl));
				actions.push(repl);
			}
		}
		if (booked && future)
			actions.push(h('a', { href: `/api/v1/exams/${encodeURIComponent(e.id)}/convocation`, download: `convocation-${e.id}.pdf`,
				text: 'Convocation (PDF)', 'aria-label': `Convocation de l’examen du ${title} (PDF)` }));
		const late = booked && future && daysUntil(e.start_at) < 7;
		return h('li', { class: `exam${booked ? '' : ' exam-done'}` },
			h('h3', {}, h('span', { text: parisDay(e.start_at) }), ` à ${parisTime(e.start_at)}`),
			h('p', {}, h('strong', { text: candidateLabel(names, e.candidate_id) }),
				` — ${e.centre || `département ${e.department}`}, catégorie ${e.category}`),
			h('p', { class: 'hint' }, `${EXAM_STATUS[e.status] || e.status}`,
				booked ? ` · remplacements : ${e.replacements} sur 2` : '',
				booked && e.replacements >= 2 ? ' (plus de remplacement possible)' : '',
				late ? ' · dans moins de 7 jours : une annulation serait tardive' : ''),
			actions.length ? h('div', { class: 'actions' }, actions) : null);
	}

	function swapForm() {
		const swappable = exams.filter((e) => e.status === 'booked' && new Date(e.start_at).getTime() > Date.now());
		if (swappable.length < 2)
			return h('p', { text: 'Il faut au moins deux examens à venir pour échanger leurs candidats.' });
		const opts = [['', 'Choisir un examen'], ...swappable.map((e) => [String(e.id), `${examTitle(e, names)} (cat. ${e.category})`])];
		const a = field('Premier examen', { tag: 'select', name: 'exam_a', options: opts });
		const b = field('Second examen', { tag: 'select', name: 'exam_b', options: opts },
			'Les deux examens doivent être de la même catégorie ; chaque candidat prend la place de l’autre.');
		const general = h('p', { class: 'error', role: 'alert' });
		const button = h('button', { type: 'submit', text: 'Échanger les candidats' });
		const form = h('form', { novalidate: true, class: 'swap-form' }, general, a.wrap, b.wrap, h('div', { class: 'actions' }, button));
		form.addEventListener('submit', async (ev) => {
			ev.preventDefault();
			setError(a, '');
			setError(b, '');
			general.textContent = '';
			if (!a.input.value || !b.input.value || a.input.value === b.input.value) {
				const target = !a.input.value ? a : b;
				setError(target, !a.input.value || !b.input.value ? 'Choisissez un examen.' : 'Choisissez deux examens différents.');
				target.input.focus();
				return;
			}
			button.disabled = true;
			try {
				await api('POST', '/api/v1/exams/swap', { exam_ids: [Number(a.input.value), Number(b.input.value)] });
				await reload('Les candidats des deux examens ont été échangés.');
			} catch (err) {
				button.disabled = false;
				general.textContent = errText(err, 'Les examens n’ont pas pu être échangés.');
			}
		});
		return form;
	}

	function render() {
		const upcoming = exams.filter((e) => e.status === 'booked').length;
		fill(listBox, exams.length
			? [h('p', { class: 'summary', text: `${plural(upcoming, 'examen réservé', 'examens réservés')} à venir${exams.length > upcoming ? `, ${exams.length - upcoming} annulé${exams.length - upcoming > 1 ? 's' : ''} ou passé${exams.length - upcoming > 1 ? 's' : ''}` : ''}.` }),
				h('ul', { class: 'exams' }, exams.map(examItem))]
			: h('p', {}, 'Aucun examen à venir. ', h('a', { href: '#/reserver', text: 'Réserver des places' })));
		swapBox.replaceChildren(swapForm());
	}
	render();

	return [h('h1', { text: 'Examens' }),
		copyBanner(res),
		status,
		h('p', { text: 'Les examens réservés par votre auto-école. Un examen passé ne peut plus être modifié.' }),
		h('p', { class: 'actions no-print' },
			h('a', { href: '/api/v1/exams?format=csv', download: 'examens.csv', text: 'Exporter la liste (CSV pour Excel)' }),
			h('button', { type: 'button', class: 'secondary', text: 'Imprimer la liste', onclick: () => window.print() })),
		section('Examens à venir', listBox),
		section('Échanger deux candidats', swapBox)];
}
