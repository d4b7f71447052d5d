// tenancy.js - client organisations (seed 003). « Organismes clients »
// for the platform administrator: each organisation and its state,
// suspend, reactivate or terminate it with a reason, after a dialog that
// says what will happen. « Réglages de l’organisme » for its own
// administrator: display name, contacts, email branding, retention
// choices within the register's ranges, password and session rules
// never weaker than the product's.
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
			let state = STATE_NAMES[t.state] || t.state;
			if (t.state === 'terminated' && t.delete_after)
				state += ` — données supprimées le ${when(t.delete_after)}`;
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
		f];
}
