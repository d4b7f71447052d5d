// signup.js - « Créer un compte » for the people (candidates and users of
// the appointments module): the address, the « vérifiez votre boîte
// mail » page, the page the emailed link opens (name, password, privacy
// policy read), the confirmation of a first sign-in through the people's
// OpenID provider, and, signed in, « Relier mon dossier » for a
// candidate.
import { api, ApiError } from './api.js';
import { field, h, show } from './dom.js';
import { form, FormInvalid } from './forms.js';

function heading(text) {
	return h('h1', { text });
}

// The address: one answer whether or not it has an account.
export function signUp(signIn) {
	const fields = {
		email: field('Adresse e-mail', { type: 'email', name: 'email', autocomplete: 'email', required: true },
			'Vous y recevrez un lien pour créer votre compte.'),
	};
	const back = h('button', { type: 'button', class: 'link', text: 'J’ai déjà un compte : me connecter', onclick: () => signIn() });
	show(heading('Créer un compte'),
		h('p', { text: 'Candidat au permis de conduire ou usager d’un service qui prend ses rendez-vous en ligne : créez votre compte avec votre adresse e-mail.' }),
		form(fields, 'Recevoir le lien', async () => {
			const email = fields.email.input.value.trim();
			if (!email)
				throw new FormInvalid({ email: 'Indiquez votre adresse e-mail.' });
			await api('POST', '/api/v1/signup', { email });
			checkMailbox(email, signIn);
		}),
		h('p', { class: 'alt' }, back));
}

function checkMailbox(email, signIn) {
	const back = h('button', { type: 'button', class: 'link', text: 'Retour à la connexion', onclick: () => signIn() });
	const again = h('button', { type: 'button', class: 'link', text: 'Recommencer avec une autre adresse', onclick: () => signUp(signIn) });
	show(heading('Vérifiez votre boîte mail'),
		h('p', { class: 'notice', role: 'status', text: `Un e-mail vient d’être envoyé à ${email}.` }),
		h('p', { text: 'Ouvrez le lien qu’il contient dans les 24 heures pour choisir votre mot de passe. Ce lien ne sert qu’une fois. Pensez à regarder dans les courriers indésirables.' }),
		h('p', { text: 'Si cette adresse a déjà un compte, l’e-mail vous l’indique : connectez-vous, ou choisissez « Mot de passe oublié ».' }),
		h('p', { class: 'alt' }, again),
		h('p', { class: 'alt' }, back));
}

// The page a sign-up link opens (#inscription=TOKEN): the token leaves
// the address bar at once, so it stays out of the history.
export async function signupLanding(token, signIn) {
	history.replaceState(null, '', location.pathname + location.search);
	const restart = h('button', { type: 'button', class: 'link', text: 'Recommencer l’inscription', onclick: () => signUp(signIn) });
	let info;
	try {
		info = await api('POST', '/api/v1/signup/check', { token });
	} catch (err) {
		if (!(err instanceof ApiError) || err.status !== 422)
			throw err;
		show(heading('Lien d’inscription expiré'),
			h('p', { role: 'alert', class: 'error', text: err.detail }),
			h('p', { class: 'alt' }, restart));
		return;
	}
	const fields = {
		display_name: field('Nom et prénom', { type: 'text', name: 'display_name', autocomplete: 'name', maxlength: 200, required: true },
			'Tel que vous souhaitez qu’il s’affiche.'),
		password: field('Mot de passe', { type: 'password', name: 'password', autocomplete: 'new-password', required: true, minlength: 12 },
			'Au moins 12 caractères, difficile à deviner : une phrase de plusieurs mots convient bien.'),
	};
	fields.policy_version = policyRead();
	const read = fields.policy_version.input;
	show(heading('Créer votre compte'),
		h('p', { text: `Adresse e-mail : ${info.email}` }),
		form(fields, 'Créer mon compte', async () => {
			if (!read.checked)
				throw new FormInvalid({ policy_version: 'Cochez la case après avoir lu la politique de confidentialité.' });
			await api('POST', '/api/v1/signup/completion', {
				token,
				display_name: fields.display_name.input.value.trim(),
				password: fields.password.input.value,
				policy_version: info.policy_version,
			});
			signIn('Votre compte est créé : connectez-vous avec votre adresse e-mail et votre mot de passe.', info.email);
		}),
		h('p', { class: 'alt' }, restart));
}

// The privacy policy read: a checkbox in a form's fields, as
// policy_version.
function policyRead() {
	const read = h('input', { type: 'checkbox', id: 'policy-read', name: 'policy_version' });
	const readError = h('p', { id: 'policy-read-err', class: 'error', role: 'alert' });
	read.setAttribute('aria-describedby', 'policy-read-err');
	const wrap = h('div', { class: 'check' }, read,
		h('label', { for: 'policy-read' }, 'J’ai lu la ',
			h('a', { href: '/confidentialite.html', target: '_blank', rel: 'noopener', text: 'politique de confidentialité (nouvel onglet)' }),
			' et sais comment mes données sont traitées.'),
		readError);
	return { wrap, input: read, error: readError };
}

// A first sign-in through the people's provider (name, label) with no
// account yet: the person confirms the account to create; they then sign
// in through the provider.
export async function providerSignup(name, label, signIn) {
	const base = `/api/v1/oidc/${encodeURIComponent(name)}`;
	let info;
	try {
		info = await api('POST', `${base}/signup/check`, {});
	} catch (err) {
		if (!(err instanceof ApiError) || err.status !== 422)
			throw err;
		signIn(err.detail);
		return;
	}
	const fields = {
		display_name: field('Nom et prénom', { type: 'text', name: 'display_name', autocomplete: 'name', maxlength: 200, required: true },
			'Tel que vous souhaitez qu’il s’affiche.'),
		policy_version: policyRead(),
	};
	const cancel = h('button', { type: 'button', class: 'secondary', text: 'Annuler', onclick: () => signIn('Aucun compte n’a été créé.') });
	show(heading(`Créer votre compte avec ${label}`),
		h('p', { text: `${label} a confirmé votre identité, mais aucun compte Créneau n’y est encore lié. Créez votre compte : vous vous connecterez ensuite avec ${label}.` }),
		h('p', { text: `Adresse e-mail transmise par ${label} : ${info.email}` }),
		form(fields, 'Créer mon compte', async () => {
			if (!fields.policy_version.input.checked)
				throw new FormInvalid({ policy_version: 'Cochez la case après avoir lu la politique de confidentialité.' });
			const done = await api('POST', `${base}/signup`, {
				display_name: fields.display_name.input.value.trim(),
				policy_version: info.policy_version,
			});
			window.location.assign(done.sign_in);
		}, [], { after: [cancel] }));
}

// « Relier mon dossier »: a candidate gives NEPH, names and birth date as
// the registry knows them; the schools' mandates and exams then reach
// their account.
export function registryLinkView(ctx) {
	const status = h('p', { class: 'notice', role: 'status', tabindex: -1 });
	const fields = {
		neph: field('NEPH (numéro d’inscription au permis)', { type: 'text', name: 'neph', inputmode: 'numeric', autocomplete: 'off', maxlength: 19, required: true },
			'De 10 à 19 chiffres, sur votre attestation d’inscription au permis.'),
		last_name: field('Nom de famille', { type: 'text', name: 'last_name', autocomplete: 'family-name', maxlength: 100, required: true }),
		first_names: field('Prénoms', { type: 'text', name: 'first_names', autocomplete: 'given-name', maxlength: 100, required: true },
			'Tous vos prénoms, dans l’ordre de votre pièce d’identité.'),
		birth_date: field('Date de naissance', { type: 'date', name: 'birth_date', autocomplete: 'bday', required: true }),
	};
	const f = form(fields, 'Relier mon dossier', async () => {
		const v = Object.fromEntries(Object.entries(fields).map(([k, x]) => [k, x.input.value.trim()]));
		const missing = Object.fromEntries(Object.entries(v).filter(([, x]) => !x).map(([k]) => [k, 'Ce champ est obligatoire.']));
		if (Object.keys(missing).length)
			throw new FormInvalid(missing);
		await api('POST', '/api/v1/me/registry-link', v);
		ctx.go('mes-mandats', 'Votre dossier est relié à votre compte : les mandats de votre auto-école et vos examens s’affichent ici.');
	});
	return [heading('Relier mon dossier'),
		h('p', { text: 'Reliez votre compte au dossier que l’autorité d’examen tient à votre nom : l’auto-école qui a votre mandat pourra alors réserver vos examens, et vous les verrez dans « Mes mandats » et « Mes examens ».' }),
		h('p', { text: 'Saisissez les informations telles qu’elles figurent sur votre attestation d’inscription. Par sécurité, le nombre d’essais est limité.' }),
		status, f];
}
