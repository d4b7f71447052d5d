// authority_link.js - remote mode ([authority] mode = remote): « Autorité
// d'examen », where a school employee links their account to the remote
// exam authority their school books through. The link is made at the
// authority (its sign-in with the second factor, then its consent page),
// which sends the browser back here with the outcome
// (#/autorite?lien=ok|refuse|perime|indisponible|erreur).
import { api, ApiError } from './api.js';
import { openDialog } from './dialog.js';
import { dl, h } from './dom.js';
import { when } from './format.js';

const OUTCOMES = {
	ok: 'Votre compte est relié à l’autorité d’examen : vous pouvez réserver des places.',
	refuse: 'La liaison n’a pas été faite : l’autorisation a été refusée à l’autorité d’examen.',
	perime: 'Cette demande de liaison a expiré ou a déjà servi : recommencez.',
	indisponible: 'L’autorité d’examen ne répond pas : la liaison n’a pas pu se faire. Réessayez dans quelques minutes.',
	erreur: 'La liaison n’a pas pu être enregistrée : réessayez.',
};

export async function authorityLinkView(ctx) {
	const status = h('p', { class: 'notice', role: 'status' });
	const outcome = ctx.query?.get('lien');
	if (outcome && OUTCOMES[outcome]) {
		status.textContent = OUTCOMES[outcome];
		if (outcome !== 'ok')
			status.className = 'error';
	}
	const box = h('div', { class: 'authority-link' });
	async function draw() {
		const s = await api('GET', '/api/v1/authority-link');
		if (s.mode !== 'remote') {
			box.replaceChildren(h('p', { text: 'Cette plateforme est elle-même l’autorité d’examen : il n’y a rien à relier.' }));
			return;
		}
		const facts = [['Autorité d’examen', s.authority]];
		if (s.linked) {
			facts.push(['Compte relié le', when(s.linked_at)], ['Dernier renouvellement', when(s.refreshed_at)]);
		}
		const state = s.reachable
			? null
			: h('p', { class: 'error', role: 'alert', text: `L’autorité d’examen ne répond pas depuis le ${when(s.down_since)}. La recherche de places, le panier et la validation attendent son retour ; les listes déjà consultées (candidats, examens) restent lisibles dans leur dernière copie, comme votre compte et vos notifications.` });
		const action = s.linked
			? h('button', { type: 'button', class: 'secondary', text: 'Retirer la liaison' })
			: h('button', { type: 'button', text: 'Relier mon compte à l’autorité d’examen' });
		const error = h('p', { class: 'error', role: 'alert' });
		action.addEventListener('click', async () => {
			error.textContent = '';
			if (!s.linked) {
				action.disabled = true;
				try {
					const { authorization_url: url } = await api('POST', '/api/v1/authority-link');
					window.location.assign(url);
				} catch (err) {
					action.disabled = false;
					error.textContent = err instanceof ApiError ? err.detail : 'La liaison n’a pas pu commencer.';
				}
				return;
			}
			const confirm = h('button', { type: 'button', text: 'Retirer la liaison' });
			const keep = h('button', { type: 'button', class: 'secondary', text: 'Garder la liaison' });
			const dlgError = h('p', { class: 'error', role: 'alert' });
			const dlg = openDialog({
				title: 'Retirer la liaison avec l’autorité d’examen ?',
				content: [h('p', { text: 'Vous ne pourrez plus réserver ni gérer les examens depuis cette plateforme tant que vous n’aurez pas relié votre compte à nouveau. Les examens déjà réservés restent réservés à l’autorité d’examen ; l’accès est aussi retiré chez elle.' }),
					dlgError, h('div', { class: 'actions' }, confirm, keep)],
				opener: action,
				initialFocus: keep,
			});
			keep.addEventListener('click', () => dlg.close());
			confirm.addEventListener('click', async () => {
				confirm.disabled = true;
				try {
					await api('DELETE', '/api/v1/authority-link');
					dlg.close();
					status.className = 'notice';
					status.textContent = 'La liaison avec l’autorité d’examen est retirée.';
					await draw();
				} catch (err) {
					confirm.disabled = false;
					dlgError.textContent = err instanceof ApiError ? err.detail : 'La liaison n’a pas pu être retirée.';
				}
			});
		});
		box.replaceChildren(
			h('p', { text: s.linked
				? 'Votre compte est relié : les places que vous réservez ici le sont chez l’autorité d’examen, en votre nom, avec vos droits.'
				: 'Votre auto-école réserve ses places d’examen auprès d’une autorité d’examen distante. Pour réserver depuis cette plateforme, reliez une fois votre compte : vous vous connecterez chez l’autorité (avec votre deuxième facteur) et autoriserez cette plateforme à réserver en votre nom.' }),
			dl(facts), state, error, action);
	}
	await draw();
	return [h('h1', { text: 'Autorité d’examen' }), status, box];
}
