// dossiers.js - the encrypted dossiers of an association (seed 002):
//  - « Mon dossier » (families and volunteers): the profile, the
//    documents the association requires, each encrypted in this browser
//    for every validator key in force before it is sent (jose.js), the
//    submission, then the state and the validator's comment;
//  - « Dossiers à valider » (validator): the validator's key (made here,
//    its private half downloaded and stored only encrypted under the
//    passphrase), the submitted dossiers, their documents decrypted in
//    this page only (never written to disk by the application), the
//    decision. Validation or refusal destroys the documents.
import { api, ApiError } from './api.js';
import { field, fill, h, radios } from './dom.js';
import { form, FormInvalid } from './forms.js';
import { b64url, decryptDocument, encryptDocument, fingerprint, groups, newValidatorKey, sha256Hex, unb64url, unwrapValidatorKey, WRAP_ITERATIONS } from './jose.js';

const errText = (err, fallback) => (err instanceof ApiError || err instanceof Error ? err.message || fallback : fallback);

const STATE = {
	brouillon: 'Brouillon : complétez votre dossier puis envoyez-le.',
	soumis: 'Envoyé : un validateur de l’association va l’examiner.',
	a_completer: 'À compléter : lisez le commentaire du validateur, complétez puis renvoyez.',
	valide: 'Validé. Vos pièces ont été détruites.',
	refuse: 'Refusé. Vos pièces ont été détruites.',
};

const TYPE_LABEL = {
	certificat_handicap: 'Attestation du handicap de l’enfant',
	attestation_competences: 'Attestation de compétences',
};
const typeLabel = (t) => TYPE_LABEL[t] || t.replace(/_/g, ' ');

function statusLine() {
	return h('p', { class: 'notice', role: 'status', tabindex: -1 });
}

function say(el, text) {
	el.textContent = text;
}

// ------------------------------------------------------------ Mon dossier

export async function myDossierView() {
	const status = statusLine();
	const box = h('div');
	const { associations = [] } = await api('GET', '/api/v1/me/dossiers');
	if (!associations.length)
		return [h('h1', { text: 'Mon dossier' }), h('p', { text: 'Aucune association n’accueille de dossier sur cette plateforme.' })];
	const org = associations[0];

	async function reload() {
		const info = await api('GET', `/api/v1/me/dossiers/${encodeURIComponent(org.id)}/keys`);
		let d = null;
		try {
			d = await api('GET', `/api/v1/me/dossiers/${encodeURIComponent(org.id)}`);
		} catch (err) {
			if (!(err instanceof ApiError) || err.status !== 404)
				throw err;
		}
		fill(box, profileSection(org, d, reload, status),
			d ? documentsSection(org, d, info, reload, status) : null);
	}
	await reload();
	return [h('h1', { text: 'Mon dossier' }),
		h('p', { text: `Votre dossier auprès de : ${org.name}.` }),
		h('p', { class: 'hint', text: 'Vos pièces sont chiffrées dans ce navigateur avant l’envoi : seuls les validateurs de l’association peuvent les lire, la plateforme ne le peut pas. Elles sont détruites dès que votre dossier est validé ou refusé.' }),
		status, box];
}

function profileSection(org, d, reload, status) {
	const editable = !d || d.state === 'brouillon' || d.state === 'a_completer';
	const p = (d && d.profile) || {};
	const kind = radios('Vous êtes', 'kind', [['family', 'Une famille'], ['volunteer', 'Un ou une bénévole']], d ? d.kind : 'family');
	const fields = {
		name: field('Nom et prénom de l’adulte responsable ou du bénévole', { type: 'text', name: 'name', maxlength: 200, autocomplete: 'name' }),
		phone: field('Téléphone', { type: 'tel', name: 'phone', maxlength: 40, autocomplete: 'tel' }),
		details: field('Enfants (prénom, âge) ou compétences et disponibilités', { tag: 'textarea', name: 'details', maxlength: 2000, rows: 3 }),
		health: field('Besoins de l’enfant (famille seulement)', { tag: 'textarea', name: 'health', maxlength: 4000, rows: 3 },
			'Donnée de santé : chiffrée avec une clé qui vous est propre, lue seulement par les validateurs.'),
	};
	fields.name.input.value = p.name || '';
	fields.phone.input.value = p.phone || '';
	fields.details.input.value = p.details || '';
	fields.health.input.value = (d && d.health) || '';
	const parts = [h('h2', { text: 'Profil' })];
	if (d) {
		parts.push(h('p', { class: `badge badge-${d.state}`, text: STATE[d.state] || d.state }));
		if (d.comment)
			parts.push(h('p', {}, 'Commentaire du validateur : ', h('q', { text: d.comment })));
	}
	if (!editable)
		return h('section', {}, parts);
	parts.push(form({ kind, ...fields }, 'Enregistrer le profil', async () => {
		const name = fields.name.input.value.trim();
		if (!name)
			throw new FormInvalid({ name: 'Indiquez un nom.' });
		await api('POST', `/api/v1/me/dossiers/${encodeURIComponent(org.id)}`, {
			kind: kind.value(),
			profile: { name, phone: fields.phone.input.value.trim(), details: fields.details.input.value.trim() },
			health: kind.value() === 'family' ? fields.health.input.value.trim() : '',
		});
		await reload();
		say(status, 'Profil enregistré.');
	}));
	return h('section', {}, parts);
}

function documentsSection(org, d, info, reload, status) {
	const editable = d.state === 'brouillon' || d.state === 'a_completer';
	const base = `/api/v1/me/dossiers/${encodeURIComponent(org.id)}`;
	const list = h('ul', {}, (d.documents || []).map((doc) => {
		const del = editable ? h('button', { type: 'button', class: 'secondary', text: `Retirer : ${typeLabel(doc.type)}` }) : null;
		if (del)
			del.addEventListener('click', async () => {
				del.disabled = true;
				await api('DELETE', `${base}/documents/${doc.id}`);
				await reload();
				say(status, 'Pièce retirée.');
			});
		return h('li', {}, `${typeLabel(doc.type)} (${Math.round(doc.size / 1024)} Kio chiffrés)`, del ? ' ' : null, del);
	}));
	const parts = [h('h2', { text: 'Pièces justificatives' }),
		d.documents && d.documents.length ? list : h('p', { text: d.documents_destroyed_at ? 'Vos pièces ont été détruites.' : 'Aucune pièce pour l’instant.' })];
	if (!editable)
		return h('section', {}, parts);
	parts.push(h('p', { class: 'hint' }, 'Empreintes des clés de validation en vigueur (à comparer avec celles que l’association vous communique) : ',
		info.keys.length ? info.keys.map((k) => h('code', { text: groups(k.fingerprint) })) : 'aucune clé en vigueur.'));
	const types = (d.required || []).map((t) => [t, typeLabel(t)]);
	const type = field('Type de pièce', { tag: 'select', name: 'type', options: types });
	const file = field('Fichier (PDF ou image)', { type: 'file', name: 'file', accept: 'application/pdf,image/*' },
		`Taille maximale une fois chiffré : ${Math.round(info.document_max_bytes / 1024)} Kio.`);
	parts.push(form({ type, file }, 'Chiffrer et envoyer la pièce', async () => {
		const f = file.input.files && file.input.files[0];
		if (!f)
			throw new FormInvalid({ file: 'Choisissez un fichier.' });
		const bytes = new Uint8Array(await f.arrayBuffer());
		const jwe = await encryptDocument(bytes, info.keys);
		await api('POST', `${base}/documents`, { type: type.input.value, jwe });
		await reload();
		say(status, `Pièce chiffrée et envoyée : ${f.name}.`);
	}));
	const submit = h('button', { type: 'button', text: 'Envoyer mon dossier à l’association' });
	const error = h('p', { class: 'error', role: 'alert' });
	submit.addEventListener('click', async () => {
		submit.disabled = true;
		error.textContent = '';
		try {
			await api('POST', `${base}/submission`);
			await reload();
			say(status, 'Dossier envoyé.');
		} catch (err) {
			submit.disabled = false;
			error.textContent = errText(err, 'L’envoi a échoué.');
		}
	});
	parts.push(error, h('div', { class: 'actions' }, submit));
	return h('section', {}, parts);
}

// ------------------------------------------------------ Dossiers à valider

// The validator's private key, once unlocked: in this page's memory only.
let unlocked = null;

function download(name, text) {
	const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
	const a = h('a', { href: url, download: name, class: 'visually-hidden', text: name });
	document.body.append(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function keySection(me, keys, reload, status) {
	const mine = keys.filter((k) => k.account === me.id && !k.revoked_at);
	const parts = [h('h2', { text: 'Ma clé de validation' }),
		h('p', { class: 'hint', text: `Votre clé privée ne quitte ce navigateur que chiffrée sous votre phrase de passe (PBKDF2-SHA256, ${WRAP_ITERATIONS} itérations, puis AES-256-GCM). Gardez le fichier téléchargé en lieu sûr.` })];
	if (unlocked) {
		parts.push(h('p', {}, 'Clé déverrouillée pour cette page. Empreinte : ', h('code', { text: groups(unlocked.fingerprint) })));
		return h('section', {}, parts);
	}
	if (!mine.length) {
		const pass = field('Phrase de passe', { type: 'password', name: 'passphrase', autocomplete: 'new-password', minlength: 12 });
		const again = field('Phrase de passe, à nouveau', { type: 'password', name: 'again', autocomplete: 'new-password' });
		parts.push(form({ pass, again }, 'Créer ma clé', async () => {
			if (pass.input.value.length < 12)
				throw new FormInvalid({ pass: 'Au moins 12 caractères.' });
			if (pass.input.value !== again.input.value)
				throw new FormInvalid({ again: 'Les deux phrases diffèrent.' });
			const k = await newValidatorKey(pass.input.value);
			const saved = await api('POST', '/api/v1/validator-keys', { jwk: k.jwk, wrapped_private: k.wrapped });
			if (await fingerprint(k.jwk) !== saved.fingerprint)
				throw new Error('L’empreinte enregistrée diffère de celle de votre clé.');
			download(`cle-validation-${saved.fingerprint.slice(0, 8)}.json`, k.wrapped);
			unlocked = { id: saved.id, fingerprint: saved.fingerprint, privateKey: k.privateKey };
			await reload();
			say(status, 'Clé créée ; le fichier de votre clé privée chiffrée a été téléchargé.');
		}));
		return h('section', {}, parts);
	}
	const k = mine[mine.length - 1];
	const pass = field('Phrase de passe de votre clé', { type: 'password', name: 'passphrase', autocomplete: 'current-password' });
	parts.push(h('p', {}, 'Empreinte : ', h('code', { text: groups(k.fingerprint) })));
	parts.push(form({ pass }, 'Déverrouiller ma clé', async () => {
		const { wrapped_private: w } = await api('GET', `/api/v1/validator-keys/${k.id}/private`);
		let privateKey;
		try {
			privateKey = await unwrapValidatorKey(w, pass.input.value);
		} catch (err) {
			throw new FormInvalid({ pass: errText(err, 'Phrase de passe incorrecte.') });
		}
		unlocked = { id: k.id, fingerprint: k.fingerprint, privateKey };
		await reload();
		say(status, 'Clé déverrouillée.');
	}));
	return h('section', {}, parts);
}

// Gives the key k (a colleague's) access to the open dossiers' documents:
// the server hands back this validator's own wrapped document keys; each
// is opened here with the unlocked private key and wrapped again for k's
// public key, whose fingerprint must be the one the server pinned. The
// server never sees a document key in clear. Returns the count.
async function rewrapFor(k) {
	if (await fingerprint(k.jwk) !== k.fingerprint)
		throw new Error('Cette clé ne correspond pas à son empreinte : rien n’a été transmis.');
	const pub = await crypto.subtle.importKey('jwk',
		{ kty: 'RSA', n: k.jwk.n, e: k.jwk.e, alg: 'RSA-OAEP-256', ext: true },
		{ name: 'RSA-OAEP', hash: 'SHA-256' }, false, ['encrypt']);
	const { documents = [] } = await api('GET', `/api/v1/validator-keys/${k.id}/recipients`);
	let done = 0;
	for (const d of documents) {
		if (d.kid !== unlocked.fingerprint)
			continue; // wrapped for another of my keys: not unlocked here
		const raw = await crypto.subtle.decrypt({ name: 'RSA-OAEP' }, unlocked.privateKey, unb64url(d.encrypted_key));
		const ek = await crypto.subtle.encrypt({ name: 'RSA-OAEP' }, pub, raw);
		await api('POST', `/api/v1/validator-keys/${k.id}/recipients`, { dossier: d.dossier, doc: d.doc, encrypted_key: b64url(ek) });
		done++;
	}
	return done;
}

// The other validators' keys in force: their pinned fingerprints (to be
// compared with the colleague out of band), giving a new key access to
// the open dossiers, and revoking a key (its wrapped keys are removed).
function colleaguesSection(me, keys, reload, status) {
	const others = keys.filter((k) => k.account !== me.id && !k.revoked_at);
	const parts = [h('h2', { text: 'Clés des autres validateurs' }),
		h('p', { class: 'hint', text: 'Avant de donner accès, comparez l’empreinte avec celle que votre collègue lit sur sa propre page.' })];
	if (!others.length) {
		parts.push(h('p', { text: 'Aucune autre clé en vigueur.' }));
		return h('section', {}, parts);
	}
	parts.push(h('ul', { class: 'plain' }, others.map((k) => {
		const err = h('p', { class: 'error', role: 'alert' });
		const give = h('button', { type: 'button', text: `Donner accès aux dossiers ouverts (clé n° ${k.id})` });
		const revoke = h('button', { type: 'button', class: 'secondary', text: `Révoquer la clé n° ${k.id}` });
		give.disabled = !unlocked;
		give.addEventListener('click', async () => {
			err.textContent = '';
			give.disabled = true;
			try {
				const n = await rewrapFor(k);
				say(status, n ? `Clé n° ${k.id} : ${n} pièce${n > 1 ? 's' : ''} rendue${n > 1 ? 's' : ''} lisible${n > 1 ? 's' : ''}.`
					: `Clé n° ${k.id} : elle a déjà accès à toutes les pièces des dossiers ouverts.`);
			} catch (e) {
				err.textContent = errText(e, 'L’accès n’a pas pu être donné.');
			} finally {
				give.disabled = false;
			}
		});
		let armed = false;
		revoke.addEventListener('click', async () => {
			err.textContent = '';
			if (!armed) {
				armed = true;
				revoke.textContent = `Confirmer la révocation de la clé n° ${k.id}`;
				err.textContent = 'Révoquer retire à cette clé l’accès à toutes les pièces. Cliquez à nouveau pour confirmer.';
				return;
			}
			try {
				await api('POST', `/api/v1/validator-keys/${k.id}/revocation`, {});
				await reload();
				say(status, `Clé n° ${k.id} révoquée.`);
			} catch (e) {
				err.textContent = errText(e, 'La révocation a échoué.');
			}
		});
		return h('li', {}, h('p', {}, `Clé n° ${k.id}, empreinte : `, h('code', { text: groups(k.fingerprint) })),
			unlocked ? null : h('p', { class: 'hint', text: 'Déverrouillez votre clé pour donner accès.' }),
			h('div', { class: 'actions' }, give, revoke), err);
	})));
	return h('section', {}, parts);
}

async function showDocument(id, doc, out) {
	const { jwe } = await api('GET', `/api/v1/dossiers/${id}/documents/${doc.id}`);
	const bytes = await decryptDocument(jwe, unlocked.privateKey, unlocked.fingerprint);
	const isPdf = bytes[0] === 0x25 && bytes[1] === 0x50 && bytes[2] === 0x44 && bytes[3] === 0x46;
	const url = URL.createObjectURL(new Blob([bytes], { type: isPdf ? 'application/pdf' : 'image/*' }));
	const digest = await sha256Hex(bytes);
	fill(out, h('p', { class: 'hint' }, `${typeLabel(doc.type)} déchiffrée dans ce navigateur (${bytes.length} octets, SHA-256 `,
		h('code', { class: 'doc-digest', text: digest }), ').'),
	isPdf ? h('iframe', { src: url, title: typeLabel(doc.type), class: 'doc-view', sandbox: '' })
		: h('img', { src: url, alt: typeLabel(doc.type), class: 'doc-view' }));
}

async function dossierPanel(id, reload, status) {
	const d = await api('GET', `/api/v1/dossiers/${id}`);
	const p = d.profile || {};
	const out = h('div');
	const docs = h('ul', {}, (d.documents || []).map((doc) => {
		const b = h('button', { type: 'button', class: 'secondary', text: `Ouvrir : ${typeLabel(doc.type)}` });
		const err = h('p', { class: 'error', role: 'alert' });
		b.addEventListener('click', async () => {
			err.textContent = '';
			try {
				await showDocument(id, doc, out);
			} catch (e) {
				err.textContent = errText(e, 'La pièce n’a pas pu être déchiffrée.');
			}
		});
		return h('li', {}, b, err);
	}));
	const decision = radios('Décision', 'decision', [['valide', 'Valider'], ['a_completer', 'Demander un complément'], ['refuse', 'Refuser']], 'valide');
	const comment = field('Commentaire à la personne', { tag: 'textarea', name: 'comment', maxlength: 1000, rows: 3 },
		'Obligatoire pour un refus ou une demande de complément.');
	const f = form({ decision, comment }, 'Enregistrer la décision', async () => {
		const r = await api('POST', `/api/v1/dossiers/${id}/decision`, { decision: decision.value(), comment: comment.input.value.trim() });
		await reload();
		say(status, r.state === 'a_completer' ? 'Complément demandé.' : 'Décision enregistrée ; les pièces du dossier ont été détruites.');
	});
	return h('section', { class: 'dossier' },
		h('h2', { text: `Dossier n° ${d.id} (${d.kind === 'family' ? 'famille' : 'bénévole'})` }),
		h('p', { text: `Nom : ${p.name || '—'} · Téléphone : ${p.phone || '—'}` }),
		h('p', { text: `Détails : ${p.details || '—'}` }),
		d.health ? h('p', { text: `Besoins de l’enfant : ${d.health}` }) : null,
		h('h3', { text: 'Pièces' }),
		unlocked ? docs : h('p', { text: 'Déverrouillez votre clé pour ouvrir les pièces.' }),
		out, f);
}

export async function dossiersView(ctx) {
	const status = statusLine();
	const box = h('div');
	const panel = h('div');
	async function reload() {
		const { keys = [] } = await api('GET', '/api/v1/validator-keys');
		const { dossiers = [] } = await api('GET', '/api/v1/dossiers?state=soumis');
		fill(panel);
		fill(box, keySection(ctx.me, keys, reload, status), colleaguesSection(ctx.me, keys, reload, status),
			h('section', {}, h('h2', { text: 'Dossiers envoyés' }),
				dossiers.length ? h('ul', {}, dossiers.map((d) => {
					const b = h('button', { type: 'button', text: `Examiner le dossier n° ${d.id} (${d.kind === 'family' ? 'famille' : 'bénévole'})` });
					b.addEventListener('click', async () => {
						fill(panel, await dossierPanel(d.id, reload, status));
					});
					return h('li', {}, b);
				})) : h('p', { text: 'Aucun dossier en attente.' })));
	}
	await reload();
	const refresh = h('button', { type: 'button', class: 'secondary', text: 'Actualiser la liste' });
	refresh.addEventListener('click', async () => {
		refresh.disabled = true;
		try {
			await reload();
			say(status, 'Liste actualisée.');
		} finally {
			refresh.disabled = false;
		}
	});
	return [h('h1', { text: 'Dossiers à valider' }), status, h('div', { class: 'actions' }, refresh), box, panel];
}
