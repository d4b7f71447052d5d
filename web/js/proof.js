// proof.js - the proof asked again before a change of password or second
// factor: the password and, when the account has one, the current code of
// the authenticator app (POST /api/v1/session/reauthentication). The
// server keeps it a few minutes; past that it answers reauth_required.
import { api, ApiError } from './api.js';
import { field } from './dom.js';

// The proof's fields (name -> field): the password, and the code when
// totp is set.
export function proofFields(totp) {
	const fields = {
		password: field('Mot de passe actuel', { type: 'password', name: 'password', autocomplete: 'current-password', required: true }),
	};
	if (totp)
		fields.code = field('Code actuel de votre application d’authentification', { type: 'text', name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]{6}', maxlength: 6, required: true },
			'Le code à 6 chiffres qu’affiche votre application en ce moment.');
	return fields;
}

// Sends the proof typed in fields; throws the ApiError of a refusal
// (its field names password or code).
export async function prove(fields) {
	const body = { password: fields.password.input.value };
	if (fields.code)
		body.code = fields.code.input.value.trim();
	await api('POST', '/api/v1/session/reauthentication', body);
}

// Whether err is the server asking for the proof again.
export function needsProof(err) {
	return err instanceof ApiError && err.code === 'reauth_required';
}
