// staff.js - « Personnel » (school administrator; the platform
// administrator for the platform's own staff): the organisation's
// accounts with their roles, state, last sign-in and second factor; a
// new account and its temporary password, shown once; deactivating an
// account (its sessions end at once), ending its sessions, and lending
// one permission for a while (a temporary grant, which ends by itself).
import { api, ApiError } from './api.js';
import { field, h, newId, table } from './dom.js';
import { inputToIso, localInput, ROLE_NAMES, toDate, when } from './format.js';
import { form, FormInvalid } from './forms.js';
import { openDialog } from './dialog.js';

// The roles each administrator gives from this page, in this order: the
// API's rule (docs/permissions.md, « Who gives what »). A school's DPO is
// appointed by the platform, never by the school's administrator, whose
// work the DPO oversees.
const GIVEN_ROLES = {
	school_admin: ['school_manager', 'trainer', 'school_admin'],
	platform_admin: ['platform_admin', 'dpo'],
};

const ROLE_HINTS = {
	school_manager: 'candidats, réservations, examens',
	trainer: 'ses candidats seulement',
	school_admin: 'le personnel et ses accès',
	dpo: 'registre, violations, droits des personnes',
	platform_admin: 'les organisations de la plateforme',
};

// The permissions a school administrator holds (docs/permissions.md),
// the only ones it may lend: [name, French label].
const GRANTABLE = [
	['journal.read', 'Consulter le journal des connexions'],
	['staff.read', 'Consulter la liste du personnel'],
	['staff.manage', 'Créer et désactiver des comptes du personnel'],
	['sessions.manage', 'Fermer les sessions du personnel'],
	['grant.manage', 'Accorder des habilitations temporaires'],
	['slot.approve', "Approuver les changements de créneau demandés par la supervision"],
];

const GRANT_MAX_DAYS = 90;

function nameOf(a) {
	return a.display_name || a.email || 'Compte sans nom';
}

// "25/11/2026 10:30", for the table.
function shortTime(t) {
	const d = toDate(t);
	return d ? d.toLocaleString('fr-FR', { dateStyle: 'short', timeStyle: 'short' }) : '';
}

function rolesText(roles) {
	return (roles || []).map((r) => ROLE_NAMES[r] || r).join(', ') || '—';
}

// A button whose accessible name says whose account it acts on, while
// the visible text stays short: "Désactiver" + hidden " le compte de X".
function actionButton(text, hidden, cls, onclick) {
	return h('button', { type: 'button', class: `${cls} small`, onclick },
		text, h('span', { class: 'visually-hidden', text: hidden }));
}

// A group of check boxes under a legend, shaped like dom.js's fields
// ({ wrap, input, error, values() }); choices are [value, text, hint].
function checkboxes(legend, name, choices, hint) {
	const id = newId('c');
	const errId = `${id}-err`;
	const hintId = hint ? `${id}-hint` : null;
	const error = h('p', { id: errId, class: 'error', role: 'alert' });
	const boxes = choices.map(([v, t, more], i) => {
		const cid = `${id}-${i}`;
		const input = h('input', { type: 'checkbox', id: cid, name, value: v });
		return { input, wrap: h('div', { class: 'check' }, input,
			h('label', { for: cid }, t, more ? h('span', { class: 'hint', text: ` — ${more}` }) : null)) };
	});
	const wrap = h('fieldset', { class: 'field', 'aria-describedby': [hintId, errId].filter(Boolean).join(' ') },
		h('legend', { text: legend }),
		hint ? h('p', { id: hintId, class: 'hint', text: hint }) : null,
		boxes.map((b) => b.wrap), error);
	return {
		wrap, error, input: boxes[0].input,
		values: () => boxes.filter((b) => b.input.checked).map((b) => b.input.value),
		clear: () => boxes.forEach((b) => { b.input.checked = false; }),
	};
}

// ------------------------------------------------- temporary password

// The panel that shows a new account's temporary password, once.
function passwordPanel(account, password) {
	const titleId = newId('pw');
	const status = h('p', { class: 'notice', role: 'status' });
	const f = field(`Mot de passe provisoire de ${account.name}`,
		{ type: 'text', readonly: true, class: 'mono temp-password', autocomplete: 'off', spellcheck: 'false' });
	f.input.value = password;
	const copy = h('button', { type: 'button', class: 'secondary', text: 'Copier le mot de passe' });
	copy.addEventListener('click', async () => {
		try {
			await navigator.clipboard.writeText(password);
			status.textContent = 'Mot de passe copié dans le presse-papiers. Effacez-le ensuite de l’endroit où vous l’aurez collé.';
		} catch {
			f.input.focus();
			f.input.select();
			status.textContent = 'Copie automatique impossible : le mot de passe est sélectionné, copiez-le avec Ctrl+C.';
		}
	});
	const panel = h('section', { class: 'password-panel', 'aria-labelledby': titleId },
		h('h2', { id: titleId, tabindex: -1, text: `Compte créé pour ${account.name}` }),
		h('p', {}, h('strong', { text: 'Ce mot de passe provisoire ne sera affiché qu’une seule fois. ' }),
			`Remettez-le à ${account.name} en main propre ou par un canal privé, séparément de l’adresse e-mail (${account.email}) ; ne l’envoyez jamais par e-mail ni par message en clair.`),
		f.wrap,
		h('div', { class: 'actions' }, copy),
		status,
		h('p', { class: 'hint', text: 'À sa première connexion, la personne devra le remplacer par un mot de passe de son choix puis activer une application d’authentification.' }));
	const hide = h('button', { type: 'button', class: 'secondary', text: 'J’ai remis le mot de passe : le masquer' });
	hide.addEventListener('click', () => {
		panel.replaceChildren(h('h2', { id: titleId, tabindex: -1, text: `Compte créé pour ${account.name}` }),
			h('p', { text: 'Le mot de passe provisoire est masqué et ne peut plus être affiché. S’il est perdu, désactivez ce compte et créez-en un nouveau.' }));
		panel.querySelector('h2').focus();
	});
	panel.querySelector('.actions').append(hide);
	return panel;
}

// -------------------------------------------------------- new account

function createForm(ctx, roleChoices, done) {
	const fields = {
		display_name: field('Nom et prénom', { type: 'text', name: 'display_name', autocomplete: 'off', maxlength: 200, required: true }),
		email: field('Adresse e-mail professionnelle', { type: 'email', name: 'email', autocomplete: 'off', spellcheck: 'false', maxlength: 254, required: true },
			'La personne s’en servira pour se connecter.'),
		roles: checkboxes('Rôle', 'roles', roleChoices.map((r) => [r, ROLE_NAMES[r] || r, ROLE_HINTS[r]]),
			'Cochez au moins un rôle ; ne donnez que ce dont la personne a besoin pour son travail.'
			+ (roleChoices.includes('dpo') ? '' : ' Le ou la délégué(e) à la protection des données est désigné(e) par la plateforme, pas ici.')),
	};
	const f = form(fields, 'Créer le compte', async () => {
		const errors = {};
		const displayName = fields.display_name.input.value.trim();
		const email = fields.email.input.value.trim();
		const roles = fields.roles.values();
		if (!displayName)
			errors.display_name = 'Indiquez le nom et le prénom de la personne.';
		if (!email)
			errors.email = 'Indiquez l’adresse e-mail de la personne.';
		else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
			errors.email = 'Cette adresse e-mail n’a pas la bonne forme (par exemple prenom.nom@auto-ecole.fr).';
		if (!roles.length)
			errors.roles = 'Choisissez au moins un rôle.';
		if (Object.keys(errors).length)
			throw new FormInvalid(errors);
		const res = await api('POST', `/api/v1/orgs/${encodeURIComponent(ctx.me.org_id)}/accounts`,
			{ display_name: displayName, email, roles });
		fields.display_name.input.value = '';
		fields.email.input.value = '';
		fields.roles.clear();
		await done({ id: res.id, name: displayName, email }, res.temporary_password);
	}, [], { cls: 'staff-form' });
	return f;
}

// ------------------------------------------------------------ dialogs

function deactivateDialog(ctx, a, opener, done) {
	let dlg = null;
	const error = h('p', { class: 'error', role: 'alert' });
	const confirm = h('button', { type: 'button', class: 'danger', text: 'Désactiver le compte' });
	const cancel = h('button', { type: 'button', class: 'secondary', text: 'Annuler', onclick: () => dlg.close() });
	confirm.addEventListener('click', async () => {
		confirm.disabled = true;
		error.textContent = '';
		try {
			await api('POST', `/api/v1/orgs/${encodeURIComponent(ctx.me.org_id)}/accounts/${encodeURIComponent(a.id)}/deactivation`);
			dlg.close();
			await done();
		} catch (err) {
			if (err instanceof ApiError && err.status === 401)
				return ctx.signedOut('Votre session a expiré : reconnectez-vous.');
			confirm.disabled = false;
			error.textContent = err instanceof ApiError ? err.detail : 'Le compte n’a pas pu être désactivé.';
		}
	});
	dlg = openDialog({
		title: `Désactiver le compte de ${nameOf(a)} ?`,
		opener,
		content: [
			h('p', { text: `${nameOf(a)} ne pourra plus se connecter à Créneau.` }),
			h('p', {}, h('strong', { text: 'Toutes ses sessions ouvertes se terminent immédiatement, ' }),
				'sur tous ses appareils : une page ouverte chez elle sera déconnectée à sa prochaine action.'),
			h('p', { class: 'hint', text: 'Le compte reste inscrit, désactivé, puis est supprimé selon la durée de conservation des comptes professionnels inscrite au registre. La désactivation est inscrite à la piste d’audit.' }),
			error,
			h('div', { class: 'actions' }, confirm, cancel),
		],
		initialFocus: cancel,
	});
}

function grantDialog(ctx, a, opener, done) {
	let dlg = null;
	const end = new Date(Date.now() + 24 * 3600 * 1000);
	end.setMinutes(0, 0, 0);
	const fields = {
		permission: field('Permission', { tag: 'select', name: 'permission',
			options: [['', 'Choisir une permission'], ...GRANTABLE.map(([p, label]) => [p, label])] },
		'Seulement parmi celles que vous détenez vous-même.'),
		expires_at: field('Fin de l’habilitation', { type: 'datetime-local', name: 'expires_at', required: true },
			`L’habilitation prend fin d’elle-même à cette date et heure, sans autre action de votre part (${GRANT_MAX_DAYS} jours au plus).`),
	};
	fields.expires_at.input.value = localInput(end);
	const cancel = h('button', { type: 'button', class: 'secondary', text: 'Annuler', onclick: () => dlg.close() });
	const f = form(fields, 'Accorder l’habilitation', async () => {
		const errors = {};
		const permission = fields.permission.input.value;
		const at = inputToIso(fields.expires_at.input.value);
		if (!permission)
			errors.permission = 'Choisissez la permission à accorder.';
		if (!at)
			errors.expires_at = 'Indiquez la date et l’heure de fin.';
		else if (new Date(at).getTime() <= Date.now())
			errors.expires_at = 'La fin doit être dans le futur.';
		else if (new Date(at).getTime() > Date.now() + GRANT_MAX_DAYS * 24 * 3600 * 1000)
			errors.expires_at = `Une habilitation temporaire dure ${GRANT_MAX_DAYS} jours au plus.`;
		if (Object.keys(errors).length)
			throw new FormInvalid(errors);
		await api('POST', `/api/v1/orgs/${encodeURIComponent(ctx.me.org_id)}/accounts/${encodeURIComponent(a.id)}/grants`,
			{ permission, expires_at: at });
		dlg.close();
		const label = (GRANTABLE.find(([p]) => p === permission) || [permission, permission])[1];
		await done(`Habilitation « ${label} » accordée à ${nameOf(a)} jusqu’au ${when(at)}. Elle prendra fin d’elle-même à cette date.`);
	}, [], { cls: 'grant-form', after: [cancel] });
	dlg = openDialog({
		title: `Habilitation temporaire pour ${nameOf(a)}`,
		opener,
		content: [
			h('p', { text: `Prêtez une permission à ${nameOf(a)} pour un temps limité, par exemple pendant une absence. Elle s’ajoute à ses rôles dans cette organisation et cesse de compter à l’heure de fin.` }),
			f,
		],
		initialFocus: fields.permission.input,
	});
}

// --------------------------------------------------------------- page

function stateCell(a) {
	if (a.disabled)
		return h('span', { class: 'tag', text: 'Désactivé' });
	return h('span', {}, 'Actif', a.password_temporary
		? h('span', { class: 'hint block', text: 'mot de passe provisoire pas encore changé' }) : null);
}

// Staff only: candidates live in the people's place, not here; an
// account that is a candidate and nothing else is never personnel.
const isStaff = (a) => (a.roles || []).some((r) => r !== 'candidate');

export async function staffView(ctx) {
	const { me, roles } = ctx;
	const org = encodeURIComponent(me.org_id);
	const giver = roles.has('school_admin') ? 'school_admin' : 'platform_admin';
	const canLend = roles.has('school_admin'); // grant.manage and sessions.manage
	const status = h('p', { class: 'notice', role: 'status', tabindex: -1, text: ctx.flash || '' });
	const listBox = h('div', { class: 'staff-list' });
	const pwBox = h('div');

	function say(message) {
		status.textContent = message;
		status.focus();
	}

	async function render() {
		const { accounts: all = [] } = await api('GET', `/api/v1/orgs/${org}/accounts`);
		const accounts = all.filter(isStaff);
		const sorted = [...accounts].sort((x, y) => Number(x.disabled) - Number(y.disabled)
			|| nameOf(x).localeCompare(nameOf(y), 'fr'));
		const active = accounts.filter((a) => !a.disabled).length;
		const rows = sorted.map((a) => {
			const self = a.id === me.id;
			const hidden = ` le compte de ${nameOf(a)}`;
			const actions = [];
			// Accounts holding a role this page does not give (the
			// DPO first) are the platform's to act on.
			const platformOnly = (a.roles || []).some((r) => !GIVEN_ROLES[giver].includes(r));
			if (self) {
				actions.push(h('span', { class: 'hint', text: 'Votre compte' }));
			} else if (platformOnly && giver === 'school_admin' && !a.disabled) {
				actions.push(h('span', { class: 'hint', text: 'Compte désigné par la plateforme' }));
			} else if (!a.disabled) {
				if (canLend) {
					const end = actionButton('Fermer les sessions', ` de ${nameOf(a)}`, 'secondary', async () => {
						end.disabled = true;
						try {
							const r = await api('DELETE', `/api/v1/orgs/${org}/accounts/${encodeURIComponent(a.id)}/sessions`);
							const n = r.sessions_ended || 0;
							say(n
								? `${n} session${n > 1 ? 's' : ''} de ${nameOf(a)} fermée${n > 1 ? 's' : ''} : la personne devra se reconnecter.`
								: `${nameOf(a)} n’avait aucune session ouverte.`);
						} catch (err) {
							if (err instanceof ApiError && err.status === 401)
								return ctx.signedOut('Votre session a expiré : reconnectez-vous.');
							say(err instanceof ApiError ? err.detail : 'Les sessions n’ont pas pu être fermées.');
						} finally {
							end.disabled = false;
						}
					});
					actions.push(end);
					// A staff permission is lent only to an account
					// protected by its second factor.
					if (a.totp_enabled) {
						const grant = actionButton('Habilitation temporaire…', ` pour ${nameOf(a)}`, 'secondary', () =>
							grantDialog(ctx, a, grant, async (message) => say(message)));
						actions.push(grant);
					} else {
						actions.push(h('span', { class: 'hint', text: 'Habilitation possible après activation du second facteur' }));
					}
				}
				const off = actionButton('Désactiver…', hidden, 'danger', () =>
					deactivateDialog(ctx, a, off, async () => {
						await render();
						say(`Le compte de ${nameOf(a)} est désactivé : toutes ses sessions sont terminées.`);
					}));
				actions.push(off);
			}
			return [h('span', {}, h('span', { class: 'staff-name', text: nameOf(a) }),
				h('span', { class: 'hint block email', text: a.email || '' })),
			rolesText(a.roles),
			stateCell(a),
			a.last_login_at ? shortTime(a.last_login_at) : 'Jamais',
			a.totp_enabled ? 'Activée' : 'Non activée',
			h('div', { class: 'actions row-actions' }, actions)];
		});
		listBox.replaceChildren(
			h('p', { class: 'summary', text: `${accounts.length} compte${accounts.length > 1 ? 's' : ''}, dont ${active} actif${active > 1 ? 's' : ''}.` }),
			table('Comptes du personnel de l’organisation',
				['Nom et adresse e-mail', 'Rôles', 'État', 'Dernière connexion', 'Second facteur (application)', 'Actions'],
				rows, 'staff-table'));
	}

	await render();
	const create = createForm(ctx, GIVEN_ROLES[giver], async (account, password) => {
		await render();
		const panel = passwordPanel(account, password);
		pwBox.replaceChildren(panel);
		panel.querySelector('h2').focus();
	});
	return [h('h1', { text: 'Personnel' }),
		status,
		h('p', { text: 'Les comptes des personnes qui travaillent dans votre organisation. Chacun ne voit que ce que ses rôles permettent ; désactivez sans attendre le compte d’une personne qui part.' }),
		h('section', { 'aria-labelledby': 'staff-list' },
			h('h2', { id: 'staff-list', text: 'Comptes' }),
			listBox,
			h('p', { class: 'hint', text: 'Les comptes des candidats n’apparaissent pas ici : chaque candidat gère le sien.' }),
			canLend ? h('p', { class: 'hint', text: 'Une habilitation temporaire prête une de vos permissions jusqu’à une date et une heure : elle prend fin d’elle-même, il n’y a rien à retirer.' }) : null),
		pwBox,
		h('section', { 'aria-labelledby': 'staff-new' },
			h('h2', { id: 'staff-new', text: 'Créer un compte' }),
			h('p', { text: 'Créneau crée un mot de passe provisoire, affiché une seule fois ici : vous le remettez vous-même à la personne.' }),
			create)];
}

