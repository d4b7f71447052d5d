// appt_guest.js - booking without an account: after the slot is held,
// « Réserver sans créer de compte » asks name, first names, email (the
// link that confirms goes there) and perhaps a phone; the emailed link
// opens #/rendez-vous/confirmer/<token>, which shows the appointment and
// « Confirmer le rendez-vous »; the confirmation email's link opens
// #/rendez-vous/gerer/<token>, with « Annuler ce rendez-vous ». Each
// token leaves the address bar at once, so it stays out of the history,
// and travels to the server in a request body only.
import { api, ApiError } from './api.js';
import { field, h, show } from './dom.js';
import { form, FormInvalid } from './forms.js';

// The privacy notice read: a checkbox whose errors land beside it.
function noticeRead() {
	const read = h('input', { type: 'checkbox', id: 'guest-notice-read', name: 'privacy_ack' });
	const error = h('p', { id: 'guest-notice-read-err', class: 'error', role: 'alert' });
	read.setAttribute('aria-describedby', 'guest-notice-read-err');
	const wrap = h('div', { class: 'check' }, read,
		h('label', { for: 'guest-notice-read' }, 'J’ai lu la ',
			h('a', { href: '/confidentialite.html', target: '_blank', rel: 'noopener', text: 'notice d’information sur mes données (nouvel onglet)' }),
			' : mon nom et mes coordonnées servent à ce rendez-vous et à m’en informer.'),
		error);
	return { wrap, input: read, error };
}

// The form after a hold (hold: the saved hold, with token); render shows
// a page (focus on its h1); top: the nodes above the form (title,
// summary); back: a node to go back.
export function guestForm(hold, render, top, back) {
	const fields = {
		last_name: field('Nom', { name: 'last_name', autocomplete: 'family-name', required: true, maxlength: 200 }),
		first_names: field('Prénom(s)', { name: 'first_names', autocomplete: 'given-name', required: true, maxlength: 200 }),
		email: field('Adresse e-mail', { type: 'email', name: 'email', autocomplete: 'email', required: true, maxlength: 254 },
			'Nous y envoyons le lien qui confirme le rendez-vous, puis la confirmation.'),
		phone: field('Téléphone (facultatif)', { type: 'tel', name: 'phone', autocomplete: 'tel', maxlength: 20 },
			'Pour que le service puisse vous joindre en cas de changement.'),
		privacy_ack: noticeRead(),
	};
	const f = form(fields, 'Recevoir le lien de confirmation', async () => {
		const v = (k) => fields[k].input.value.trim();
		const missing = {};
		if (!v('last_name'))
			missing.last_name = 'Indiquez votre nom.';
		if (!v('first_names'))
			missing.first_names = 'Indiquez votre ou vos prénoms.';
		if (!v('email'))
			missing.email = 'Indiquez votre adresse e-mail : le lien de confirmation y est envoyé.';
		if (!fields.privacy_ack.input.checked)
			missing.privacy_ack = 'Cochez la case après avoir lu la notice d’information.';
		if (Object.keys(missing).length)
			throw new FormInvalid(missing);
		await api('POST', '/api/v1/public/appointments/guest-requests', {
			hold_token: hold.token, last_name: v('last_name'), first_names: v('first_names'), email: v('email'),
			...(v('phone') ? { phone: v('phone') } : {}), privacy_ack: true,
		});
		render([h('h1', { text: 'Consultez votre messagerie' }),
			h('p', { class: 'lead', text: `Un e-mail vient de partir vers ${v('email')}.` }),
			h('p', { text: 'Ouvrez le lien qu’il contient dans les 30 minutes pour confirmer le rendez-vous : le créneau vous est réservé jusque-là.' }),
			h('p', { text: 'Rien reçu ? Regardez dans les courriers indésirables, ou vérifiez l’adresse et recommencez.' })]);
	});
	render([...top,
		h('p', { text: 'Sans compte : nous vérifions votre adresse e-mail par un lien, puis nous vous envoyons la confirmation avec un lien pour annuler.' }),
		f, back]);
}

function apptSummary(info) {
	return h('div', { class: 'booking-summary' },
		info.organisation ? h('p', { class: 'booking-org', text: info.organisation }) : null,
		h('p', { class: 'lead', text: `${info.motif} : le ${info.when}` }),
		h('p', { text: info.place }));
}

function deadLink(err) {
	if (!(err instanceof ApiError) || (err.status !== 410 && err.status !== 404))
		throw err;
	show([h('h1', { text: 'Lien expiré' }),
		h('p', { role: 'alert', class: 'error', text: err.detail }),
		h('p', {}, h('a', { href: '#/rendez-vous', class: 'button', text: 'Prendre un rendez-vous' }))]);
}

// #/rendez-vous/confirmer/<token>: the appointment, then its confirmation.
export async function guestLanding(token) {
	history.replaceState(null, '', location.pathname + location.search);
	let info;
	try {
		info = await api('POST', '/api/v1/public/appointments/guest-links/lookup', { token });
	} catch (err) {
		return deadLink(err);
	}
	const f = form({}, 'Confirmer le rendez-vous', async () => {
		try {
			await api('POST', '/api/v1/public/appointments/guest-links/confirmation', { token });
		} catch (err) {
			return deadLink(err);
		}
		return show([h('h1', { text: 'Rendez-vous confirmé' }), apptSummary(info),
			h('p', { text: 'Un e-mail de confirmation vous a été envoyé, avec le rendez-vous à ajouter à votre agenda et un lien pour l’annuler si besoin.' })]);
	});
	show([h('h1', { text: 'Confirmez votre rendez-vous' }), apptSummary(info),
		h('p', { text: 'Votre adresse e-mail est vérifiée. Confirmez pour prendre ce rendez-vous.' }), f]);
	return null;
}

// #/rendez-vous/gerer/<token>: the appointment, and its cancellation.
export async function manageLanding(token) {
	history.replaceState(null, '', location.pathname + location.search);
	let info;
	try {
		info = await api('POST', '/api/v1/public/appointments/manage-links/lookup', { token });
	} catch (err) {
		return deadLink(err);
	}
	if (info.status !== 'a_venir') {
		show([h('h1', { text: 'Votre rendez-vous' }), apptSummary(info),
			h('p', { text: 'Ce rendez-vous n’est plus à venir : il ne peut plus être annulé en ligne.' })]);
		return null;
	}
	const f = form({}, 'Annuler ce rendez-vous', async () => {
		try {
			await api('POST', '/api/v1/public/appointments/manage-links/cancellation', { token });
		} catch (err) {
			if (err instanceof ApiError && (err.status === 410 || err.status === 404))
				return deadLink(err);
			throw err;
		}
		return show([h('h1', { text: 'Rendez-vous annulé' }), apptSummary(info),
			h('p', { text: 'Le service en est informé, et un e-mail vous le confirme.' })]);
	});
	show([h('h1', { text: 'Votre rendez-vous' }), apptSummary(info),
		h('p', { text: 'Vous ne pouvez plus venir ? Annulez-le : la place sera proposée à quelqu’un d’autre. Passé le délai fixé par le service, appelez-le.' }), f]);
	return null;
}
