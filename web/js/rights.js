// rights.js - « Demandes d'exercice des droits » (DPO): the register of
// the GDPR rights requests of the organisation, with their due dates (late
// ones said in words, not by colour alone), a request received by mail or
// in person registered, and each request's steps in order: identity
// verified, then an optional extension with its reason, then the closing
// with its outcome (and, for a restriction granted, its lifting).
import { api, apiDownload, ApiError } from './api.js';
import { dl, field, h, icon, radios, table } from './dom.js';
import { inputToIso, when } from './format.js';
import { form, FormInvalid } from './forms.js';

export const RIGHT_KINDS = {
	access: 'Accès aux données (art. 15)',
	rectification: 'Rectification (art. 16)',
	erasure: 'Effacement (art. 17)',
	restriction: 'Limitation du traitement (art. 18)',
	portability: 'Portabilité (art. 20)',
	objection: 'Opposition (art. 21)',
};

export const RIGHT_STATES = {
	received: 'Reçue : identité à vérifier',
	verified: 'En cours de traitement',
	extended: 'En cours, délai prolongé',
	done: 'Traitée',
	refused: 'Refusée',
};

const closed = (r) => Boolean(r.closed_at) || r.state === 'done' || r.state === 'refused';

// The due date in words with a shape: « En retard », « À traiter avant… »
// or « Clôturée le… »; level is late, urgent (a week or less), pending or
// done.
export function dueOf(r) {
	if (closed(r))
		return { level: 'done', word: r.state === 'refused' ? 'Refusée' : 'Traitée', text: `Clôturée le ${when(r.closed_at)}.`, kind: 'check' };
	const due = new Date(r.due_at).getTime();
	const days = Math.ceil((due - Date.now()) / 86400000);
	if (r.late || days < 0)
		return { level: 'late', word: 'En retard', text: `L'échéance était le ${when(r.due_at)}.`, kind: 'alert' };
	return {
		level: days <= 7 ? 'urgent' : 'pending',
		word: days <= 7 ? 'Bientôt dû' : 'En cours',
		text: `Réponse due au plus tard le ${when(r.due_at)} (${days <= 1 ? 'moins de 2 jours' : `dans ${days} jours`}).`,
		kind: 'clock',
	};
}

export function dueLine(r) {
	const d = dueOf(r);
	return h('p', { class: `clock level-${d.level}` },
		h('span', { class: 'badge' }, icon(d.kind), d.word), ' ',
		h('span', { class: 'clock-text', text: d.text }));
}

// ----------------------------------------------------------------- list

async function listView(ctx) {
	const { requests = [] } = await api('GET', '/api/v1/rights-requests');
	const open = requests.filter((r) => !closed(r));
	const late = open.filter((r) => dueOf(r).level === 'late').length;
	const sorted = [...open].sort((a, b) => String(a.due_at).localeCompare(String(b.due_at)))
		.concat(requests.filter(closed).sort((a, b) => String(b.closed_at).localeCompare(String(a.closed_at))));
	const fields = {
		kind: field('Droit exercé', { tag: 'select', name: 'kind', options: Object.entries(RIGHT_KINDS) }),
		identity: field('Qui fait la demande', { tag: 'textarea', name: 'identity', rows: 2, maxlength: 1000 },
			"Nom, adresse ou e-mail indiqués par la personne. Conservé chiffré ; à vérifier avant toute réponse."),
		message: field('Contenu de la demande', { tag: 'textarea', name: 'message', rows: 3, maxlength: 4000 }),
		received_at: field('Reçue le', { type: 'datetime-local', name: 'received_at' }, 'Laissez vide pour maintenant. Le délai d’un mois court à partir de la réception.'),
	};
	const f = form(fields, 'Enregistrer la demande', async () => {
		const body = { kind: fields.kind.input.value };
		const identity = fields.identity.input.value.trim();
		if (!identity)
			throw new FormInvalid({ identity: 'Indiquez qui fait la demande.' });
		body.identity = identity;
		const message = fields.message.input.value.trim();
		if (message)
			body.message = message;
		if (fields.received_at.input.value) {
			const at = inputToIso(fields.received_at.input.value);
			if (!at)
				throw new FormInvalid({ received_at: 'Indiquez une date et une heure valides.' });
			body.received_at = at;
		}
		const r = await api('POST', '/api/v1/rights-requests', body);
		ctx.go(`demandes-droits/${encodeURIComponent(r.id)}`, 'Demande enregistrée. Vérifiez maintenant l’identité du demandeur.');
	});
	return [h('h1', { text: "Demandes d'exercice des droits" }),
		ctx.flash ? h('p', { class: 'notice', role: 'status', text: ctx.flash }) : null,
		h('p', { text: "Toute demande d'une personne sur ses données (accès, rectification, effacement, limitation, portabilité, opposition) doit recevoir une réponse dans un délai d'un mois après sa réception, prolongeable de deux mois au plus pour une demande complexe, en le lui disant avec le motif (art. 12.3 RGPD)." }),
		h('h2', { text: 'Demandes inscrites' }),
		requests.length
			? h('p', { class: 'summary', text: `${requests.length} demande${requests.length > 1 ? 's' : ''} : ${open.length} en cours${late ? `, dont ${late} en retard` : ''}.` })
			: h('p', { text: 'Aucune demande inscrite.' }),
		requests.length ? table('Demandes, les plus urgentes d’abord', ['Demande', 'Reçue le', 'État', 'Échéance'],
			sorted.map((r) => [
				h('a', { href: `#/demandes-droits/${encodeURIComponent(r.id)}`, text: RIGHT_KINDS[r.kind] || r.kind }),
				when(r.received_at),
				RIGHT_STATES[r.state] || r.state,
				dueLine(r)]), 'requests-table') : null,
		h('details', { class: 'edit' },
			h('summary', {}, h('span', { class: 'summary-title', text: 'Enregistrer une demande reçue par courrier, courriel ou en personne' })),
			h('div', {}, f))];
}

// --------------------------------------------------------------- detail

function step(n, title, done, body) {
	return h('li', { class: `step${done ? ' step-done' : ''}` },
		h('h3', {}, `Étape ${n} : ${title}`, done ? h('span', { class: 'step-state' }, ' ', icon('check'), ' fait') : null),
		body);
}

// Saves blob under filename through a temporary link.
function save({ blob, filename }) {
	const url = URL.createObjectURL(blob);
	const a = h('a', { href: url, download: filename, hidden: true });
	document.body.append(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// The NEPH as typed: spaces dropped; checked here for a clear message.
function nephOf(input) {
	const neph = input.value.replace(/\s+/g, '');
	if (!/^[0-9]{10,19}$/.test(neph))
		throw new FormInvalid({ neph: 'Indiquez le numéro NEPH de la personne : de 10 à 19 chiffres.' });
	return neph;
}

// A person without account, known to the registry of candidates: the
// DPO finds their files by NEPH (sent in the body, never in the address)
// to give them a copy (access, portability) or to erase them (erasure).
function registryStep(r, path, act) {
	const nephField = () => field('NEPH de la personne', { name: 'neph', inputmode: 'numeric', autocomplete: 'off', maxlength: 25 },
		'Le numéro figurant sur son dossier de candidat ou sa pièce d’identité. Il n’est pas conservé avec la demande.');
	if (r.kind === 'erasure') {
		const fields = {
			neph: nephField(),
			outcome: field('Réponse donnée à la personne (facultatif)', { tag: 'textarea', name: 'outcome', rows: 3, maxlength: 2000 },
				'Laissez vide pour le texte standard : ce qui est effacé, ce qui est conservé et pourquoi.'),
		};
		const sure = h('input', { type: 'checkbox', id: 'registry-erase-sure', name: 'sure' });
		const sureWrap = h('p', { class: 'check' }, sure, ' ',
			h('label', { for: 'registry-erase-sure', text: 'Je confirme l’effacement définitif de ses dossiers du registre' }));
		return [h('p', { text: "La personne n'a pas de compte : son effacement porte sur ses dossiers du registre des candidats. Ses examens à venir sont annulés, ses mandats révoqués, son identité effacée et la clé qui chiffrait ses données détruite (y compris dans les sauvegardes) ; la demande est close comme traitée." }),
			form(fields, 'Effacer ses dossiers du registre et clore', async () => {
				const neph = nephOf(fields.neph.input);
				if (!sure.checked)
					throw new FormInvalid({ general: 'Cochez la confirmation : l’effacement est définitif.' });
				const body = { action: 'erase_registry', neph };
				const outcome = fields.outcome.input.value.trim();
				if (outcome)
					body.outcome = outcome;
				await act(body, 'Dossiers du registre effacés ; demande close.');
			}, [sureWrap])];
	}
	const fields = {
		neph: nephField(),
		format: radios('Format', 'format', [['html', 'Récapitulatif lisible (HTML)'], ['json', 'Données réutilisables (JSON, portabilité)']], r.kind === 'portability' ? 'json' : 'html'),
	};
	const done = h('p', { class: 'notice', role: 'status' });
	return [h('p', { text: "La personne n'a pas de compte : ses données sont celles de ses dossiers du registre des candidats. Retrouvez-les par son NEPH et transmettez-lui la copie, avec pour chaque donnée sa finalité, ses destinataires et sa durée de conservation." }),
		form(fields, 'Télécharger ses données', async () => {
			const neph = nephOf(fields.neph.input);
			const format = fields.format.value();
			done.textContent = '';
			save(await apiDownload(`${path}/registry-export`, { neph, format }, `donnees-registre.${format}`));
			done.textContent = 'Copie téléchargée. Transmettez-la à la personne, puis closez la demande.';
		}, [done])];
}

async function detailView(ctx, id) {
	let r;
	const path = `/api/v1/rights-requests/${encodeURIComponent(id)}`;
	try {
		r = await api('GET', path);
	} catch (err) {
		if (err instanceof ApiError && err.status === 404)
			return [h('h1', { text: 'Demande introuvable' }), h('p', { text: err.detail }),
				h('p', {}, h('a', { href: '#/demandes-droits', text: "Retour aux demandes d'exercice des droits" }))];
		throw err;
	}
	const status = h('p', { class: 'notice', role: 'status', tabindex: -1, text: ctx.flash || '' });
	const facts = h('div');
	const steps = h('ol', { class: 'steps' });

	async function act(body, message) {
		r = await api('POST', path, body);
		render();
		status.textContent = message;
		status.focus();
	}

	function actionButton(text, body, message, cls = '') {
		const error = h('p', { class: 'error', role: 'alert' });
		const b = h('button', { type: 'button', class: cls || false, text });
		b.addEventListener('click', async () => {
			b.disabled = true;
			error.textContent = '';
			try {
				await act(body, message);
			} catch (err) {
				b.disabled = false;
				error.textContent = err instanceof ApiError ? err.detail : 'La demande n’a pas été modifiée.';
			}
		});
		return [h('div', { class: 'actions' }, b), error];
	}

	function render() {
		const isClosed = closed(r);
		const verified = Boolean(r.identity_verified_at);
		facts.replaceChildren(dueLine(r), dl([
			['Droit exercé', RIGHT_KINDS[r.kind] || r.kind],
			['État', RIGHT_STATES[r.state] || r.state],
			['Reçue le', when(r.received_at)],
			['Échéance', when(r.due_at)],
			['Demandeur', r.subject_account ? 'Titulaire d’un compte Créneau (demande faite une fois connecté)' : r.identity],
			['Contenu de la demande', r.message],
			['Identité vérifiée le', verified ? when(r.identity_verified_at) : 'Pas encore'],
			['Prolongation', r.extended_months ? `${r.extended_months} mois : ${r.extension_reason}` : null],
			['Clôturée le', r.closed_at ? when(r.closed_at) : null],
			['Réponse', r.outcome],
		]));

		// 1. identity
		const s1 = verified
			? h('p', { text: r.subject_account ? 'Identité vérifiée par la connexion de la personne à son compte.' : `Identité vérifiée le ${when(r.identity_verified_at)}.` })
			: [h('p', { text: "Avant toute réponse, assurez-vous que la demande vient bien de la personne concernée (par exemple par une pièce d'identité ou une réponse depuis l'adresse connue). Aucune réponse ne peut être donnée avant." }),
				actionButton("Confirmer l'identité du demandeur", { action: 'verify' }, 'Identité vérifiée : vous pouvez traiter la demande.')];

		// 2. extension
		let s2;
		if (r.extended_months)
			s2 = h('p', { text: `Délai prolongé de ${r.extended_months} mois. Motif communiqué à la personne : ${r.extension_reason}` });
		else if (isClosed)
			s2 = h('p', { text: 'Pas de prolongation.' });
		else {
			const fields = {
				months: radios('Prolonger de', 'months', [['1', '1 mois'], ['2', '2 mois']], '2'),
				reason: field('Motif de la prolongation', { tag: 'textarea', name: 'reason', rows: 2, maxlength: 2000 },
					'Il est communiqué à la personne : expliquez simplement pourquoi la réponse exige plus de temps (complexité, nombre de demandes).'),
			};
			s2 = [h('p', { class: 'hint', text: "Facultatif. Seulement pendant le premier mois, et de deux mois au plus en tout (art. 12.3 RGPD)." }),
				form(fields, 'Prolonger le délai', async () => {
					const reason = fields.reason.input.value.trim();
					if (!reason)
						throw new FormInvalid({ reason: 'Indiquez le motif : il est dit à la personne.' });
					await act({ action: 'extend', months: Number(fields.months.value()), reason }, 'Délai prolongé ; le motif est visible par la personne.');
				})];
		}

		// 3. closing
		let s3;
		if (isClosed) {
			s3 = h('p', { text: `${r.state === 'refused' ? 'Demande refusée' : 'Demande traitée'} le ${when(r.closed_at)}. Réponse : ${r.outcome || '—'}` });
		} else if (!verified) {
			s3 = h('p', { class: 'hint', text: "Disponible une fois l'identité vérifiée (étape 1)." });
		} else {
			const fields = {
				outcome: field('Réponse donnée à la personne', { tag: 'textarea', name: 'outcome', rows: 3, maxlength: 4000 },
					'Ce qui a été fait, ou les motifs du refus et les voies de recours (réclamation auprès de la CNIL).'),
				refused: radios('Décision', 'refused', [['no', 'Demande satisfaite'], ['yes', 'Demande refusée (motif dans la réponse)']],
					r.kind === 'erasure' && !r.subject_account ? 'yes' : 'no'),
			};
			s3 = form(fields, 'Clore la demande', async () => {
				const outcome = fields.outcome.input.value.trim();
				if (!outcome)
					throw new FormInvalid({ outcome: 'Indiquez la réponse donnée à la personne.' });
				await act({ action: 'close', outcome, refused: fields.refused.value() === 'yes' }, 'Demande close.');
			});
		}
		const items = [
			step(1, "vérifier l'identité", verified, s1),
			step(2, 'prolonger le délai si nécessaire', Boolean(r.extended_months), s2),
		];
		const registry = !r.subject_account && ['access', 'portability', 'erasure'].includes(r.kind);
		if (registry && verified && !isClosed)
			items.push(step(3, r.kind === 'erasure' ? 'effacer ses dossiers du registre' : 'rassembler ses données du registre', false,
				registryStep(r, path, act)));
		items.push(step(registry && verified && !isClosed ? 4 : 3, 'répondre et clore', isClosed, s3));
		if (r.kind === 'restriction' && r.state === 'done' && r.subject_account)
			items.push(step(4, 'lever la limitation', false, [
				h('p', { text: 'Le compte est limité : ses données ne sont plus utilisées. Levez la limitation quand elle n’a plus lieu d’être, en prévenant la personne.' }),
				actionButton('Lever la limitation', { action: 'lift' }, 'Limitation levée.', 'secondary')]));
		steps.replaceChildren(...items);
	}
	render();
	return [h('h1', { text: `Demande : ${RIGHT_KINDS[r.kind] || r.kind}` }),
		status,
		facts,
		h('h2', { text: 'Étapes' }),
		steps,
		h('p', {}, h('a', { href: '#/demandes-droits', text: "Retour aux demandes d'exercice des droits" }))];
}

export function rightsView(ctx) {
	const [sub] = ctx.params;
	return sub ? detailView(ctx, sub) : listView(ctx);
}
