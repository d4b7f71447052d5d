// appt_waitlist.js - the waiting list, the person's side: under the free
// slots of a motif, « Me prévenir si une place se libère » for the person
// or one of their relatives; a first request at a service asks the name
// (and a phone for the SMS), as a first booking does; on « Mes rendez-vous », the
// entries still running, theirs and their relatives', each with « Ne plus
// attendre ». When a place frees, the first people waiting are told by
// email and SMS; whoever books first has it.
import { api } from './api.js';
import { field, h, newId, radios } from './dom.js';
import { form } from './forms.js';
import { birthDate, goAgain, parisDay, personName } from './appt_common.js';

function frenchDay(t) {
	return birthDate(parisDay(t));
}

// The offer under the free slots of motif (of organisation org); me is
// the signed-in account, or null.
export function waitOffer(org, motif, me) {
	const titleId = newId('wait');
	const box = h('section', { class: 'wait-offer', 'aria-labelledby': titleId },
		h('h2', { id: titleId, text: 'Aucun horaire ne vous convient ?' }));
	if (!me) {
		box.append(h('p', { text: 'Avec un compte Créneau, vous pouvez demander à être prévenu(e) par courriel et par SMS quand une place se libère pour ce motif.' }));
		return box;
	}
	const status = h('p', { class: 'notice', role: 'status' });
	const error = h('p', { class: 'error', role: 'alert' });
	box.append(status, error);
	api('GET', '/api/v1/me/relatives').then((r) => {
		const fam = (r.families || []).find((f) => f.org_id === org);
		if (!fam) {
			// A first request here: the person's record is made from
			// these, as on a first booking.
			const fields = {
				last_name: field('Nom', { name: 'last_name', autocomplete: 'family-name', required: true }),
				first_names: field('Prénom(s)', { name: 'first_names', autocomplete: 'given-name', required: true }),
				phone: field('Téléphone (facultatif)', { type: 'tel', name: 'phone', autocomplete: 'tel' }, 'Pour être prévenu(e) aussi par SMS.'),
			};
			box.append(h('p', { text: 'C’est votre première demande auprès de ce service : indiquez votre nom. Nous vous écrivons dès qu’une place se libère pour ce motif, pendant 30 jours au plus.' }),
				form(fields, 'Me prévenir si une place se libère', async () => {
					const user = {};
					for (const [k, x] of Object.entries(fields))
						if (x.input.value.trim())
							user[k] = x.input.value.trim();
					const w = await api('POST', '/api/v1/me/appointments/waitlist', { org_id: org, motif_id: motif.id, user });
					status.textContent = `C’est noté : vous serez prévenu(e) par courriel${user.phone ? ' et par SMS' : ''} si une place se libère pour « ${motif.name} », jusqu’au ${frenchDay(w.expires_at)}. Premier arrivé, premier servi : réservez vite. Retrouvez cette demande dans « Mes rendez-vous ».`;
				}, [], { cls: 'wait-first' }));
			return;
		}
		const people = [fam, ...(fam.relatives || [])];
		const who = people.length > 1
			? radios('Pour qui ?', 'wait_for', people.map((p, i) => [String(p.id), i === 0 ? `${personName(p)} (vous)` : personName(p)]), String(fam.id))
			: null;
		const ask = h('button', {
			type: 'button', class: 'big-choice wait-ask', text: 'Me prévenir si une place se libère',
			onclick: async () => {
				const userId = who ? Number(who.value()) : fam.id;
				const person = people.find((p) => p.id === userId) || fam;
				ask.disabled = true;
				error.textContent = '';
				try {
					const w = await api('POST', '/api/v1/me/appointments/waitlist', { motif_id: motif.id, user_id: userId });
					status.textContent = `C’est noté : ${person === fam ? 'vous serez prévenu(e)' : `${personName(person)} sera prévenu(e)`} par courriel et par SMS si une place se libère pour « ${motif.name} », jusqu’au ${frenchDay(w.expires_at)}. Premier arrivé, premier servi : réservez vite. Retrouvez cette demande dans « Mes rendez-vous ».`;
				} catch (err) {
					error.textContent = err.detail || 'La demande n’a pas pu être enregistrée.';
				} finally {
					ask.disabled = false;
				}
			},
		});
		box.append(h('p', { text: 'Nous vous écrivons, par courriel et par SMS, dès qu’une place se libère pour ce motif, pendant 30 jours au plus.' }),
			who ? who.wrap : null, ask);
	}).catch(() => {
		error.textContent = 'La liste d’attente n’est pas disponible pour le moment.';
	});
	return box;
}

// « Listes d'attente » of « Mes rendez-vous »: nodes, or null when the
// person waits for nothing.
export async function myWaits(ctx) {
	const r = await api('GET', '/api/v1/me/appointments/waitlist');
	const entries = r.entries || [];
	if (!entries.length)
		return null;
	return [h('h2', { text: 'Listes d’attente' }),
		h('ul', { class: 'cards' }, entries.map((w) => {
			const error = h('p', { class: 'error', role: 'alert' });
			const what = `${w.motif || 'Motif'} (${w.org_name})`;
			return h('li', { class: 'card wait-card' },
				h('h3', { text: what }),
				h('p', { text: `Pour ${personName(w)}, depuis le ${frenchDay(w.created_at)}, jusqu’au ${frenchDay(w.expires_at)}.` }),
				h('p', { text: w.notified_at ? `Prévenu(e) le ${frenchDay(w.notified_at)} qu’une place s’était libérée.` : 'En attente d’une place.' }),
				error,
				h('div', { class: 'actions' }, h('button', {
					type: 'button', class: 'danger', text: 'Ne plus attendre', 'aria-label': `Ne plus attendre une place : ${what}, pour ${personName(w)}`,
					onclick: async (ev) => {
						ev.currentTarget.disabled = true;
						try {
							await api('DELETE', `/api/v1/me/appointments/waitlist/${w.id}`);
							goAgain(ctx, 'mes-rendez-vous', `${personName(w)} n’attend plus de place pour « ${w.motif} ».`);
						} catch (err) {
							ev.target.disabled = false;
							error.textContent = err.detail || 'La demande n’a pas pu être retirée.';
						}
					},
				})));
		}))];
}
