// account.js - "Mon compte": who is signed in, with which roles, the
// account's security (password and authenticator app, each changed only
// after the proof of proof.js) and its open sessions (each can be
// closed).
import { api, ApiError } from './api.js';
import { field, h, svgFromText } from './dom.js';
import { form } from './forms.js';
import { ROLE_NAMES, when } from './format.js';
import { needsProof, proofFields, prove } from './proof.js';

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

// Fills panel with nodes and moves focus to its first field or heading.
function fillPanel(panel, ...nodes) {
	panel.replaceChildren(...nodes);
	const input = panel.querySelector('input');
	const head = panel.querySelector('h3');
	if (input) {
		input.focus();
	} else if (head) {
		head.setAttribute('tabindex', '-1');
		head.focus();
	}
}

function cancelButton(done) {
	return h('button', { type: 'button', class: 'secondary', text: 'Annuler', onclick: () => done('') });
}

// The password: proof and new password in one form.
function passwordPanel(me, panel, done) {
	const fields = proofFields(me.totp_enabled);
	let proven = false;
	fields.new_password = field('Nouveau mot de passe', { type: 'password', name: 'new_password', autocomplete: 'new-password', required: true, minlength: 12 },
		'Au moins 12 caractères, difficile à deviner : une phrase de plusieurs mots convient bien.');
	fillPanel(panel, h('h3', { text: 'Changer de mot de passe' }),
		h('p', { text: 'Confirmez d’abord votre identité. Vos autres sessions seront fermées et un courriel vous confirmera le changement.' }),
		form(fields, 'Changer le mot de passe', async () => {
			// A code serves once: a refused new password is retried
			// without proving again, while the proof lasts.
			if (!proven) {
				await prove(fields);
				proven = true;
			}
			try {
				await api('POST', '/api/v1/me/password', {
					current_password: fields.password.input.value,
					new_password: fields.new_password.input.value,
				});
			} catch (err) {
				if (needsProof(err))
					proven = false;
				throw err;
			}
			done('Votre mot de passe a été changé. Un courriel vous le confirme.');
		}, [], { after: [cancelButton(done)] }));
}

// The authenticator app: proof, then the new app's QR code and first
// code, then the new recovery codes.
function mfaPanel(me, panel, done) {
	const fields = proofFields(me.totp_enabled);
	fillPanel(panel, h('h3', { text: 'Changer d’application d’authentification' }),
		h('p', { text: 'Confirmez d’abord votre identité avec votre mot de passe et le code de votre application actuelle.' }),
		form(fields, 'Continuer', async () => {
			await prove(fields);
			const data = await api('POST', '/api/v1/me/mfa/enrolment');
			newApp(data, panel, done);
		}, [], { after: [cancelButton(done)] }));
}

function secretOf(uri) {
	try {
		return new URL(uri).searchParams.get('secret') || '';
	} catch {
		return '';
	}
}

function newApp(data, panel, done) {
	const svg = typeof data.qr_svg === 'string' ? svgFromText(data.qr_svg) : null;
	const fields = {
		code: field('Code à 6 chiffres de la nouvelle application', { type: 'text', name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]{6}', maxlength: 6, required: true }),
	};
	fillPanel(panel, h('h3', { text: 'Activer la nouvelle application' }),
		h('p', { text: 'Scannez ce code QR avec la nouvelle application, puis saisissez le code qu’elle affiche. L’ancienne application cessera de fonctionner.' }),
		svg ? h('div', { class: 'qr' }, svg) : null,
		h('p', {}, 'Ou saisissez cette clé à la main : ', h('span', { class: 'secret', id: 'totp-secret', text: secretOf(data.otpauth_uri || '') })),
		form(fields, 'Confirmer', async () => {
			const res = await api('POST', '/api/v1/me/mfa/confirmation', { code: fields.code.input.value.trim() });
			fillPanel(panel, h('h3', { text: 'Vos nouveaux codes de secours' }),
				h('p', { text: 'Les anciens codes de secours ne servent plus. Notez ceux-ci et gardez-les en lieu sûr : ils ne seront plus jamais affichés.' }),
				h('ol', { class: 'codes', 'aria-label': 'Codes de secours' }, (res.recovery_codes || []).map((c) => h('li', { text: String(c) }))),
				h('button', { type: 'button', text: 'J’ai noté mes codes', onclick: () => done('Votre application d’authentification a été changée. Un courriel vous le confirme.') }));
		}, [], { after: [cancelButton(done)] }));
}

function securitySection(me) {
	const status = h('p', { class: 'notice', role: 'status' });
	const panel = h('div', { class: 'security-panel' });
	const buttons = h('div', { class: 'actions' });
	const done = (message) => {
		panel.replaceChildren();
		buttons.hidden = false;
		status.textContent = message;
		buttons.querySelector('button').focus();
	};
	const open = (fill) => () => {
		status.textContent = '';
		buttons.hidden = true;
		fill(me, panel, done);
	};
	buttons.append(h('button', { type: 'button', class: 'secondary', text: 'Changer de mot de passe', onclick: open(passwordPanel) }));
	if (me.totp_enabled)
		buttons.append(h('button', { type: 'button', class: 'secondary', text: 'Changer d’application d’authentification', onclick: open(mfaPanel) }));
	return [h('h2', { text: 'Sécurité du compte' }),
		h('p', { class: 'hint', text: 'Chaque changement demande votre mot de passe et, si vous en avez une, le code de votre application d’authentification.' }),
		status, buttons, panel];
}

// The identity providers this account may be linked to: each link goes
// to the provider and comes back for a confirmation (app.js).
async function providersSection() {
	let providers = [];
	try {
		({ providers = [] } = await api('GET', '/api/v1/oidc/providers'));
	} catch {
		return [];
	}
	if (providers.length === 0)
		return [];
	return [h('h2', { text: 'Connexion avec un fournisseur d’identité' }),
		h('p', { class: 'hint', text: 'Liez votre compte pour vous connecter ensuite sans mot de passe. Votre identité chez le fournisseur n’est jamais liée sans votre confirmation, ni d’après votre adresse e-mail.' }),
		h('div', { class: 'actions' }, providers.map((p) => h('a', {
			class: 'button secondary',
			href: `/api/v1/oidc/${encodeURIComponent(p.name)}/authorization?link=1`,
			text: `Lier mon compte à ${p.label}`,
		})))];
}

export async function accountView(ctx) {
	const { me } = ctx;
	const status = h('p', { class: 'notice', role: 'status' });
	const roles = (me.roles || []).map((r) => ROLE_NAMES[r.role] || r.role);
	const list = await sessionsList(ctx, status);
	const providers = await providersSection();
	return [h('h1', { text: 'Mon compte' }),
		ctx.flash ? h('p', { class: 'notice', text: ctx.flash }) : null,
		h('dl', { class: 'account' },
			h('dt', { text: 'Nom' }), h('dd', { text: me.display_name || '—' }),
			h('dt', { text: 'Adresse e-mail' }), h('dd', { text: me.email || '—' }),
			h('dt', { text: roles.length > 1 ? 'Rôles' : 'Rôle' }), h('dd', { text: roles.join(', ') || '—' })),
		securitySection(me),
		...providers,
		h('h2', { text: 'Mes sessions' }),
		status,
		list];
}
