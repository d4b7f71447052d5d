// partner.js - partner software acting for a school employee: the consent
// page /oauth/authorize leads to (#/autorisation/<demande>) and the list
// of the applications the employee authorised, where each can be revoked.
import { api, ApiError } from './api.js';
import { field, h } from './dom.js';
import { form } from './forms.js';
import { when } from './format.js';

function scopeList(scopes) {
	return h('ul', { class: 'scopes' }, (scopes || []).map((s) => h('li', { text: s.label })));
}

// Where the client goes back to, shown so the employee can tell a
// software by its address too.
function hostOf(uri) {
	try {
		return new URL(uri).host;
	} catch {
		return uri;
	}
}

export async function consentView(ctx) {
	const [id] = ctx.params;
	if (!id || id === 'invalide') {
		return [h('h1', { text: 'Autorisation impossible' }),
			h('p', { text: 'Ce lien d’autorisation n’est pas valable : le logiciel qui vous l’a donné n’est pas enregistré auprès de Créneau, ou son adresse de retour ne correspond pas à celle qu’il a déclarée. Rien ne lui a été transmis.' }),
			h('p', { text: 'Prévenez l’éditeur du logiciel.' })];
	}
	let req;
	try {
		req = await api('GET', `/api/v1/oauth/requests/${encodeURIComponent(id)}`);
	} catch (err) {
		if (err instanceof ApiError && err.status !== 401)
			return [h('h1', { text: 'Autorisation impossible' }), h('p', { role: 'alert', text: err.detail })];
		throw err;
	}
	const status = h('p', { class: 'notice', role: 'status' });
	const decide = async (approve, button) => {
		for (const b of buttons.querySelectorAll('button'))
			b.disabled = true;
		status.textContent = approve ? 'Autorisation en cours…' : 'Refus en cours…';
		try {
			const { redirect } = await api('POST', `/api/v1/oauth/requests/${encodeURIComponent(id)}/decision`, { approve });
			window.location.assign(redirect);
		} catch (err) {
			for (const b of buttons.querySelectorAll('button'))
				b.disabled = false;
			status.textContent = err instanceof ApiError ? err.detail : 'La réponse n’a pas pu être enregistrée.';
			button.focus();
		}
	};
	const buttons = h('div', { class: 'actions' });
	const allow = h('button', { type: 'button', text: `Autoriser ${req.client.name}` });
	const refuse = h('button', { type: 'button', class: 'secondary', text: 'Refuser' });
	allow.addEventListener('click', () => decide(true, allow));
	refuse.addEventListener('click', () => decide(false, refuse));
	buttons.append(allow, refuse);
	return [h('h1', { text: 'Autoriser un logiciel' }),
		h('p', {}, 'Le logiciel ', h('strong', { text: req.client.name }),
			` (retour vers ${hostOf(req.redirect_uri)}) demande à agir en votre nom sur Créneau pour :`),
		scopeList(req.scopes),
		h('p', { class: 'hint', text: 'Il n’aura pas plus de droits que vous : chaque action sera faite sous votre nom, avec vos droits, et inscrite au journal d’audit. Vous pourrez lui retirer cet accès à tout moment depuis « Applications autorisées ».' }),
		status, buttons];
}

async function grantsList(status) {
	const { grants = [] } = await api('GET', '/api/v1/me/oauth-grants');
	if (grants.length === 0)
		return h('p', { class: 'grants', text: 'Vous n’avez autorisé aucun logiciel.' });
	return h('ul', { class: 'grants sessions' }, grants.map((g) => {
		const revoke = h('button', { type: 'button', class: 'secondary', text: 'Retirer l’accès',
			'aria-label': `Retirer l’accès de ${g.client.name} (autorisé le ${when(g.created_at)})` });
		revoke.addEventListener('click', async () => {
			revoke.disabled = true;
			try {
				await api('DELETE', `/api/v1/me/oauth-grants/${encodeURIComponent(g.id)}`);
				status.textContent = `Accès de ${g.client.name} retiré.`;
				document.querySelector('.grants').replaceWith(await grantsList(status));
			} catch (err) {
				revoke.disabled = false;
				status.textContent = err instanceof ApiError ? err.detail : 'L’accès n’a pas pu être retiré.';
			}
		});
		return h('li', {},
			h('div', {},
				h('p', {}, h('strong', { text: g.client.name })),
				scopeList(g.scopes),
				h('p', { class: 'hint', text: `Autorisé le ${when(g.created_at)}, dernier renouvellement le ${when(g.last_used_at)}` })),
			revoke);
	}));
}

export async function grantsView() {
	const status = h('p', { class: 'notice', role: 'status' });
	return [h('h1', { text: 'Applications autorisées' }),
		h('p', { class: 'hint', text: 'Les logiciels que vous avez autorisés à agir en votre nom. Retirer un accès l’arrête aussitôt.' }),
		status, await grantsList(status)];
}

// The platform admin's registered software: the list, a registration form
// whose answer shows the secret this once, and the revocation.
async function clientsList(status) {
	const { clients = [] } = await api('GET', '/api/v1/oauth-clients');
	if (clients.length === 0)
		return h('p', { class: 'clients', text: 'Aucun logiciel enregistré.' });
	return h('ul', { class: 'clients sessions' }, clients.map((c) => {
		const revoke = c.revoked_at ? null : h('button', { type: 'button', class: 'secondary', text: 'Révoquer',
			'aria-label': `Révoquer ${c.name} et toutes ses autorisations` });
		revoke?.addEventListener('click', async () => {
			revoke.disabled = true;
			try {
				await api('POST', `/api/v1/oauth-clients/${encodeURIComponent(c.client_id)}/revocation`);
				status.textContent = `${c.name} révoqué : ses autorisations ont pris fin.`;
				document.querySelector('.clients').replaceWith(await clientsList(status));
			} catch (err) {
				revoke.disabled = false;
				status.textContent = err instanceof ApiError ? err.detail : 'La révocation a échoué.';
			}
		});
		return h('li', {},
			h('div', {},
				h('p', {}, h('strong', { text: c.name }), c.revoked_at ? ` (révoqué le ${when(c.revoked_at)})` : ''),
				h('p', { class: 'hint', text: `Identifiant : ${c.client_id} ; adresses de retour : ${c.redirect_uris.join(', ')}` }),
				scopeList(c.scopes)),
			revoke);
	}));
}

export async function clientsView() {
	const status = h('p', { class: 'notice', role: 'status' });
	const fields = {
		name: field('Nom du logiciel', { type: 'text', name: 'name', maxlength: 128, required: true }),
		redirect_uris: field('Adresses de retour (une par ligne)', { tag: 'textarea', name: 'redirect_uris', rows: 3, required: true },
			'URL https exactes, ou http sur 127.0.0.1 pour un logiciel installé sur le poste de l’auto-école. Cinq au plus.'),
	};
	const read = h('input', { type: 'checkbox', id: 'scope-lecture', checked: true });
	const book = h('input', { type: 'checkbox', id: 'scope-reservation', checked: true });
	const scopes = h('fieldset', { class: 'checks' }, h('legend', { text: 'Ce que le logiciel pourra demander' }),
		h('div', { class: 'check' }, read, h('label', { for: 'scope-lecture', text: 'Consulter (lecture)' })),
		h('div', { class: 'check' }, book, h('label', { for: 'scope-reservation', text: 'Réserver (reservation)' })));
	const shown = h('div', { class: 'secret-panel' });
	const reg = form(fields, 'Enregistrer le logiciel', async () => {
		const c = await api('POST', '/api/v1/oauth-clients', {
			name: fields.name.input.value.trim(),
			redirect_uris: fields.redirect_uris.input.value.split('\n').map((l) => l.trim()).filter(Boolean),
			scopes: [read.checked ? 'lecture' : null, book.checked ? 'reservation' : null].filter(Boolean),
		});
		const head = h('h2', { tabindex: '-1', text: `${c.name} est enregistré` });
		shown.replaceChildren(head,
			h('p', { text: 'Transmettez ces valeurs à l’éditeur du logiciel par un moyen sûr. Le secret ne sera plus jamais affiché : seule son empreinte est conservée.' }),
			h('dl', { class: 'account' },
				h('dt', { text: 'Identifiant (client_id)' }), h('dd', { class: 'secret', text: c.client_id }),
				h('dt', { text: 'Secret (client_secret)' }), h('dd', { class: 'secret', id: 'client-secret', text: c.client_secret })));
		head.focus();
		document.querySelector('.clients').replaceWith(await clientsList(status));
	}, [scopes]);
	return [h('h1', { text: 'Logiciels partenaires' }),
		h('p', { class: 'hint', text: 'Les logiciels des auto-écoles qui peuvent agir au nom de leurs employés, chacun avec l’accord de l’employé (README, « Partner software »).' }),
		status, await clientsList(status),
		h('h2', { text: 'Enregistrer un logiciel' }), reg, shown];
}
