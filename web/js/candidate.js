// candidate.js - the candidate's own space: « Mes mandats » (the schools
// allowed to book exams for them: revoke one, choose a school), « Mes
// examens », « Mes consentements » (and the privacy-policy
// acknowledgement), « Mes demandes » (GDPR rights requests with their due
// date and any extension reason) and « Rectifier mon nom ».
import { api, ApiError } from './api.js';
import { dl, field, fill, h, radios, table } from './dom.js';
import { openDialog } from './dialog.js';
import { when, whenShort } from './format.js';
import { form, FormInvalid } from './forms.js';
import { acknowledgePolicy, clearPolicyBanner } from './policy.js';
import { dueLine, RIGHT_KINDS, RIGHT_STATES } from './rights.js';
import { CATEGORIES } from './authority.js';
import { parisDay, parisTime } from './school.js';

function statusLine(text = '') {
	return h('p', { class: 'notice', role: 'status', tabindex: -1, text });
}

function say(status, text) {
	status.textContent = text;
	status.focus();
}

const myDataLink = () => h('p', {}, 'Pour obtenir une copie de vos données ou effacer votre compte : ',
	h('a', { href: '#/mes-donnees', text: 'Mes données' }), '.');

// ------------------------------------------------------------- mandates

const MANDATE_STATES = {
	pending: 'En attente',
	active: 'Actif',
	revoked: 'Révoqué',
	expired: 'Expiré',
};

// The booked exams to come that end with mandate m (the server's rule,
// docs/architecture.md): same school, same category.
function examsEndingWith(m, exams) {
	const now = Date.now();
	return exams.filter((e) => e.status === 'booked' && e.category === m.category
		&& e.school === m.school_name && new Date(e.start_at).getTime() > now);
}

// What revoking m does to the candidate's exams, said before they confirm.
function examsEffect(ending) {
	if (!ending.length)
		return [h('p', { text: 'Aucun examen réservé par cette auto-école dans cette catégorie n’est à venir : aucun examen n’est annulé.' })];
	const soon = ending.some((e) => new Date(e.start_at).getTime() - Date.now() < 7 * 24 * 3600 * 1000);
	return [
		h('p', { class: 'warning', text: ending.length === 1
			? 'L’examen que cette auto-école a réservé pour vous sera annulé, et sa place libérée :'
			: `Les ${ending.length} examens que cette auto-école a réservés pour vous seront annulés, et leurs places libérées :` }),
		h('ul', {}, ending.map((e) => h('li', { text: `${parisDay(e.start_at)} à ${parisTime(e.start_at)} (heure de Paris), ${e.centre}` }))),
		soon ? h('p', { text: 'Un examen annulé à moins de 7 jours de sa date impose d’attendre 30 jours avant de passer un nouvel examen.' }) : null,
		h('p', { text: 'L’auto-école et vous-même en serez prévenus.' }),
	];
}

async function revokeDialog(m, opener, done) {
	let dlg = null;
	let ending = [];
	try {
		ending = examsEndingWith(m, (await api('GET', '/api/v1/me/exams')).exams || []);
	} catch {
		ending = [];
	}
	const error = h('p', { class: 'error', role: 'alert' });
	const yes = h('button', { type: 'button', class: 'danger', text: 'Révoquer le mandat' });
	const no = h('button', { type: 'button', class: 'secondary', text: 'Annuler', onclick: () => dlg.close() });
	yes.addEventListener('click', async () => {
		yes.disabled = true;
		error.textContent = '';
		try {
			await api('POST', `/api/v1/me/mandates/${encodeURIComponent(m.id)}/revocation`);
			dlg.close();
			done();
		} catch (err) {
			yes.disabled = false;
			error.textContent = err instanceof ApiError ? err.detail : "Le mandat n'a pas pu être révoqué.";
		}
	});
	dlg = openDialog({
		title: 'Révoquer ce mandat ?',
		opener,
		content: [
			h('p', { text: `Mandat donné à ${m.school_name || 'une auto-école'} pour la catégorie ${m.category}.` }),
			h('p', { text: "L'auto-école perd aussitôt l'accès à votre dossier : elle ne voit plus votre nom ni votre numéro NEPH et ne peut plus réserver de place d'examen pour vous." }),
			...examsEffect(ending),
			h('p', { text: 'Vous pourrez ensuite choisir une autre auto-école sur cette page.' }),
			error,
			h('div', { class: 'actions' }, yes, no),
		],
		initialFocus: no,
	});
}

// The departments a French postcode belongs to: its first two digits,
// three overseas (97x), Corsica's 20 being 2A or 2B.
function postcodeDepartments(code) {
	if (code.startsWith('97'))
		return [code.slice(0, 3)];
	if (code.startsWith('20'))
		return ['2A', '2B'];
	return [code.slice(0, 2)];
}

// The schools whose name holds q (case and accents ignored) or, for a
// postcode (2 to 5 digits), that have an establishment in its department.
function matchSchools(schools, q) {
	const fold = (t) => String(t || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
	const query = fold(q.trim());
	if (!query)
		return schools;
	if (/^[0-9]{2,5}$/.test(query)) {
		const depts = postcodeDepartments(query);
		return schools.filter((o) => (o.departments || []).some((d) => depts.includes(d)));
	}
	return schools.filter((o) => fold(o.name).includes(query));
}

function schoolLabel(o) {
	const d = o.departments || [];
	return d.length ? `${o.name} (département${d.length > 1 ? 's' : ''} ${d.join(', ')})` : o.name;
}

export async function mandatesView(ctx) {
	const status = statusLine(ctx.flash);
	const box = h('div');
	async function reload() {
		const { mandates = [] } = await api('GET', '/api/v1/me/mandates');
		fill(box, mandates.length
			? h('ul', { class: 'cards' }, mandates.map((m) => {
				const revoke = m.state === 'active' || m.state === 'pending'
					? h('button', { type: 'button', class: 'secondary', text: 'Révoquer ce mandat…' }) : null;
				if (revoke)
					revoke.addEventListener('click', () => revokeDialog(m, revoke, async () => {
						await reload();
						say(status, "Mandat révoqué : l'auto-école n'a plus accès à votre dossier.");
					}));
				return h('li', { class: 'card' },
					h('h2', { text: `${m.school_name || 'Auto-école'} — catégorie ${m.category}` }),
					dl([
						['État', MANDATE_STATES[m.state] || m.state],
						['Auto-école', m.school_name || m.school],
						['Candidat(e)', [m.first_names, m.last_name].filter(Boolean).join(' ')],
						['Numéro NEPH', m.neph],
						['Actif depuis le', when(m.activated_at)],
						['Expire le', m.state === 'active' ? when(m.expires_at) : null],
						['Fin le', when(m.ended_at)],
					], 'facts compact'),
					revoke ? h('div', { class: 'actions' }, revoke) : null);
			}))
			: h('p', {}, "Vous n'avez donné de mandat à aucune auto-école. Si votre compte est récent, ",
				h('a', { href: '#/relier-mon-dossier', text: 'reliez-le à votre dossier' }),
				' : les mandats de votre auto-école s’afficheront ici.'));
	}
	await reload();
	let schools = [];
	try {
		schools = (await api('GET', '/api/v1/me/schools')).schools || [];
	} catch {
		schools = [];
	}
	const fields = {
		search: field('Rechercher une auto-école', { type: 'search', name: 'school-search', autocomplete: 'off', spellcheck: 'false' },
			'Son nom, ou le code postal de votre commune (les auto-écoles de votre département sont alors proposées).'),
		school: field('Auto-école', { tag: 'select', name: 'school', required: true },
			'Le mandat en cours pour cette catégorie, s’il y en a un, est alors révoqué.'),
		category: field('Catégorie de permis', { tag: 'select', name: 'category', options: CATEGORIES.map((c) => [c, c]) }),
	};
	const showMatches = () => {
		const found = matchSchools(schools, fields.search.input.value);
		fill(fields.school.input, found.length
			? found.map((o) => h('option', { value: o.org_id, text: schoolLabel(o) }))
			: h('option', { value: '', text: 'Aucune auto-école ne correspond à cette recherche' }));
	};
	fields.search.input.addEventListener('input', showMatches);
	showMatches();
	const f = form(fields, "Donner mandat à l'auto-école", async () => {
		const school = fields.school.input.value;
		if (!school)
			throw new FormInvalid({ search: 'Choisissez une auto-école : cherchez-la par son nom ou par votre code postal.' });
		await api('POST', '/api/v1/me/mandates', { school, category: fields.category.input.value });
		fields.search.input.value = '';
		showMatches();
		await reload();
		say(status, "Mandat donné : l'auto-école peut réserver vos places d'examen.");
	});
	return [h('h1', { text: 'Mes mandats' }),
		h('p', { text: "Un mandat autorise une auto-école à réserver vos places d'examen du permis de conduire. Vous pouvez le révoquer à tout moment." }),
		status,
		box,
		h('h2', { text: 'Choisir une auto-école' }),
		f];
}

// ---------------------------------------------------------------- exams

const EXAM_STATUS = {
	booked: 'Réservé',
	cancelled: 'Annulé',
	passed: 'Réussi',
	failed: 'Ajourné',
	absent: 'Absent(e)',
};

// One exam as a card (readable on a phone): when, in Paris time, where,
// which school, and for a booked exam to come its convocation and
// calendar event.
function examCard(e) {
	const booked = e.status === 'booked';
	const coming = new Date(e.start_at).getTime() > Date.now();
	const base = `/api/v1/me/exams/${encodeURIComponent(e.id)}`;
	return h('li', { class: 'card' },
		h('h2', {}, h('span', { text: parisDay(e.start_at) }), ` à ${parisTime(e.start_at)}`),
		dl([
			['Heure', `${parisTime(e.start_at)}, heure de Paris`],
			['Centre', e.centre],
			['Adresse', e.address || '—'],
			['Auto-école', e.school || '—'],
			['Catégorie', e.category],
			['État', EXAM_STATUS[e.status] || e.status],
		]),
		booked && coming
			? h('p', { class: 'actions' },
				h('a', { class: 'button', href: `${base}/convocation`, download: `convocation-${e.id}.pdf`, text: 'Télécharger la convocation (PDF)' }),
				' ',
				h('a', { href: `${base}/calendar`, download: `examen-${e.id}.ics`, text: 'Ajouter à mon agenda (.ics)' }))
			: null);
}

export async function myExamsView() {
	const { exams = [] } = await api('GET', '/api/v1/me/exams');
	return [h('h1', { text: 'Mes examens' }),
		h('p', { text: "Les examens pratiques que votre auto-école a réservés pour vous, et leur résultat. Les heures sont celles de Paris. Imprimez la convocation ou gardez-la sur votre téléphone : elle dit quoi apporter." }),
		exams.length
			? h('ul', { class: 'cards' }, exams.map(examCard))
			: h('p', { text: 'Aucun examen réservé pour le moment.' })];
}

// ------------------------------------------------------------- consents

export async function consentsView(ctx) {
	const status = statusLine();
	const box = h('div');
	function render(st) {
		const pol = st.policy || {};
		const ack = h('button', { type: 'button', text: 'J’ai lu la politique de confidentialité' });
		const ackError = h('p', { class: 'error', role: 'alert' });
		ack.addEventListener('click', async () => {
			ack.disabled = true;
			ackError.textContent = '';
			try {
				const next = await acknowledgePolicy();
				ctx.me.policy_update_pending = false;
				clearPolicyBanner();
				render(next);
				say(status, 'Votre lecture de la politique de confidentialité est enregistrée.');
			} catch (err) {
				ack.disabled = false;
				ackError.textContent = err instanceof ApiError ? err.detail : 'L’enregistrement a échoué.';
			}
		});
		const purposes = (st.purposes || []).map((p) => {
			const error = h('p', { class: 'error', role: 'alert' });
			const b = h('button', { type: 'button', class: p.given ? 'secondary' : false, text: p.given ? 'Retirer mon accord' : 'Donner mon accord' });
			b.setAttribute('aria-label', `${p.given ? 'Retirer mon accord' : 'Donner mon accord'} : ${p.label}`);
			b.addEventListener('click', async () => {
				b.disabled = true;
				error.textContent = '';
				try {
					const next = await api('POST', '/api/v1/me/consents', { purpose: p.purpose, given: !p.given, via: 'web' });
					render(next);
					say(status, `${p.label} : ${p.given ? 'accord retiré' : 'accord donné'}.`);
				} catch (err) {
					b.disabled = false;
					error.textContent = err instanceof ApiError ? err.detail : 'La modification a échoué.';
				}
			});
			return h('li', { class: 'card' },
				h('h3', { text: p.label }),
				h('p', { text: p.description }),
				h('p', {}, h('strong', { text: p.given ? 'Accord donné' : 'Pas d’accord' }),
					p.given && p.given_at ? ` le ${when(p.given_at)}` : '',
					p.needs_renewal ? ' — donné sous une ancienne version de la politique : confirmez-le si vous le souhaitez.' : ''),
				h('div', { class: 'actions' }, b), error);
		});
		const history = st.history || [];
		fill(box,
			h('h2', { text: 'Politique de confidentialité' }),
			pol.acknowledged
				? h('p', { text: `Vous avez pris connaissance de la version en vigueur le ${when(pol.acknowledged_at)}.` })
				: [h('p', { text: 'La politique de confidentialité a changé depuis votre dernière lecture.' }), h('div', { class: 'actions' }, ack), ackError],
			h('p', {}, h('a', { href: '/confidentialite.html', text: 'Lire la politique de confidentialité' })),
			st.restricted ? h('p', { class: 'notice', text: "Le traitement de vos données est limité à votre demande : elles sont conservées mais ne sont plus utilisées." }) : null,
			h('h2', { text: 'Vos accords' }),
			purposes.length ? h('ul', { class: 'cards' }, purposes) : h('p', { text: 'Aucun traitement ne demande votre accord.' }),
			history.length ? [h('h2', { text: 'Historique' }),
				table('Historique de vos accords', ['Traitement', 'Donné le', 'Retiré le'],
					history.map((e) => [((st.purposes || []).find((p) => p.purpose === e.purpose) || {}).label || e.purpose,
						whenShort(e.given_at) || '—', whenShort(e.withdrawn_at) || '—']))] : null);
	}
	render(await api('GET', '/api/v1/me/consents'));
	return [h('h1', { text: 'Mes consentements' }),
		h('p', { text: "Certains traitements n'ont lieu qu'avec votre accord : vous pouvez le donner ou le retirer à tout moment, aussi simplement." }),
		status,
		box,
		myDataLink()];
}

// ------------------------------------------------------------- requests

export async function myRequestsView() {
	const status = statusLine();
	const box = h('div');
	async function reload() {
		const { requests = [] } = await api('GET', '/api/v1/me/rights-requests');
		fill(box, requests.length
			? h('ul', { class: 'cards' }, requests.map((r) => h('li', { class: 'card' },
				h('h3', { text: RIGHT_KINDS[r.kind] || r.kind }),
				dueLine(r),
				dl([
					['Envoyée le', when(r.received_at)],
					['État', RIGHT_STATES[r.state] || r.state],
					['Votre message', r.message],
					['Délai prolongé', r.extended_months ? `de ${r.extended_months} mois, jusqu'au ${when(r.due_at)}` : null],
					['Motif de la prolongation', r.extension_reason],
					['Réponse', r.outcome],
				], 'facts compact'))))
			: h('p', { text: "Vous n'avez fait aucune demande." }));
	}
	await reload();
	const fields = {
		kind: radios('Ce que vous demandez', 'kind', [
			['access', 'Accès : savoir quelles données sont traitées et en recevoir une copie'],
			['rectification', 'Rectification : corriger une donnée inexacte (par exemple votre adresse e-mail)'],
			['erasure', 'Effacement : supprimer vos données'],
			['restriction', 'Limitation : geler l’utilisation de vos données le temps d’une vérification'],
			['objection', 'Opposition : refuser un traitement'],
			['portability', 'Portabilité : recevoir vos données dans un format réutilisable'],
		], ''),
		message: field('Précisions (facultatif)', { tag: 'textarea', name: 'message', rows: 3, maxlength: 4000 },
			'Ce qui aide à traiter votre demande : la donnée à corriger, le traitement concerné…'),
	};
	const f = form(fields, 'Envoyer la demande', async () => {
		const kind = fields.kind.value();
		if (!kind)
			throw new FormInvalid({ kind: 'Choisissez ce que vous demandez.' });
		const body = { kind };
		const message = fields.message.input.value.trim();
		if (message)
			body.message = message;
		const r = await api('POST', '/api/v1/me/rights-requests', body);
		fields.message.input.value = '';
		for (const i of fields.kind.inputs)
			i.checked = false;
		await reload();
		say(status, `Demande envoyée. Une réponse vous est due au plus tard le ${when(r.due_at)}.`);
	});
	return [h('h1', { text: 'Mes demandes' }),
		h('p', { text: "Exercez vos droits sur vos données (RGPD). Une réponse vous est due dans un délai d'un mois ; s'il doit être prolongé, le motif vous est indiqué ici." }),
		status,
		h('h2', { text: 'Vos demandes' }),
		box,
		h('h2', { text: 'Faire une demande' }),
		f,
		myDataLink()];
}

// ---------------------------------------------------------- rectification

export function rectifyView(ctx) {
	const status = statusLine();
	const current = h('p', { text: `Nom actuel : ${ctx.me.display_name || '—'}` });
	const fields = {
		display_name: field('Nom et prénom', { type: 'text', name: 'display_name', autocomplete: 'name', maxlength: 200, required: true }),
	};
	fields.display_name.input.value = ctx.me.display_name || '';
	const f = form(fields, 'Enregistrer la correction', async () => {
		const name = fields.display_name.input.value.trim();
		if (!name)
			throw new FormInvalid({ display_name: 'Indiquez votre nom.' });
		await api('POST', '/api/v1/me/rectification', { display_name: name });
		ctx.me.display_name = name;
		current.textContent = `Nom actuel : ${name}`;
		const navName = document.querySelector('.nav-name');
		if (navName && navName.lastChild)
			navName.lastChild.textContent = name;
		say(status, 'Votre nom est corrigé.');
	});
	return [h('h1', { text: 'Rectifier mon nom' }),
		h('p', { text: 'Si votre nom est mal écrit, corrigez-le ici (droit de rectification, article 16 du RGPD).' }),
		status,
		current,
		f,
		h('p', {}, 'Pour corriger votre adresse e-mail ou une autre donnée : ', h('a', { href: '#/mes-demandes', text: 'faites une demande de rectification' }), '.'),
		myDataLink()];
}
