// app.js - the sign-in journey and "Mon compte", one step at a time.
import { api, ApiError } from './api.js';
import { field, h, setError, show, svgFromText } from './dom.js';

const ROLE_NAMES = {
	platform_admin: 'Administration de la plateforme',
	dpo: 'Délégué(e) à la protection des données',
	school_admin: "Direction d'auto-école",
	school_manager: "Gestion d'auto-école",
	trainer: 'Enseignant(e) de la conduite',
	regional_supervisor: 'Supervision régionale',
	dispatcher: 'Répartition des places',
	agent: 'Agent',
	validator: 'Validation',
	candidate: 'Candidat(e)',
};

// Shows err next to the field it names (fields: name -> field), or in
// the form's general alert when it names none of them.
function showError(err, fields, general) {
	const detail = err instanceof ApiError ? err.detail : 'Une erreur inattendue est survenue.';
	const f = err instanceof ApiError && err.field ? fields[err.field] : null;
	if (f) {
		setError(f, detail);
		f.input.focus();
	} else {
		general.textContent = detail;
	}
}

function clearErrors(fields, general) {
	for (const f of Object.values(fields))
		setError(f, '');
	general.textContent = '';
}

// A form whose submit runs action(); errors land next to their field and
// nothing typed is lost.
function form(fields, submitText, action, extra = []) {
	const general = h('p', { class: 'error', role: 'alert' });
	const button = h('button', { type: 'submit', text: submitText });
	const f = h('form', { novalidate: true },
		general, ...Object.values(fields).map((x) => x.wrap), ...extra, button);
	f.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		clearErrors(fields, general);
		button.disabled = true;
		try {
			await action();
		} catch (err) {
			showError(err, fields, general);
		} finally {
			button.disabled = false;
		}
	});
	return f;
}

function heading(text) {
	return h('h1', { text });
}

// Decides the next step from the server's view of the session.
async function next() {
	let me;
	try {
		me = await api('GET', '/api/v1/me');
	} catch (err) {
		if (err instanceof ApiError && err.status === 401)
			return signIn();
		throw err;
	}
	if (me.totp_enabled && !me.mfa_done)
		return mfaCode();
	if (me.password_change_required)
		return passwordChange();
	if (me.mfa_enrolment_required && !me.mfa_done)
		return enrol();
	return home(me);
}

function signIn(message) {
	const fields = {
		email: field('Adresse e-mail', { type: 'email', name: 'email', autocomplete: 'username', required: true }),
		password: field('Mot de passe', { type: 'password', name: 'password', autocomplete: 'current-password', required: true }),
	};
	const pub = h('input', { type: 'checkbox', id: 'public-computer', name: 'public_computer' });
	const pubWrap = h('div', { class: 'check' }, pub,
		h('label', { for: 'public-computer', text: 'Ordinateur public (déconnexion après 15 minutes sans activité)' }));
	show(heading('Connexion'),
		h('p', { class: 'notice', role: 'status', text: message || '' }),
		form(fields, 'Se connecter', async () => {
			await api('POST', '/api/v1/session', {
				email: fields.email.input.value.trim(),
				password: fields.password.input.value,
				public_computer: pub.checked,
			});
			await next();
		}, [pubWrap]));
}

function passwordChange() {
	const fields = {
		current_password: field('Mot de passe actuel', { type: 'password', name: 'current_password', autocomplete: 'current-password', required: true },
			'Le mot de passe temporaire qui vous a été remis.'),
		new_password: field('Nouveau mot de passe', { type: 'password', name: 'new_password', autocomplete: 'new-password', required: true, minlength: 12 },
			'Au moins 12 caractères, difficile à deviner : une phrase de plusieurs mots convient bien.'),
	};
	show(heading('Choisir un nouveau mot de passe'),
		h('p', { text: 'Votre mot de passe est temporaire : choisissez-en un nouveau pour continuer.' }),
		form(fields, 'Changer le mot de passe', async () => {
			await api('POST', '/api/v1/me/password', {
				current_password: fields.current_password.input.value,
				new_password: fields.new_password.input.value,
			});
			await next();
		}));
}

function codeField() {
	return field('Code à 6 chiffres', { type: 'text', name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]{6}', maxlength: 6, required: true },
		"Le code affiché par votre application d'authentification.");
}

function mfaCode() {
	const fields = { code: codeField() };
	show(heading('Vérification en deux étapes'),
		form(fields, 'Valider', async () => {
			await api('POST', '/api/v1/session/mfa', { code: fields.code.input.value.trim() });
			await next();
		}));
}

// The secret of an otpauth:// URI, for typing it by hand.
function secretOf(uri) {
	try {
		return new URL(uri).searchParams.get('secret') || '';
	} catch {
		return '';
	}
}

async function enrol() {
	const data = await api('POST', '/api/v1/me/mfa/enrolment');
	const qr = h('div', { class: 'qr' });
	const svg = typeof data.qr_svg === 'string' ? svgFromText(data.qr_svg) : null;
	if (svg)
		qr.append(svg);
	const fields = { code: codeField() };
	show(heading("Activer l'application d'authentification"),
		h('p', { text: "Scannez ce code QR avec votre application d'authentification (par exemple FreeOTP ou Aegis), puis saisissez le code qu'elle affiche." }),
		svg ? qr : null,
		h('p', {}, 'Ou saisissez cette clé à la main : ',
			h('span', { class: 'secret', id: 'totp-secret', text: secretOf(data.otpauth_uri || '') })),
		form(fields, 'Confirmer', async () => {
			const res = await api('POST', '/api/v1/me/mfa/confirmation', { code: fields.code.input.value.trim() });
			recoveryCodes(res.recovery_codes || []);
		}));
}

function recoveryCodes(codes) {
	show(heading('Vos codes de secours'),
		h('p', { text: "Notez ces codes et gardez-les en lieu sûr : chacun permet une seule fois de vous connecter sans votre application. Ils ne seront plus jamais affichés." }),
		h('ol', { class: 'codes', 'aria-label': 'Codes de secours' }, codes.map((c) => h('li', { text: String(c) }))),
		h('button', { type: 'button', text: "J'ai noté mes codes, continuer", onclick: () => next().catch(fatal) }));
}

function when(t) {
	if (typeof t !== 'number')
		return '';
	const ms = t < 1e12 ? t * 1000 : t;
	return new Date(ms).toLocaleString('fr-FR', { dateStyle: 'long', timeStyle: 'short' });
}

async function signOut() {
	try {
		await api('DELETE', '/api/v1/session');
	} catch (err) {
		if (!(err instanceof ApiError) || err.status !== 401)
			throw err;
	}
	signIn('Vous êtes déconnecté(e).');
}

async function sessionsList(status) {
	const { sessions = [] } = await api('GET', '/api/v1/me/sessions');
	return h('ul', { class: 'sessions' }, sessions.map((s) => {
		const close = h('button', { type: 'button', class: 'secondary', text: 'Fermer',
			'aria-label': s.current ? 'Fermer cette session (vous serez déconnecté)' : `Fermer la session ouverte le ${when(s.created_at)}` });
		close.addEventListener('click', async () => {
			close.disabled = true;
			try {
				await api('DELETE', `/api/v1/me/sessions/${encodeURIComponent(s.id)}`);
				if (s.current)
					return signIn('Vous êtes déconnecté(e).');
				status.textContent = 'Session fermée.';
				await refreshSessions(status);
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

async function refreshSessions(status) {
	const list = await sessionsList(status);
	document.querySelector('ul.sessions').replaceWith(list);
}

async function home(me) {
	const status = h('p', { class: 'notice', role: 'status' });
	const roles = (me.roles || []).map((r) => ROLE_NAMES[r.role] || r.role);
	const list = await sessionsList(status);
	show(heading('Mon compte'),
		h('dl', { class: 'account' },
			h('dt', { text: 'Nom' }), h('dd', { text: me.display_name || '—' }),
			h('dt', { text: 'Adresse e-mail' }), h('dd', { text: me.email || '—' }),
			h('dt', { text: roles.length > 1 ? 'Rôles' : 'Rôle' }), h('dd', { text: roles.join(', ') || '—' })),
		h('h2', { text: 'Mes sessions' }),
		status,
		list,
		h('button', { type: 'button', class: 'signout', text: 'Se déconnecter', onclick: () => signOut().catch(fatal) }));
}

function fatal(err) {
	show(heading('Une erreur est survenue'),
		h('p', { role: 'alert', text: err instanceof ApiError ? err.detail : 'Une erreur inattendue est survenue.' }),
		h('button', { type: 'button', text: 'Recommencer', onclick: () => next().catch(fatal) }));
}

next().catch(fatal);
