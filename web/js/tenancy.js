// tenancy.js - client organisations (seed 003). « Organismes clients »
// for the platform administrator: each organisation and its state,
// suspend, reactivate or terminate it with a reason, after a dialog that
// says what will happen, and prepare a terminated one's export for its
// public key (or passphrase) to hand over; a deleted one shows its date
// and its signed deletion certificate. « Réglages de l’organisme » for its own
// administrator: display name, contacts, email branding, retention
// choices within the register's ranges, password and session rules
// never weaker than the product's, and « Exporter toutes les données »:
// an archive of everything the organisation holds, encrypted under a
// passphrase it chooses, its progress followed until it downloads.
import { api, ApiError } from './api.js';
import { field, h, table } from './dom.js';
import { when } from './format.js';
import { form, FormInvalid } from './forms.js';
import { openDialog } from './dialog.js';

const STATE_NAMES = {
	active: 'Actif',
	suspended: 'Suspendu',
	terminated: 'Résilié',
	deleted: 'Supprimé',
};

// What each move does, told before it is made: [button, title, what
// happens (paragraphs), path, reason required].
const MOVES = {
	suspend: ['Suspendre…', 'Suspendre', [
		'Ses utilisateurs pourront toujours se connecter et consulter les données, mais plus rien ne pourra être enregistré ni modifié.',
		'Rien n’est supprimé. Ses administrateurs sont prévenus dans l’application et par courriel, avec le motif.',
	], 'suspension', true],
	reactivate: ['Réactiver…', 'Réactiver', [
		'Ses utilisateurs pourront de nouveau enregistrer et modifier des données. Ses administrateurs sont prévenus.',
	], 'reactivation', false],
	terminate: ['Résilier…', 'Résilier', [
		'Plus personne de cet organisme ne pourra se connecter : toutes les sessions ouvertes se ferment immédiatement.',
		'Ses données sont gardées pendant le délai de restitution, puis supprimées avec leurs clés, sauvegardes comprises. Ce choix est définitif : un organisme résilié ne peut pas être réactivé.',
	], 'termination', true],
};

function movesOf(state) {
	if (state === 'active')
		return ['suspend', 'terminate'];
	if (state === 'suspended')
		return ['reactivate', 'terminate'];
	return [];
}

function moveDialog(t, move, opener, done) {
	const [, verb, texts, path, needsReason] = MOVES[move];
	let dlg = null;
	const fields = {
		reason: field(needsReason ? 'Motif' : 'Motif (facultatif)',
			{ tag: 'textarea', name: 'reason', maxlength: 1000, rows: 3, required: needsReason },
			move === 'suspend' ? 'Montré aux administrateurs de l’organisme.' : 'Gardé avec le contrat, chiffré.'),
	};
	const cancel = h('button', { type: 'button', class: 'secondary', text: 'Annuler', onclick: () => dlg.close() });
	const f = form(fields, `${verb} ${t.name}`, async () => {
		const reason = fields.reason.input.value.trim();
		if (needsReason && !reason)
			throw new FormInvalid({ reason: 'Indiquez le motif.' });
		await api('POST', `/api/v1/tenants/${encodeURIComponent(t.id)}/${path}`, reason ? { reason } : {});
		dlg.close();
		await done(`${t.name} : ${verb.toLowerCase()} — fait.`);
	}, [], { after: [cancel] });
	if (move === 'terminate')
		f.querySelector('button[type="submit"]').classList.add('danger');
	dlg = openDialog({
		title: `${verb} ${t.name} ?`,
		opener,
		content: [...texts.map((p) => h('p', { text: p })), f],
		initialFocus: cancel,
	});
}

export async function tenantsView(ctx) {
	const status = h('p', { class: 'notice', role: 'status' });
	const listBox = h('div');
	const say = (m) => { status.textContent = m; };

	async function render() {
		let tenants;
		try {
			({ tenants } = await api('GET', '/api/v1/tenants'));
		} catch (err) {
			if (err instanceof ApiError && err.status === 401)
				return ctx.signedOut('Votre session a expiré : reconnectez-vous.');
			listBox.replaceChildren(h('p', { class: 'error', role: 'alert', text: err instanceof ApiError ? err.detail : 'La liste est indisponible.' }));
			return;
		}
		const rows = tenants.map((t) => {
			const actions = movesOf(t.state).map((m) => {
				const b = h('button', { type: 'button', class: `${m === 'terminate' ? 'danger' : 'secondary'} small` },
					MOVES[m][0], h('span', { class: 'visually-hidden', text: ` ${t.name}` }));
				b.addEventListener('click', () => moveDialog(t, m, b, async (msg) => {
					await render();
					say(msg);
				}));
				return b;
			});
			if (t.state === 'terminated') {
				const b = h('button', { type: 'button', class: 'secondary small' },
					'Export des données…', h('span', { class: 'visually-hidden', text: ` ${t.name}` }));
				b.addEventListener('click', async () => {
					const sec = await exportSection(`/api/v1/tenants/${encodeURIComponent(t.id)}`, true);
					const close = h('button', { type: 'button', class: 'secondary', text: 'Fermer' });
					const dlg = openDialog({
						title: `Export des données de ${t.name}`,
						opener: b,
						content: [h('p', { text: 'Le contrat est résilié : personne de l’organisme ne se connecte plus. Préparez l’archive avec la clé publique ou la phrase de passe qu’il vous a données, puis remettez-la lui. Elle est supprimée un mois après la résiliation.' }), sec, h('div', { class: 'actions' }, close)],
					});
					close.addEventListener('click', () => dlg.close());
				});
				actions.push(b);
			}
			let state = STATE_NAMES[t.state] || t.state;
			if (t.state === 'terminated' && t.delete_after)
				state += ` — données supprimées le ${when(t.delete_after)}`;
			// Deleted: the date, and the signed certificate to hand over
			// (checked with « creneau tenant-certificate-verify »).
			if (t.state === 'deleted') {
				state = t.state_at ? `Supprimé le ${when(t.state_at)}` : state;
				actions.push(h('a', {
					href: `/api/v1/tenants/${encodeURIComponent(t.id)}/deletion-certificate`,
					download: '',
					class: 'button secondary small',
				}, 'Certificat de suppression', h('span', { class: 'visually-hidden', text: ` ${t.name}` })));
			}
			return [t.name, state, t.reason || '—', t.state_at ? when(t.state_at) : '—',
				h('div', { class: 'actions row-actions' }, actions)];
		});
		listBox.replaceChildren(table('Organismes clients et leur état',
			['Organisme', 'État', 'Motif', 'Depuis', 'Actions'], rows, 'tenants-table'));
	}

	await render();
	return [h('h1', { text: 'Organismes clients' }),
		status,
		h('p', { text: 'Chaque organisme client et l’état de son contrat. Une suspension laisse consulter sans rien modifier ; une résiliation ferme l’accès, puis supprime toutes ses données au terme du délai de restitution.' }),
		listBox];
}

// ------------------------------------------------- the tenant's admin

const POLICY_LABELS = {
	password_min_length: ['Longueur minimale des mots de passe (caractères)', 'au moins'],
	password_max_age_days: ['Renouvellement des mots de passe des administrateurs (jours)', 'au plus'],
	session_idle_minutes: ['Fermeture d’une session inactive (minutes)', 'au plus'],
	session_max_hours: ['Durée maximale d’une session (heures)', 'au plus'],
};

const EXPORT_STATES = {
	awaiting_passphrase: 'En attente d’une phrase de passe',
	queued: 'En attente de préparation',
	running: 'En préparation',
	ready: 'Prête',
	failed: 'Échec de la préparation',
};

function sizeText(bytes) {
	if (bytes == null)
		return '';
	if (bytes < 1024 * 1024)
		return `${Math.max(1, Math.round(bytes / 1024))} Ko`;
	return `${(bytes / (1024 * 1024)).toFixed(1).replace('.', ',')} Mo`;
}

// « Exporter toutes les données »: the request (passphrase twice), the
// latest export's state, polled while it builds, and its download. base
// is the organisation's API path (/api/v1/orgs/ID for its admin,
// /api/v1/tenants/ID for the platform, which may give the organisation's
// public key instead of a passphrase).
async function exportSection(base, platform = false) {
	const box = h('div', { class: 'export-status', role: 'status', 'aria-live': 'polite' });
	let timer = null;

	function show(e) {
		if (!e) {
			box.replaceChildren(h('p', { text: 'Aucun export n’a encore été demandé.' }));
			return;
		}
		const parts = [h('p', {},
			h('strong', { text: `Dernier export : ${EXPORT_STATES[e.state] || e.state}` }),
			e.requested_at ? ` — demandé le ${when(e.requested_at)}` : '')];
		if (e.state === 'queued' || e.state === 'running') {
			const { done, total } = e.progress;
			parts.push(h('p', {},
				h('label', { for: 'export-progress', text: `Ensembles de données écrits : ${done} sur ${total}` }),
				' ',
				h('progress', { id: 'export-progress', max: String(total), value: String(done) })));
		}
		if (e.state === 'ready') {
			parts.push(h('p', {},
				h('a', { href: e.download, download: '', class: 'button', text: `Télécharger l’archive (${sizeText(e.bytes)})` })));
			parts.push(h('p', { class: 'hint', text: `Disponible jusqu’au ${when(e.expires_at)}. Elle s’ouvre avec la phrase de passe choisie (commande « creneau tenant-export-open »). Empreinte SHA-256 du manifeste : ${e.manifest_sha256}` }));
		}
		if (e.state === 'failed')
			parts.push(h('p', { class: 'error', text: e.error || 'La préparation a échoué. Vous pouvez demander un nouvel export.' }));
		box.replaceChildren(...parts);
	}

	async function poll() {
		timer = null;
		let e = null;
		try {
			e = await api('GET', `${base}/export`);
		} catch (err) {
			if (!(err instanceof ApiError && err.status === 404)) {
				box.replaceChildren(h('p', { class: 'error', text: err instanceof ApiError ? err.detail : 'L’état de l’export est illisible.' }));
				return;
			}
		}
		show(e);
		// Followed while it builds, and while the page is shown.
		if (e && (e.state === 'queued' || e.state === 'running') && (box.isConnected || !box.dataset.seen))
			timer = setTimeout(poll, 1500);
		box.dataset.seen = box.isConnected ? '1' : '';
	}

	const fields = {};
	if (platform)
		fields.public_key = field('Clé publique de l’organisme (conseillé)', { type: 'text', name: 'public_key', maxlength: 64, autocomplete: 'off', spellcheck: 'false' },
			'Donnée par l’organisme (commande « creneau tenant-export-keygen ») : lui seul pourra ouvrir l’archive. Sinon, la phrase de passe qu’il a choisie, ci-dessous.');
	fields.passphrase = field('Phrase de passe', { type: 'password', name: 'passphrase', autocomplete: 'new-password', minlength: 12, maxlength: 1024, required: !platform },
		platform ? 'Au moins 12 caractères, choisie par l’organisme.'
			: 'Au moins 12 caractères. C’est la seule clé de l’archive : ni vous ni la plateforme ne pourrez l’ouvrir sans elle. Elle n’est jamais enregistrée.');
	fields.confirmation = field('Phrase de passe, à nouveau', { type: 'password', name: 'confirmation', autocomplete: 'new-password', maxlength: 1024, required: !platform });
	const f = form(fields, 'Préparer l’export', async () => {
		const key = fields.public_key ? fields.public_key.input.value.trim() : '';
		if (key) {
			const e = await api('POST', `${base}/export`, { public_key: key });
			fields.public_key.input.value = '';
			if (timer)
				clearTimeout(timer);
			show(e);
			timer = setTimeout(poll, 1000);
			return;
		}
		const pass = fields.passphrase.input.value;
		if ([...pass].length < 12)
			throw new FormInvalid({ passphrase: 'Indiquez au moins 12 caractères.' });
		if (fields.confirmation.input.value !== pass)
			throw new FormInvalid({ confirmation: 'Les deux phrases de passe diffèrent.' });
		const e = await api('POST', `${base}/export`, { passphrase: pass });
		fields.passphrase.input.value = '';
		fields.confirmation.input.value = '';
		if (timer)
			clearTimeout(timer);
		show(e);
		timer = setTimeout(poll, 1000);
	}, [], { cls: 'tenant-export' });
	await poll();
	return h('section', { 'aria-labelledby': 'export-title' },
		h('h2', { id: 'export-title', text: 'Exporter toutes les données' }),
		h('p', { text: 'Une archive de toutes les données de votre organisme : un fichier JSON par ensemble (comptes, candidats, mandats, réservations, rendez-vous, usagers…), un tableur CSV pour les personnes, les champs personnels en clair, et un manifeste qui compte chaque ensemble et donne son empreinte. L’archive est chiffrée avec la phrase de passe que vous choisissez ici, préparée en arrière-plan, puis gardée 30 jours.' }),
		box, f);
}

export async function tenantSettingsView(ctx) {
	const org = encodeURIComponent(ctx.me.org_id);
	const status = h('p', { class: 'notice', role: 'status' });
	let s;
	try {
		s = await api('GET', `/api/v1/orgs/${org}/settings`);
	} catch (err) {
		if (err instanceof ApiError && err.status === 401)
			return ctx.signedOut('Votre session a expiré : reconnectez-vous.');
		return [h('h1', { text: 'Réglages de l’organisme' }),
			h('p', { class: 'error', role: 'alert', text: err instanceof ApiError ? err.detail : 'Les réglages sont illisibles.' })];
	}
	const text = (label, name, attrs, hint) => {
		const f = field(label, { name, ...attrs }, hint);
		f.input.value = s[name] || '';
		return f;
	};
	const fields = {
		display_name: text('Nom affiché', 'display_name', { type: 'text', maxlength: 200 }),
		contact: text('Contact (nom, téléphone, adresse)', 'contact', { tag: 'textarea', rows: 2, maxlength: 500 }),
		dpo_contact: text('Délégué(e) à la protection des données', 'dpo_contact', { tag: 'textarea', rows: 2, maxlength: 500 }),
		mail_sender: text('Nom d’expéditeur des courriels', 'mail_sender', { type: 'text', maxlength: 100 },
			'Placé devant l’objet des courriels envoyés à vos comptes.'),
		mail_signature: text('Signature des courriels', 'mail_signature', { tag: 'textarea', rows: 3, maxlength: 1000 }),
	};
	for (const c of s.retention_choices || []) {
		const unit = c.unit === 'months' ? 'mois' : 'jours';
		const f = field(`Conservation : ${c.label}`, { type: 'number', name: `retention.${c.rule}`, min: c.min, max: c.max, inputmode: 'numeric' },
			`Entre ${c.min} et ${c.max} ${unit} (par défaut ${c.default}). Vide : la durée par défaut.`);
		f.input.value = c.value == null ? '' : String(c.value);
		fields[`retention.${c.rule}`] = f;
	}
	for (const [name, [label, dir]] of Object.entries(POLICY_LABELS)) {
		const [lo, hi] = s.policy_floors[name];
		const f = field(label, { type: 'number', name, min: 0, max: hi, inputmode: 'numeric' },
			`0 : la règle du produit. Sinon entre ${lo} et ${hi} (le produit exige ${dir} ${dir === 'au moins' ? lo : hi}).`);
		f.input.value = String(s.policy[name] || 0);
		fields[name] = f;
	}
	const f = form(fields, 'Enregistrer les réglages', async () => {
		const body = { retention: {}, policy: {} };
		const errors = {};
		for (const k of ['display_name', 'contact', 'dpo_contact', 'mail_sender', 'mail_signature']) {
			const v = fields[k].input.value.trim();
			if (v)
				body[k] = v;
		}
		for (const [k, fl] of Object.entries(fields)) {
			const v = fl.input.value.trim();
			if (k.startsWith('retention.') && v !== '') {
				if (!/^\d+$/.test(v))
					errors[k] = 'Indiquez un nombre entier.';
				body.retention[k.slice(10)] = Number(v);
			} else if (POLICY_LABELS[k]) {
				if (!/^\d+$/.test(v || '0'))
					errors[k] = 'Indiquez un nombre entier.';
				body.policy[k] = Number(v || 0);
			}
		}
		if (Object.keys(errors).length)
			throw new FormInvalid(errors);
		s = await api('PUT', `/api/v1/orgs/${org}/settings`, body);
		status.textContent = 'Réglages enregistrés. Les administrateurs de l’organisme en sont prévenus.';
	}, [], { cls: 'tenant-settings' });
	const state = s.state === 'active' ? null
		: h('p', { class: 'notice', role: 'alert' },
			h('strong', { text: `Organisme ${STATE_NAMES[s.state].toLowerCase()}. ` }),
			s.reason ? `Motif : ${s.reason}` : '');
	return [h('h1', { text: 'Réglages de l’organisme' }),
		status, state,
		h('p', { text: 'Ces réglages valent pour tout votre organisme. Les règles de mot de passe et de session ne peuvent être que plus strictes que celles du produit ; les durées de conservation restent dans la plage inscrite au registre des traitements.' }),
		f,
		await exportSection(`/api/v1/orgs/${org}`)];
}
