// audit.js - "Piste d'audit" (DPO): search the organisation's audit trail
// and check the integrity of the whole chain; "Journal des connexions"
// (DPO, school administration): the organisation's sign-ins and -outs.
import { api, ApiError } from './api.js';
import { field, fill, h, newId, table } from './dom.js';
import { count, inputToIso, whenShort } from './format.js';
import { form, FormInvalid } from './forms.js';

// French names of the audited actions (the datalist of the search; an
// action not listed here shows under its code).
const ACTIONS = {
	'auth.login': 'Connexion',
	'auth.mfa': 'Second facteur validé',
	'auth.mfa.recovery': 'Connexion avec un code de secours',
	'auth.mfa.enrol': "Activation de l'application d'authentification",
	'account.create': 'Création de compte',
	'account.deactivate': 'Désactivation de compte',
	'account.password.change': 'Changement de mot de passe',
	'account.password.reset': 'Réinitialisation de mot de passe',
	'account.password.reset_link': 'Lien « Mot de passe oublié » envoyé',
	'account.password.reset_by_link': 'Mot de passe changé par lien « Mot de passe oublié »',
	'account.password.check': 'Mot de passe redemandé',
	'account.signup.link': 'Lien « Créer un compte » envoyé',
	'account.signup.existing': 'Inscription tentée avec l’adresse d’un compte (titulaire prévenu)',
	'account.signup': 'Compte créé par inscription',
	'candidate.link_self': 'Dossier du fichier des candidats relié par le candidat',
	'session.end_all': 'Fin de toutes les sessions d’un compte',
	'grant.create': 'Habilitation temporaire accordée',
	'org.create': "Création d'organisme",
	'rights.erase': 'Effacement de compte (droit à l’effacement)',
	'breach.open': 'Violation de données inscrite',
	'breach.update': 'Violation de données mise à jour',
	'audit.search': "Recherche dans la piste d'audit",
	'audit.verify': "Vérification de l'intégrité de la piste d'audit",
	'audit.purge': "Purge de la piste d'audit (conservation)",
	'retention.run': 'Purge des données échues',
	'backup.create': 'Sauvegarde',
	'backup.restore': 'Restauration',
	'keys.rotate': 'Rotation des clés',
};

const TARGETS = {
	account: 'Compte',
	organisation: 'Organisme',
	breach: 'Violation de données',
	keystore: 'Clés de chiffrement',
	purge_report: 'Rapport de purge',
};

const OUTCOMES = { success: 'Réussite', failure: 'Échec', denied: 'Refus' };

const EVENTS = {
	login: 'Connexion (mot de passe accepté)',
	failure: 'Échec de connexion',
	locked: 'Connexion bloquée (trop de tentatives)',
	mfa_success: 'Second facteur validé',
	mfa_failure: 'Second facteur refusé',
	logout: 'Déconnexion',
};

// The organisation's accounts by id, for showing names instead of ids
// (empty when the list cannot be read: ids are shown then).
async function accountNames(me) {
	try {
		const { accounts = [] } = await api('GET', `/api/v1/orgs/${encodeURIComponent(me.org_id)}/accounts`);
		return new Map(accounts.map((a) => [a.id, a.display_name || a.email || a.id]));
	} catch {
		return new Map();
	}
}

function who(names, id) {
	if (!id)
		return 'Système';
	return names.get(id) || `Compte ${id.slice(0, 8)}…`;
}

function details(d) {
	if (d === undefined || d === null || d === '')
		return '';
	if (typeof d !== 'object')
		return String(d);
	return Object.entries(d).map(([k, v]) => `${k} : ${typeof v === 'object' ? JSON.stringify(v) : v}`).join(' ; ');
}

function datalist(id, entries) {
	return h('datalist', { id }, Object.entries(entries).map(([v, t]) => h('option', { value: v, label: t })));
}

// ---------------------------------------------------------------- audit

function verifyPanel() {
	const out = h('div', { class: 'verify-result', role: 'status' });
	const button = h('button', { type: 'button', class: 'secondary', text: "Vérifier l'intégrité" });
	button.addEventListener('click', async () => {
		button.disabled = true;
		out.className = 'verify-result';
		out.replaceChildren(h('p', { text: 'Vérification en cours…' }));
		try {
			const r = await api('GET', '/api/v1/audit/verification');
			if (r.intact) {
				out.className = 'verify-result level-done';
				out.replaceChildren(h('p', {}, h('strong', { text: 'Piste d’audit intacte. ' }),
					`${count(r.checked)} entrée${r.checked > 1 ? 's' : ''} vérifiée${r.checked > 1 ? 's' : ''} : chacune est reliée à la précédente par son empreinte, depuis le dernier point de contrôle signé.`));
			} else {
				out.className = 'verify-result level-late';
				out.replaceChildren(h('p', {}, h('strong', { text: 'Piste d’audit altérée. ' }), r.detail || ''),
					h('p', { class: 'hint', text: `Détail technique : ${r.reason || '—'} (${count(r.checked)} entrées vérifiées avant la rupture).` }),
					h('p', { text: "Conservez une copie de la base et des sauvegardes, et traitez l'événement comme une violation de données possible." }));
			}
		} catch (err) {
			out.className = 'verify-result level-late';
			out.replaceChildren(h('p', { text: err instanceof ApiError && err.status === 404
				? "La vérification n'est pas disponible sur ce serveur : un administrateur peut la lancer avec la commande « creneau audit verify »."
				: (err instanceof ApiError ? err.detail : 'La vérification a échoué.') }));
		} finally {
			button.disabled = false;
		}
	});
	return [h('div', { class: 'actions' }, button), out];
}

export async function auditView(ctx) {
	const names = await accountNames(ctx.me);
	const actId = newId('dl');
	const tgtId = newId('dl');
	const fields = {
		action: field('Action', { type: 'text', name: 'action', list: actId, autocomplete: 'off', spellcheck: 'false' },
			'Par exemple breach.open ; laissez vide pour toutes les actions.'),
		actor: field('Auteur', { tag: 'select', name: 'actor', options: [['', 'Tous les auteurs'],
			...[...names.entries()].map(([id, n]) => [id, n])] }),
		target_type: field('Type de cible', { type: 'text', name: 'target_type', list: tgtId, autocomplete: 'off', spellcheck: 'false' },
			'Par exemple account ou breach.'),
		target: field('Identifiant de la cible', { type: 'text', name: 'target', autocomplete: 'off', spellcheck: 'false' }),
		since: field('Du', { type: 'date', name: 'since' }),
		until: field('Au (inclus)', { type: 'date', name: 'until' }),
		limit: field('Nombre maximal de résultats', { type: 'number', name: 'limit', min: 1, max: 1000, value: 200, inputmode: 'numeric' }),
	};
	const results = h('div', { class: 'results' });
	const status = h('p', { class: 'notice', role: 'status' });
	let query = null;
	let rows = [];

	function render(more) {
		const tbl = table(`Entrées de la piste d'audit (${rows.length})`,
			['N°', 'Date', 'Action', 'Auteur', 'Cible', 'Résultat', 'Adresse IP', 'Détails'],
			rows.map((e) => [String(e.seq), whenShort(e.at),
				h('span', {}, ACTIONS[e.action] || e.action, h('br'), h('code', { text: e.action })),
				who(names, e.actor),
				e.target_type ? `${TARGETS[e.target_type] || e.target_type}${e.target_ids ? ` ${e.target_ids}` : ''}` : '—',
				OUTCOMES[e.outcome] || e.outcome || '—',
				e.ip || '—',
				details(e.details) || '—']), 'audit-table');
		const next = more ? h('button', { type: 'button', class: 'secondary', text: 'Afficher les entrées suivantes' }) : null;
		if (next)
			next.addEventListener('click', () => search(true).catch((err) => {
				status.textContent = err instanceof ApiError ? err.detail : 'La recherche a échoué.';
			}));
		fill(results, rows.length ? tbl : h('p', { text: 'Aucune entrée ne correspond à ces critères.' }), next);
	}

	async function search(more) {
		const q = new URLSearchParams(more ? query : undefined);
		if (more) {
			q.set('after', String(rows[rows.length - 1].seq));
		} else {
			const errors = {};
			for (const k of ['action', 'actor', 'target_type', 'target']) {
				const v = fields[k].input.value.trim();
				if (v)
					q.set(k, v);
			}
			const since = inputToIso(fields.since.input.value);
			const until = inputToIso(fields.until.input.value, true);
			if (since)
				q.set('since', since);
			if (until)
				q.set('until', until);
			if (since && until && since > until)
				errors.until = 'La fin de la période doit suivre son début.';
			const limit = Number(fields.limit.input.value || 200);
			if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
				errors.limit = 'Indiquez un nombre de 1 à 1000.';
			else
				q.set('limit', String(limit));
			if (Object.keys(errors).length)
				throw new FormInvalid(errors);
			query = q.toString();
			rows = [];
		}
		const { entries = [] } = await api('GET', `/api/v1/audit?${q}`);
		rows = rows.concat(entries);
		const limit = Number(new URLSearchParams(query).get('limit') || 200);
		render(entries.length === limit);
		status.textContent = more
			? `${entries.length} entrée${entries.length > 1 ? 's' : ''} de plus, ${rows.length} en tout.`
			: `${rows.length} entrée${rows.length > 1 ? 's' : ''} trouvée${rows.length > 1 ? 's' : ''}.`;
	}

	return [h('h1', { text: "Piste d'audit" }),
		h('p', { text: "Chaque opération sensible de votre organisme y est inscrite, reliée à la précédente par une empreinte : une entrée modifiée, retirée ou insérée rompt la chaîne. Chaque recherche est elle-même inscrite." }),
		h('h2', { text: "Vérifier l'intégrité" }),
		h('p', { class: 'hint', text: "Relit toute la chaîne depuis le dernier point de contrôle signé et signale la première entrée manquante, modifiée ou déliée." }),
		...verifyPanel(),
		h('h2', { text: 'Rechercher' }),
		h('p', { class: 'hint', text: 'Tous les critères sont facultatifs ; les entrées les plus anciennes viennent en premier.' }),
		datalist(actId, ACTIONS),
		datalist(tgtId, TARGETS),
		form(fields, 'Rechercher', () => search(false), [], { cls: 'search-form' }),
		status,
		results];
}

// -------------------------------------------------------------- journal

export async function journalView(ctx) {
	const names = await accountNames(ctx.me);
	const fields = {
		from: field('Du', { type: 'date', name: 'from' }),
		to: field('Au (inclus)', { type: 'date', name: 'to' }),
		limit: field('Nombre maximal de résultats', { type: 'number', name: 'limit', min: 1, max: 1000, value: 200, inputmode: 'numeric' }),
	};
	const status = h('p', { class: 'notice', role: 'status' });
	const results = h('div', { class: 'results' });
	const path = `/api/v1/orgs/${encodeURIComponent(ctx.me.org_id)}/journal`;

	async function load() {
		const q = new URLSearchParams();
		const from = inputToIso(fields.from.input.value);
		const to = inputToIso(fields.to.input.value, true);
		const errors = {};
		if (from)
			q.set('from', from);
		if (to)
			q.set('to', to);
		if (from && to && from > to)
			errors.to = 'La fin de la période doit suivre son début.';
		const limit = Number(fields.limit.input.value || 200);
		if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
			errors.limit = 'Indiquez un nombre de 1 à 1000.';
		else
			q.set('limit', String(limit));
		if (Object.keys(errors).length)
			throw new FormInvalid(errors);
		const { entries = [] } = await api('GET', `${path}?${q}`);
		results.replaceChildren(entries.length
			? table(`Connexions et déconnexions (${entries.length})`,
				['Date', 'Événement', 'Compte', 'Adresse IP', 'Navigateur'],
				entries.map((e) => [whenShort(e.at), EVENTS[e.event] || e.event, e.account_id ? who(names, e.account_id) : 'Compte inconnu',
					e.ip || '—', e.user_agent || '—']), 'journal-table')
			: h('p', { text: 'Aucune entrée sur cette période.' }));
		return entries.length;
	}

	const n = await load();
	status.textContent = `${n} entrée${n > 1 ? 's' : ''}.`;
	return [h('h1', { text: 'Journal des connexions' }),
		h('p', { text: "Les connexions, échecs, blocages et déconnexions des comptes de votre organisme, conservés 12 mois pour la sécurité des connexions. Les plus récents d'abord." }),
		form(fields, 'Afficher', async () => {
			const k = await load();
			status.textContent = `${k} entrée${k > 1 ? 's' : ''}.`;
		}, [], { cls: 'search-form' }),
		status,
		results];
}
