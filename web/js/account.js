// account.js - "Mon compte": who is signed in, with which roles, and the
// account's open sessions (each can be closed).
import { api, ApiError } from './api.js';
import { h } from './dom.js';
import { ROLE_NAMES, when } from './format.js';

async function sessionsList(ctx, status) {
	const { sessions = [] } = await api('GET', '/api/v1/me/sessions');
	return h('ul', { class: 'sessions' }, sessions.map((s) => {
		const close = h('button', { type: 'button', class: 'secondary', text: 'Fermer',
			'aria-label': s.current ? 'Fermer cette session (vous serez déconnecté)' : `Fermer la session ouverte le ${when(s.created_at)}` });
		close.addEventListener('click', async () => {
			close.disabled = true;
			try {
				await api('DELETE', `/api/v1/me/sessions/${encodeURIComponent(s.id)}`);
				if (s.current)
					return ctx.signedOut('Vous êtes déconnecté(e).');
				status.textContent = 'Session fermée.';
				const list = await sessionsList(ctx, status);
				document.querySelector('ul.sessions').replaceWith(list);
			} catch (err) {
				close.disabled = false;
				status.textContent = err instanceof ApiError ? err.detail : 'La session n’a pas pu être fermée.';
			}
		});
		return h('li', {},
			h('div', {},
				h('p', { text: s.current ? 'Cette session (cet appareil)' : (s.user_agent || 'Navigateur inconnu') }),
				h('p', { class: 'hint', text: `Ouverte le ${when(s.created_at)}, dernière activité le ${when(s.last_seen_at)}${s.public_computer ? ', ordinateur public' : ''}` })),
			close);
	}));
}

export async function accountView(ctx) {
	const { me } = ctx;
	const status = h('p', { class: 'notice', role: 'status' });
	const roles = (me.roles || []).map((r) => ROLE_NAMES[r.role] || r.role);
	const list = await sessionsList(ctx, status);
	return [h('h1', { text: 'Mon compte' }),
		ctx.flash ? h('p', { class: 'notice', text: ctx.flash }) : null,
		h('dl', { class: 'account' },
			h('dt', { text: 'Nom' }), h('dd', { text: me.display_name || '—' }),
			h('dt', { text: 'Adresse e-mail' }), h('dd', { text: me.email || '—' }),
			h('dt', { text: roles.length > 1 ? 'Rôles' : 'Rôle' }), h('dd', { text: roles.join(', ') || '—' })),
		h('h2', { text: 'Mes sessions' }),
		status,
		list];
}
