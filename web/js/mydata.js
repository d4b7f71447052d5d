// mydata.js - "Mes données", for every account: what Créneau holds about
// the person (access and portability: JSON and a readable HTML summary to
// download) and the erasure of the account, confirmed in a dialog with
// the password.
import { api, ApiError } from './api.js';
import { field, h, table } from './dom.js';
import { openDialog } from './dialog.js';
import { form } from './forms.js';

// The categories of the export with how many items each holds.
function summary(exp) {
	const items = exp.items || [];
	const rows = (exp.categories || []).map((c) => {
		const n = items.filter((it) => it.category === c.id).length;
		const why = (c.purposes || []).map((p) => p.activity).filter(Boolean);
		return [c.label || c.id, String(n), [...new Set(why)].join(' ; ') || '—', c.retention || '—'];
	});
	return table('Vos données par catégorie', ['Catégorie', 'Éléments', 'Traitements', 'Durée de conservation'], rows);
}

function erasedPage(ctx, res) {
	const kept = Array.isArray(res.kept) ? res.kept : [];
	return [h('h1', { text: 'Votre compte a été effacé' }),
		h('p', { class: 'notice', text: res.message || 'Votre compte a été effacé.' }),
		kept.length ? h('h2', { text: 'Ce qui est conservé, et pourquoi' }) : null,
		kept.length ? h('ul', { class: 'kept' }, kept.map((k) => h('li', {},
			h('strong', { text: k.what || '' }),
			typeof k.entries === 'number' ? ` (${k.entries} entrée${k.entries > 1 ? 's' : ''})` : '',
			h('p', { text: k.why || '' }),
			k.retention ? h('p', { class: 'hint', text: `Durée de conservation : ${typeof k.retention === 'string' ? k.retention : (k.retention.description || '')}` }) : null))) : null,
		h('p', { text: 'Vous êtes déconnecté(e). Merci d’avoir utilisé Créneau.' }),
		h('button', { type: 'button', text: 'Retour à la connexion', onclick: () => ctx.signedOut('') })];
}

function erasureDialog(ctx, opener) {
	const fields = {
		password: field('Mot de passe actuel', { type: 'password', name: 'password', autocomplete: 'current-password', required: true },
			"Pour confirmer que c'est bien vous."),
	};
	let dlg = null;
	const cancel = h('button', { type: 'button', class: 'secondary', text: 'Annuler', onclick: () => dlg.close() });
	const f = form(fields, 'Effacer définitivement mon compte', async () => {
		const res = await api('POST', '/api/v1/me/erasure', { password: fields.password.input.value });
		dlg.close();
		ctx.endWith(erasedPage(ctx, res));
	}, [], { cls: 'danger-form', after: [cancel] });
	dlg = openDialog({
		title: 'Effacer définitivement votre compte ?',
		opener,
		content: [
			h('p', { text: "L'effacement est immédiat et ne peut pas être annulé. Vous serez déconnecté(e)." }),
			h('h3', { text: 'Ce qui est effacé' }),
			h('ul', {},
				h('li', { text: 'votre adresse e-mail et votre nom ;' }),
				h('li', { text: 'vos rôles et vos habilitations ;' }),
				h('li', { text: 'vos sessions ouvertes et vos codes de secours ;' }),
				h('li', { text: 'votre clé de chiffrement personnelle, détruite : les copies de vos données dans les sauvegardes deviennent illisibles.' })),
			h('h3', { text: 'Ce qui est conservé, et pourquoi' }),
			h('ul', {},
				h('li', { text: "le journal des connexions, pour la sécurité des connexions, jusqu'à la fin de sa durée de conservation : l'adresse IP et le navigateur de chaque entrée y deviennent illisibles ;" }),
				h('li', { text: "la piste d'audit des opérations, pour prouver leur intégrité : elle ne vous désigne que par un identifiant qui ne renvoie plus à aucune donnée vous concernant." })),
			f,
		],
		initialFocus: fields.password.input,
	});
}

export async function myDataView(ctx) {
	let overview;
	try {
		const exp = await api('GET', '/api/v1/me/export');
		const ctl = exp.controller || {};
		overview = [summary(exp),
			h('p', { class: 'hint', text: `Responsable du traitement : ${ctl.name || '—'}. Délégué(e) à la protection des données : ${ctl.dpo || '—'}.` })];
	} catch (err) {
		if (err instanceof ApiError && err.status === 401)
			throw err;
		overview = [h('p', { class: 'error', role: 'alert', text: err instanceof ApiError ? err.detail : 'Vos données n’ont pas pu être rassemblées.' })];
	}
	const erase = h('button', { type: 'button', class: 'danger', text: 'Effacer mon compte…' });
	erase.addEventListener('click', () => erasureDialog(ctx, erase));
	return [h('h1', { text: 'Mes données' }),
		h('p', { text: "Vous pouvez obtenir à tout moment une copie de toutes les données que Créneau détient sur vous (droits d'accès et à la portabilité, articles 15 et 20 du RGPD) et demander l'effacement de votre compte (article 17)." }),
		h('h2', { text: 'Télécharger mes données' }),
		h('ul', { class: 'downloads' },
			h('li', {}, h('a', { href: '/api/v1/me/export', download: 'mes-donnees-creneau.json', text: 'Télécharger mes données (JSON, pour les réutiliser ailleurs)' })),
			h('li', {}, h('a', { href: '/api/v1/me/export?format=html', download: 'mes-donnees-creneau.html', text: 'Télécharger le récapitulatif lisible (HTML, à ouvrir dans votre navigateur)' }))),
		h('p', { class: 'hint', text: "Chaque élément y est accompagné de sa finalité, de ses destinataires, de sa durée de conservation et de sa source." }),
		h('h2', { text: 'Ce que Créneau détient sur vous' }),
		...overview,
		h('h2', { text: 'Effacer mon compte' }),
		h('p', { text: "L'effacement supprime votre compte et détruit votre clé de chiffrement personnelle. Le détail de ce qui est effacé et de ce qui est conservé vous est présenté avant confirmation." }),
		erase];
}
