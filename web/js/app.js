// app.js - the sign-in journey one step at a time (password, new
// password, TOTP enrolment or code, or a recovery code), then the
// signed-in UI of nav.js with the sections of sections.js.
import { api, ApiError } from './api.js';
import { guestLanding, manageLanding } from './appt_guest.js';
import { publicBooking } from './appt_public.js';
import { field, h, show, svgFromText } from './dom.js';
import { form } from './forms.js';
import { startShell, stopShell } from './nav.js';
import { acknowledgePolicy } from './policy.js';
import { needsProof, proofFields, prove } from './proof.js';
import { SECTIONS } from './sections.js';
import { providerSignup, signUp, signupLanding } from './signup.js';

function heading(text) {
	return h('h1', { text });
}

// The organisation of an online booking address (#/rendez-vous/<org>),
// which works before any sign-in: '' for the directory (#/rendez-vous),
// null for any other address.
function bookingAddress() {
	const m = /^#\/rendez-vous(?:\/([0-9a-f]{32}))?$/.exec(window.location.hash);
	return m ? m[1] || '' : null;
}

// Decides the next step from the server's view of the session; flash is
// a notice for the first signed-in page.
async function next(flash = '') {
	let me;
	try {
		me = await api('GET', '/api/v1/me');
	} catch (err) {
		if (err instanceof ApiError && err.status === 401)
			return bookingAddress() !== null ? publicBooking(bookingAddress()) : signIn();
		throw err;
	}
	if (me.totp_enabled && !me.mfa_done)
		return mfaCode();
	if (me.password_change_required)
		return passwordChange(me);
	if (me.mfa_enrolment_required && !me.mfa_done)
		return enrol(me);
	if (me.policy_first_acceptance)
		return acceptPolicy(me, flash);
	return startShell(me, SECTIONS, { signOut, signedOut, fatal }, flash);
}

// A new account's first sign-in: the privacy policy read once, recorded
// as its acceptance of the current version (the same acknowledgement as
// the banner's); afterwards only a new version is announced.
function acceptPolicy(me, flash) {
	const error = h('p', { class: 'error', role: 'alert' });
	const ok = h('button', { type: 'button', text: 'J’ai lu et j’accepte la politique de confidentialité' });
	const out = h('button', { type: 'button', class: 'secondary', text: 'Me déconnecter' });
	ok.addEventListener('click', async () => {
		ok.disabled = true;
		error.textContent = '';
		try {
			await acknowledgePolicy();
			me.policy_update_pending = false;
			me.policy_first_acceptance = false;
			await startShell(me, SECTIONS, { signOut, signedOut, fatal }, flash);
		} catch (err) {
			ok.disabled = false;
			error.textContent = err instanceof ApiError ? err.detail : 'L’enregistrement a échoué : réessayez.';
		}
	});
	out.addEventListener('click', () => signOut().catch(fatal));
	show(heading('Politique de confidentialité'),
		h('p', { text: 'Bienvenue. Avant de commencer, lisez la politique de confidentialité de Créneau : elle dit quelles données sont traitées, pourquoi, combien de temps, et comment exercer vos droits.' }),
		h('p', {}, h('a', { href: '/confidentialite.html', target: '_blank', rel: 'noopener', text: 'Lire la politique de confidentialité (nouvel onglet)' })),
		h('p', { class: 'hint', text: 'Votre lecture est enregistrée une fois. Si la politique change, un court bandeau vous le dira.' }),
		h('div', { class: 'actions' }, ok, out),
		error);
}

// The providers' buttons on the sign-in page ([oidc:NAME] sections).
async function providerButtons() {
	let providers = [];
	try {
		({ providers = [] } = await api('GET', '/api/v1/oidc/providers'));
	} catch {
		return null;
	}
	if (providers.length === 0)
		return null;
	return h('div', { class: 'providers' },
		h('p', { text: 'Ou connectez-vous avec :' }),
		h('div', { class: 'actions' }, providers.map((p) => h('a', {
			class: 'button secondary',
			href: `/api/v1/oidc/${encodeURIComponent(p.name)}/authorization`,
			text: p.label,
		}))));
}

function signIn(message, email = '') {
	stopShell();
	providerButtons().then((b) => {
		const main = document.getElementById('app');
		if (b && main.querySelector('h1')?.textContent === 'Connexion' && !main.querySelector('.providers'))
			main.append(b);
	});
	const fields = {
		email: field('Adresse e-mail', { type: 'email', name: 'email', autocomplete: 'username', required: true }),
		password: field('Mot de passe', { type: 'password', name: 'password', autocomplete: 'current-password', required: true }),
	};
	fields.email.input.value = email;
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
		}, [pubWrap]),
		h('p', { class: 'alt' }, h('button', { type: 'button', class: 'link', text: 'Mot de passe oublié ?', onclick: () => forgotPassword() })),
		h('p', { class: 'alt' }, 'Pas encore de compte ? ',
			h('button', { type: 'button', class: 'link', text: 'Créer un compte', onclick: () => signUp(signIn) })),
		h('p', { class: 'alt' }, 'Un rendez-vous avec un service social, la PMI ou le CCAS ? ',
			h('a', { href: '#/rendez-vous', text: 'Trouver le service', onclick: (ev) => {
				ev.preventDefault();
				window.history.pushState(null, '', '#/rendez-vous');
				publicBooking('');
			} })));
}

// « Mot de passe oublié »: the server sends a link to the address if it
// has an account, and says the same either way.
function forgotPassword() {
	const fields = {
		email: field('Adresse e-mail', { type: 'email', name: 'email', autocomplete: 'username', required: true },
			'Celle de votre compte Créneau.'),
	};
	const back = h('button', { type: 'button', class: 'link', text: 'Retour à la connexion', onclick: () => signIn() });
	show(heading('Mot de passe oublié'),
		h('p', { text: 'Saisissez votre adresse e-mail : si elle correspond à un compte, vous recevrez un lien pour choisir un nouveau mot de passe. Ce lien est valable 30 minutes et ne sert qu\'une fois.' }),
		form(fields, 'Recevoir le lien', async () => {
			await api('POST', '/api/v1/password-reset', { email: fields.email.input.value.trim() });
			signIn("Si cette adresse correspond à un compte, un e-mail vient de lui être envoyé avec un lien valable 30 minutes. Pensez à regarder dans les courriers indésirables.");
		}),
		h('p', { class: 'alt' }, back));
}

// The page a reset link opens (#reinitialisation=TOKEN): the token
// leaves the address bar at once, so it stays out of the history.
function resetPassword(token) {
	history.replaceState(null, '', location.pathname + location.search);
	const fields = {
		new_password: field('Nouveau mot de passe', { type: 'password', name: 'new_password', autocomplete: 'new-password', required: true, minlength: 12 },
			'Au moins 12 caractères, difficile à deviner : une phrase de plusieurs mots convient bien.'),
	};
	const again = h('button', { type: 'button', class: 'link', text: 'Demander un nouveau lien', onclick: () => forgotPassword() });
	show(heading('Choisir un nouveau mot de passe'),
		h('p', { text: 'Toutes les sessions ouvertes sur votre compte seront fermées. Si votre compte a une application d\'authentification, elle vous sera toujours demandée à la connexion.' }),
		form(fields, 'Enregistrer le mot de passe', async () => {
			await api('POST', '/api/v1/password-reset/completion', {
				token,
				new_password: fields.new_password.input.value,
			});
			signIn('Votre mot de passe a été changé : connectez-vous avec le nouveau.');
		}),
		h('p', { class: 'alt' }, again));
}

// The proof asked again when the sign-in is more than a few minutes old
// (proof.js); then again runs.
function proofStep(me, again) {
	const fields = proofFields(me.totp_enabled);
	show(heading('Confirmez votre identité'),
		h('p', { text: 'Votre connexion date de plus de quelques minutes : pour continuer, saisissez de nouveau votre mot de passe.' }),
		form(fields, 'Confirmer', async () => {
			await prove(fields);
			await again(me);
		}));
}

function passwordChange(me) {
	const fields = {
		current_password: field('Mot de passe actuel', { type: 'password', name: 'current_password', autocomplete: 'current-password', required: true },
			'Le mot de passe temporaire qui vous a été remis.'),
		new_password: field('Nouveau mot de passe', { type: 'password', name: 'new_password', autocomplete: 'new-password', required: true, minlength: 12 },
			'Au moins 12 caractères, difficile à deviner : une phrase de plusieurs mots convient bien.'),
	};
	show(heading('Choisir un nouveau mot de passe'),
		h('p', { text: 'Votre mot de passe est temporaire : choisissez-en un nouveau pour continuer.' }),
		form(fields, 'Changer le mot de passe', async () => {
			try {
				await api('POST', '/api/v1/me/password', {
					current_password: fields.current_password.input.value,
					new_password: fields.new_password.input.value,
				});
			} catch (err) {
				if (needsProof(err))
					return proofStep(me, passwordChange);
				throw err;
			}
			await next();
		}));
}

function codeField() {
	return field('Code à 6 chiffres', { type: 'text', name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]{6}', maxlength: 6, required: true },
		"Le code affiché par votre application d'authentification.");
}

// The second factor: the TOTP code, or (after « Utiliser un code de
// secours ») one of the recovery codes given at enrolment.
function mfaCode() {
	const fields = { code: codeField() };
	const other = h('button', { type: 'button', class: 'link', text: 'Utiliser un code de secours', onclick: recoveryCode });
	show(heading('Vérification en deux étapes'),
		form(fields, 'Valider', async () => {
			await api('POST', '/api/v1/session/mfa', { code: fields.code.input.value.trim() });
			await next();
		}),
		h('p', { class: 'alt' }, "Vous n'avez pas votre application ? ", other));
}

function recoveryCode() {
	const fields = {
		code: field('Code de secours', { type: 'text', name: 'code', autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false', maxlength: 64, required: true },
			"L'un des dix codes notés à l'activation de votre application, par exemple ABCD-EFGH-JKMN. Chaque code ne sert qu'une fois."),
	};
	const other = h('button', { type: 'button', class: 'link', text: "Utiliser plutôt l'application d'authentification", onclick: mfaCode });
	show(heading('Connexion avec un code de secours'),
		form(fields, 'Valider', async () => {
			await api('POST', '/api/v1/session/recovery', { code: fields.code.input.value.trim() });
			await next('Vous vous êtes connecté(e) avec un code de secours : ce code ne servira plus. '
				+ "S'il ne vous en reste que peu, ou si vous avez perdu votre application, "
				+ "demandez à l'administrateur de votre organisme de réinitialiser votre second facteur.");
		}),
		h('p', { class: 'alt' }, other));
}

// The secret of an otpauth:// URI, for typing it by hand.
function secretOf(uri) {
	try {
		return new URL(uri).searchParams.get('secret') || '';
	} catch {
		return '';
	}
}

async function enrol(me) {
	let data;
	try {
		data = await api('POST', '/api/v1/me/mfa/enrolment');
	} catch (err) {
		if (needsProof(err))
			return proofStep(me, enrol);
		throw err;
	}
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
			let res;
			try {
				res = await api('POST', '/api/v1/me/mfa/confirmation', { code: fields.code.input.value.trim() });
			} catch (err) {
				if (needsProof(err))
					return proofStep(me, enrol);
				throw err;
			}
			recoveryCodes(res.recovery_codes || []);
		}));
}

function recoveryCodes(codes) {
	show(heading('Vos codes de secours'),
		h('p', { text: "Notez ces codes et gardez-les en lieu sûr : chacun permet une seule fois de vous connecter sans votre application. Ils ne seront plus jamais affichés." }),
		h('ol', { class: 'codes', 'aria-label': 'Codes de secours' }, codes.map((c) => h('li', { text: String(c) }))),
		h('button', { type: 'button', text: "J'ai noté mes codes, continuer", onclick: () => next().catch(fatal) }));
}

// The session is over (signed out, closed, erased, expired): back to the
// sign-in page with message.
function signedOut(message) {
	stopShell(true);
	signIn(message);
}

async function signOut() {
	let res = {};
	try {
		res = await api('DELETE', '/api/v1/session');
	} catch (err) {
		if (!(err instanceof ApiError) || err.status !== 401)
			throw err;
	}
	// Signed in through a provider: its session ends too, there.
	if (res && typeof res.provider_logout === 'string' && /^https?:\/\//.test(res.provider_logout)) {
		location.assign(res.provider_logout);
		return;
	}
	signedOut('Vous êtes déconnecté(e).');
}

function fatal(err) {
	show(heading('Une erreur est survenue'),
		h('p', { role: 'alert', text: err instanceof ApiError ? err.detail : 'Une erreur inattendue est survenue.' }),
		h('button', { type: 'button', text: 'Recommencer', onclick: () => next().catch(fatal) }));
}

// « Aller au contenu » moves focus to the page's content without touching
// the address (which names the page).
document.querySelector('.skip').addEventListener('click', (ev) => {
	ev.preventDefault();
	const h1 = document.querySelector('#app h1');
	(h1 || document.getElementById('app')).focus();
});

// What the way back from a provider says (/#oidc=CODE&fournisseur=NAME).
const OIDC_OUTCOMES = {
	'demande-invalide': (p) => `La connexion avec ${p} n’a pas abouti : la demande a expiré ou a déjà servi. Recommencez.`,
	refusee: (p) => `La réponse de ${p} a été refusée (elle ne peut pas être vérifiée). Recommencez, ou connectez-vous avec votre mot de passe.`,
	'non-lie': (p) => `Aucun compte Créneau n’est lié à votre identité ${p}. Connectez-vous avec votre mot de passe, puis liez-la depuis « Mon compte ».`,
	'non-autorise': (p) => `Votre compte ne peut pas se connecter avec ${p}. Connectez-vous avec votre mot de passe.`,
	'deja-lie': (p) => `Cette identité ${p} est déjà liée à un compte, ou votre compte est déjà lié à ${p}.`,
	'connexion-requise': (p) => `Connectez-vous d’abord à Créneau pour lier votre compte à ${p}.`,
	indisponible: (p) => `${p} ne répond pas pour le moment. Connectez-vous avec votre mot de passe, ou réessayez plus tard.`,
	'compte-existant': (p) => `Un compte Créneau existe déjà avec l’adresse e-mail que ${p} a transmise : connectez-vous avec votre mot de passe (ou « Mot de passe oublié »), puis liez ${p} depuis « Mon compte ».`,
	'sans-adresse': (p) => `${p} n’a pas transmis d’adresse e-mail vérifiée : créez votre compte avec votre adresse e-mail (« Créer un compte »).`,
};

async function providerLabel(name) {
	try {
		const { providers = [] } = await api('GET', '/api/v1/oidc/providers');
		return (providers.find((p) => p.name === name) || {}).label || name;
	} catch {
		return name;
	}
}

// The signed-in person confirms the link they started with provider
// name, or cancels it (it then expires after 10 minutes).
function confirmLink(name, label) {
	const cancel = h('button', { type: 'button', class: 'secondary', text: 'Annuler', onclick: () => next('La liaison n’a pas été faite.').catch(fatal) });
	show(heading(`Lier votre compte à ${label}`),
		h('p', { text: `${label} a confirmé votre identité. Voulez-vous vous connecter désormais à ce compte Créneau avec ${label} ?` }),
		form({}, 'Lier mon compte', async () => {
			await api('POST', `/api/v1/me/oidc-links/${encodeURIComponent(name)}`);
			await next(`Votre compte est lié à ${label} : vous pourrez vous connecter avec ${label}.`);
		}, [], { after: [cancel] }));
}

// The way back from a provider: returns whether the address was one.
function oidcReturn() {
	const m = /^#oidc=([a-z-]+)&fournisseur=([a-z0-9]+)$/.exec(location.hash);
	if (!m)
		return false;
	history.replaceState(null, '', location.pathname + location.search);
	providerLabel(m[2]).then((label) => {
		if (m[1] === 'liaison')
			return confirmLink(m[2], label);
		if (m[1] === 'inscription')
			return providerSignup(m[2], label, signIn);
		const say = OIDC_OUTCOMES[m[1]] || OIDC_OUTCOMES.indisponible;
		if (m[1] === 'deja-lie' || m[1] === 'non-autorise')
			return next(say(label));
		return signIn(say(label));
	}).catch(fatal);
	return true;
}

// A reset link opens its page, also in a tab where the app already runs
// (the address then only changes its fragment). Returns whether it did.
function resetLink() {
	const m = /^#reinitialisation=([A-Za-z0-9_-]{43})$/.exec(location.hash);
	if (m)
		resetPassword(m[1]);
	const s = /^#inscription=([A-Za-z0-9_-]{43})$/.exec(location.hash);
	if (s)
		signupLanding(s[1], signIn).catch(fatal);
	// Booked without an account: the emailed links, signed in or not.
	const g = /^#\/rendez-vous\/(confirmer|gerer)\/([A-Za-z0-9_-]{43})$/.exec(location.hash);
	if (g)
		(g[1] === 'confirmer' ? guestLanding(g[2]) : manageLanding(g[2])).catch(fatal);
	return m !== null || s !== null || g !== null;
}
window.addEventListener('hashchange', resetLink);

if (!resetLink() && !oidcReturn())
	next().catch(fatal);
