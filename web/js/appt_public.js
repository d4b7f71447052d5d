// appt_public.js - online booking by users, in plain French with large
// buttons: the organisation's booking address (#/rendez-vous/<org>) asks
// the service, the motif and the place, then shows the free slots day by
// day; a slot chosen is held for 10 minutes while the person signs in
// with their Créneau account (the hold is kept in this tab, so the
// sign-in steps can run), or books without an account (appt_guest.js:
// an emailed link confirms); then « Confirmer ». « Mes rendez-vous » lists
// the person's appointments with « Déplacer » (the free slots of the same
// motif and place, day by day) and « Annuler » up to the motif's
// deadline, and their waiting lists (appt_waitlist.js, also offered under
// the free slots). « Mes proches » (linked from it) lists the relatives
// under each of the person's records, one per service, to add and edit
// them.
import { api, ApiError } from './api.js';
import { field, h, show } from './dom.js';
import { form } from './forms.js';
import {
	addDays, birthDate, cancelled, dayShort, dayTitle, duration, goAgain, LOCATION_NAMES, parisDay, parisTime, parisToDate,
	personName, recordBody, recordFields, STATUS_NAMES, today, utc,
} from './appt_common.js';
import { directoryFlow } from './appt_directory.js';
import { guestForm } from './appt_guest.js';
import { myWaits, waitOffer } from './appt_waitlist.js';

const HOLD_KEY = 'creneau-rdv-hold';
const DAYS = 28; // free slots shown from today on

function savedHold(org) {
	try {
		const x = JSON.parse(sessionStorage.getItem(HOLD_KEY) || 'null');
		if (x && x.org === org && Date.parse(x.expires_at) > Date.now())
			return x;
	} catch {
		// nothing usable
	}
	sessionStorage.removeItem(HOLD_KEY);
	return null;
}

// One big choice button per item: [text, detail, onclick].
function choices(label, items) {
	return h('ul', { class: 'big-choices', 'aria-label': label }, items.map(([text, detail, onclick]) =>
		h('li', {}, h('button', { type: 'button', class: 'big-choice', onclick },
			h('span', { class: 'big-choice-title', text }), detail ? h('span', { class: 'big-choice-detail', text: detail }) : null))));
}

function stepTitle(n, text) {
	return h('p', { class: 'step-count', text: `Étape ${n} sur 5 : ${text}` });
}

// The whole journey; render(nodes) shows a step (focus on its h1).
export async function bookingFlow(org, me, render) {
	const data = await api('GET', `/api/v1/public/appointments/motifs?org_id=${encodeURIComponent(org)}`);
	// Every step names whom the person books with, under its title.
	const renderStep = render;
	render = (nodes) => renderStep(data.organisation ? [nodes[0], h('p', { class: 'booking-org', text: data.organisation }), ...nodes.slice(1)] : nodes);
	const state = { service: null, motif: null, place: null };
	const back = (fn, text = 'Revenir en arrière') => h('p', {}, h('button', { type: 'button', class: 'link', text, onclick: fn }));

	function chooseService() {
		const services = (data.services || []).filter((s) => data.motifs.some((m) => m.service_id === s.id));
		if (services.length === 1) {
			state.service = services[0];
			return chooseMotif(true);
		}
		render([h('h1', { text: 'Prendre rendez-vous' }), stepTitle(1, 'le service'),
			services.length ? choices('Services', services.map((s) => [s.name, '', () => {
				state.service = s;
				chooseMotif(false);
			}])) : h('p', { text: 'Aucun rendez-vous ne peut être pris en ligne pour le moment. Appelez le service.' })]);
	}

	function chooseMotif(only) {
		const motifs = data.motifs.filter((m) => m.service_id === state.service.id);
		render([h('h1', { text: `Prendre rendez-vous : ${state.service.name}` }), stepTitle(2, 'le motif du rendez-vous'),
			choices('Motifs', motifs.map((m) => [m.name, `${LOCATION_NAMES[m.location_type] || ''}, ${duration(m.duration_min)}`, () => {
				state.motif = m;
				state.place = null;
				if (m.location_type === 'place')
					choosePlace();
				else
					chooseSlot(today());
			}])),
			only ? null : back(chooseService)]);
	}

	function choosePlace() {
		render([h('h1', { text: `${state.motif.name} : où ?` }), stepTitle(3, 'le lieu'),
			choices('Lieux', data.places.map((p) => [p.name, p.address, () => {
				state.place = p;
				chooseSlot(today());
			}])),
			back(() => chooseMotif(false))]);
	}

	async function chooseSlot(day) {
		if (state.motif.collective)
			return chooseSession();
		const from = new Date(Math.max(Date.now(), parisToDate(today()).getTime()));
		const to = parisToDate(addDays(today(), DAYS));
		const q = `org_id=${encodeURIComponent(org)}&motif_id=${state.motif.id}${state.place ? `&place_id=${state.place.id}` : ''}&from=${utc(from)}&to=${utc(to)}`;
		const r = await api('GET', `/api/v1/public/appointments/free-slots?${q}`);
		const byDay = new Map();
		for (const s of r.slots || []) {
			const d = parisDay(s.start_at);
			byDay.set(d, [...(byDay.get(d) || []), s]);
		}
		const days = [...byDay.keys()].sort();
		const shown = byDay.has(day) ? day : days[0];
		const where = state.place ? state.place.name : LOCATION_NAMES[state.motif.location_type];
		const status = h('p', { class: 'error', role: 'alert' });
		const nodes = [h('h1', { text: `${state.motif.name} : choisissez un jour et une heure` }), stepTitle(4, 'la date et l’heure'),
			h('p', { class: 'lead', text: `${where}, ${duration(state.motif.duration_min)}.` }), status];
		if (!days.length) {
			nodes.push(h('p', { text: `Aucun créneau libre dans les ${DAYS} prochains jours. Essayez un autre lieu, ou appelez le service.` }));
		} else {
			nodes.push(h('nav', { class: 'day-picker', 'aria-label': 'Jours avec des créneaux libres' },
				h('ul', {}, days.map((d) => h('li', {}, h('a', {
					href: '#', class: 'day-choice', 'aria-current': d === shown ? 'date' : false,
					text: `${dayShort(d)} (${byDay.get(d).length})`,
					onclick: (ev) => {
						ev.preventDefault();
						chooseSlot(d).catch(failed);
					},
				}))))),
			h('h2', { text: dayTitle(shown) }),
			h('ul', { class: 'slot-times', 'aria-label': `Heures libres le ${dayTitle(shown)}` }, byDay.get(shown).map((s) =>
				h('li', {}, h('button', {
					type: 'button', class: 'big-choice slot-time', text: parisTime(s.start_at),
					'aria-label': `${parisTime(s.start_at)}, ${dayTitle(shown)}`,
					onclick: async (ev) => {
						ev.currentTarget.disabled = true;
						try {
							const hold = await api('POST', '/api/v1/public/appointments/holds', {
								org_id: org, motif_id: state.motif.id, start_at: s.start_at, ...(state.place ? { place_id: state.place.id } : {}),
							});
							const saved = {
								org, token: hold.hold_token, expires_at: hold.expires_at, start_at: s.start_at,
								motif: state.motif.name, where, instructions: state.motif.instructions || '',
							};
							sessionStorage.setItem(HOLD_KEY, JSON.stringify(saved));
							identify(saved);
						} catch (err) {
							status.textContent = err.detail || 'Ce créneau n’a pas pu être retenu.';
							chooseSlot(shown).catch(failed);
						}
					},
				})))));
		}
		nodes.push(waitOffer(org, state.motif, me), back(() => (state.place ? choosePlace() : chooseMotif(false))));
		render(nodes);
	}

	// A collective motif (a workshop): its sessions to come with the seats
	// left; a seat chosen is held, then confirmed, as a slot is.
	async function chooseSession(message = '') {
		const to = parisToDate(addDays(today(), DAYS));
		const q = `org_id=${encodeURIComponent(org)}&motif_id=${state.motif.id}${state.place ? `&place_id=${state.place.id}` : ''}&from=${utc(new Date())}&to=${utc(to)}`;
		const r = await api('GET', `/api/v1/public/appointments/sessions?${q}`);
		const where = state.place ? state.place.name : LOCATION_NAMES[state.motif.location_type];
		const status = h('p', { class: 'error', role: 'alert', text: message });
		const sessions = r.sessions || [];
		const nodes = [h('h1', { text: `${state.motif.name} : choisissez une séance` }), stepTitle(4, 'la séance'),
			h('p', { class: 'lead', text: `${where}, ${duration(state.motif.duration_min)}, en groupe.` }), status];
		if (!sessions.length)
			nodes.push(h('p', { text: `Aucune séance prévue dans les ${DAYS} prochains jours. Appelez le service.` }));
		else
			nodes.push(h('ul', { class: 'big-choices', 'aria-label': 'Séances' }, sessions.map((s) => {
				const when = `${dayTitle(parisDay(s.start_at))} à ${parisTime(s.start_at)}`;
				const left = s.seats_left === 0 ? 'Complet' : s.seats_left === 1 ? '1 place restante' : `${s.seats_left} places restantes`;
				return h('li', {}, h('button', {
					type: 'button', class: 'big-choice session-choice', disabled: s.seats_left === 0,
					onclick: async (ev) => {
						ev.currentTarget.disabled = true;
						try {
							const hold = await api('POST', '/api/v1/public/appointments/holds', { org_id: org, session_id: s.id });
							const saved = {
								org, token: hold.hold_token, expires_at: hold.expires_at, start_at: s.start_at,
								motif: state.motif.name, where, instructions: state.motif.instructions || '',
							};
							sessionStorage.setItem(HOLD_KEY, JSON.stringify(saved));
							identify(saved);
						} catch (err) {
							chooseSession(err.detail || 'Cette place n’a pas pu être retenue.').catch(failed);
						}
					},
				}, h('span', { class: 'big-choice-title', text: when }), h('span', { class: 'big-choice-detail', text: left })));
			})));
		nodes.push(back(() => (state.place ? choosePlace() : chooseMotif(false))));
		render(nodes);
		return null;
	}

	function summary(hold) {
		return h('div', { class: 'booking-summary' },
			h('p', { class: 'lead', text: `${hold.motif} : ${dayTitle(parisDay(hold.start_at))} à ${parisTime(hold.start_at)}` }),
			h('p', { text: hold.where }));
	}

	function identify(hold) {
		if (me)
			return confirmStep(hold, null);
		const fields = {
			email: field('Adresse e-mail', { type: 'email', name: 'email', autocomplete: 'username', required: true }),
			password: field('Mot de passe', { type: 'password', name: 'password', autocomplete: 'current-password', required: true }),
		};
		// Without an account: the address is checked by an emailed link.
		const guest = h('button', {
			type: 'button', class: 'secondary', text: 'Réserver sans créer de compte',
			onclick: () => guestForm(hold, render,
				[h('h1', { text: 'Réserver sans compte' }), stepTitle(5, 'vos coordonnées'), summary(hold)],
				h('p', {}, h('button', { type: 'button', class: 'link', text: 'Revenir à la connexion', onclick: () => identify(hold) }))),
		});
		render([h('h1', { text: 'Identifiez-vous' }), stepTitle(5, 'vous identifier et confirmer'), summary(hold),
			h('p', { text: `Ce créneau vous est réservé jusqu’à ${parisTime(hold.expires_at)}. Connectez-vous avec votre compte Créneau pour confirmer, ou réservez sans compte.` }),
			form(fields, 'Se connecter', async () => {
				await api('POST', '/api/v1/session', { email: fields.email.input.value.trim(), password: fields.password.input.value });
				// The sign-in steps (new password, second factor) run, then
				// this page comes back to the held slot.
				window.location.reload();
			}),
			h('div', { class: 'guest-way' }, h('h2', { text: 'Pas de compte ?' }), guest)]);
	}

	async function confirmStep(hold, askUser) {
		const general = h('p', { class: 'error', role: 'alert' });
		const fields = askUser ? {
			last_name: field('Nom', { name: 'last_name', autocomplete: 'family-name', required: true }),
			first_names: field('Prénom(s)', { name: 'first_names', autocomplete: 'given-name', required: true }),
			phone: field('Téléphone (facultatif)', { type: 'tel', name: 'phone', autocomplete: 'tel' }, 'Pour être prévenu(e) en cas de changement.'),
		} : {};
		const f = form(fields, 'Confirmer le rendez-vous', async () => {
			const body = { hold_token: hold.token };
			if (askUser) {
				body.user = {};
				for (const [k, x] of Object.entries(fields))
					if (x.input.value.trim())
						body.user[k] = x.input.value.trim();
			}
			try {
				await api('POST', '/api/v1/me/appointments', body);
			} catch (err) {
				if (!askUser && err instanceof ApiError && err.field === 'user')
					return confirmStep(hold, true);
				if (err instanceof ApiError && err.code === 'RESERVATION_EXPIREE') {
					sessionStorage.removeItem(HOLD_KEY);
					general.textContent = 'Le temps pour confirmer est dépassé : choisissez de nouveau un créneau.';
					return null;
				}
				throw err;
			}
			sessionStorage.removeItem(HOLD_KEY);
			return render([h('h1', { text: 'Rendez-vous confirmé' }), summary(hold),
				hold.instructions ? h('p', { class: 'notice', text: hold.instructions }) : null,
				h('p', {}, h('a', { href: '#/mes-rendez-vous', class: 'button', text: 'Voir mes rendez-vous' }))]);
		}, [general]);
		render([h('h1', { text: askUser ? 'Vos coordonnées' : 'Confirmez votre rendez-vous' }), stepTitle(5, 'confirmer'), summary(hold),
			askUser ? h('p', { text: 'C’est votre premier rendez-vous auprès de ce service : indiquez votre nom.' }) : null, f,
			h('p', {}, h('button', {
				type: 'button', class: 'link', text: 'Choisir un autre créneau',
				onclick: () => {
					sessionStorage.removeItem(HOLD_KEY);
					chooseService();
				},
			}))]);
		return null;
	}

	function failed(err) {
		render([h('h1', { text: 'Prendre rendez-vous' }), h('p', { role: 'alert', text: err.detail || 'Une erreur est survenue.' })]);
	}

	const held = savedHold(org);
	if (held)
		return identify(held);
	return chooseService();
}

// The booking address for a signed-in person (a hidden section); without
// an organisation, the directory that finds one.
export async function bookView(ctx) {
	const org = ctx.params[0] || '';
	// An emailed link of a booking without an account: app.js shows its
	// page, signed in or not.
	if (org === 'confirmer' || org === 'gerer')
		return null;
	let first = null;
	if (!org) {
		directoryFlow((id) => ctx.go(`rendez-vous/${id}`), (nodes) => {
			first = nodes;
		});
		return first;
	}
	let ready = false;
	await bookingFlow(org, ctx.me, (nodes) => {
		if (!ready)
			first = nodes;
		else
			show(nodes);
	});
	ready = true;
	return first;
}

// The booking address before any sign-in; without an organisation, the
// directory, whose choice opens that organisation's address.
export function publicBooking(org) {
	if (!org) {
		directoryFlow((id) => {
			window.history.pushState(null, '', `#/rendez-vous/${id}`);
			publicBooking(id);
		}, (nodes) => show(nodes));
		return Promise.resolve();
	}
	return bookingFlow(org, null, (nodes) => show(nodes));
}

// « Déplacer »: the free slots of the appointment's motif and place shown
// in host, day by day; a time chosen is confirmed, then moved to.
async function moveChooser(ctx, a, when, host, error, day) {
	const from = new Date(Math.max(Date.now(), parisToDate(today()).getTime()));
	const to = parisToDate(addDays(today(), DAYS));
	const q = `org_id=${encodeURIComponent(a.org_id)}&motif_id=${a.motif_id}${a.place_id ? `&place_id=${a.place_id}` : ''}&from=${utc(from)}&to=${utc(to)}`;
	let r;
	try {
		r = await api('GET', `/api/v1/public/appointments/free-slots?${q}`);
	} catch (err) {
		error.textContent = err.detail || 'Les créneaux libres n’ont pas pu être lus.';
		return;
	}
	const byDay = new Map();
	for (const s of r.slots || []) {
		const d = parisDay(s.start_at);
		byDay.set(d, [...(byDay.get(d) || []), s]);
	}
	const days = [...byDay.keys()].sort();
	const shown = byDay.has(day) ? day : days[0];
	const close = h('p', {}, h('button', {
		type: 'button', class: 'link', text: 'Garder l’horaire actuel',
		onclick: () => {
			const btn = host.closest('li')?.querySelector('button.move');
			host.replaceChildren();
			btn?.setAttribute('aria-expanded', 'false');
			btn?.focus();
		},
	}));
	if (!days.length) {
		host.replaceChildren(h('p', { text: `Aucun autre créneau libre dans les ${DAYS} prochains jours : appelez le service.` }), close);
		return;
	}
	const confirm = (s) => {
		const then = `${dayTitle(parisDay(s.start_at))} à ${parisTime(s.start_at)}`;
		host.replaceChildren(h('p', { class: 'lead', text: `Déplacer votre rendez-vous du ${when} au ${then} ?` }),
			h('div', { class: 'actions' },
				h('button', {
					type: 'button', class: 'big-choice slot-time', text: 'Confirmer le déplacement',
					onclick: async (ev) => {
						ev.currentTarget.disabled = true;
						try {
							await api('POST', `/api/v1/me/appointments/${a.id}/move`, { start_at: s.start_at });
							goAgain(ctx, 'mes-rendez-vous', `Votre rendez-vous est déplacé au ${then}.`);
						} catch (err) {
							error.textContent = err.detail || 'Le déplacement a échoué.';
							moveChooser(ctx, a, when, host, error, parisDay(s.start_at));
						}
					},
				})),
			h('p', {}, h('button', { type: 'button', class: 'link', text: 'Choisir une autre heure', onclick: () => moveChooser(ctx, a, when, host, error, shown) })));
		host.querySelector('button').focus();
	};
	host.replaceChildren(
		h('h4', { text: 'Choisissez un nouveau jour et une nouvelle heure' }),
		h('nav', { class: 'day-picker', 'aria-label': 'Jours avec des créneaux libres' },
			h('ul', {}, days.map((d) => h('li', {}, h('a', {
				href: '#', class: 'day-choice', 'aria-current': d === shown ? 'date' : false,
				text: `${dayShort(d)} (${byDay.get(d).length})`,
				onclick: (ev) => {
					ev.preventDefault();
					moveChooser(ctx, a, when, host, error, d);
				},
			}))))),
		h('h5', { text: dayTitle(shown) }),
		h('ul', { class: 'slot-times', 'aria-label': `Heures libres le ${dayTitle(shown)}` }, byDay.get(shown).map((s) =>
			h('li', {}, h('button', {
				type: 'button', class: 'big-choice slot-time', text: parisTime(s.start_at),
				'aria-label': `${parisTime(s.start_at)}, ${dayTitle(shown)}`,
				onclick: () => confirm(s),
			})))),
		close);
}

export async function myApptsView(ctx) {
	const r = await api('GET', '/api/v1/me/appointments');
	const list = r.appointments || [];
	const now = Date.now();
	const status = h('p', { class: 'notice', role: 'status', text: ctx.flash || '' });
	const coming = list.filter((a) => Date.parse(a.start_at) >= now && !cancelled(a.status)).reverse();
	const past = list.filter((a) => !coming.includes(a));
	const item = (a, canCancel) => {
		const error = h('p', { class: 'error', role: 'alert' });
		const when = `${dayTitle(parisDay(a.start_at))} à ${parisTime(a.start_at)}`;
		const mover = h('div', { class: 'appt-move', 'aria-live': 'polite' });
		return h('li', { class: `card appt-card status-${a.status}` },
			h('h3', { text: when }),
			a.motif_name ? h('p', { class: 'appt-motif', text: a.motif_name }) : null,
			h('p', { text: `${LOCATION_NAMES[a.location_type] || ''}, ${duration(a.duration_min)} · ${STATUS_NAMES[a.status] || a.status}` }),
			a.place_name ? h('p', { class: 'appt-place', text: a.place_address ? `${a.place_name}, ${a.place_address}` : a.place_name }) : null,
			error,
			canCancel ? h('div', { class: 'actions' }, a.collective ? null : h('button', {
				type: 'button', class: 'move', text: 'Déplacer', 'aria-label': `Déplacer ce rendez-vous du ${when}`,
				'aria-expanded': 'false',
				onclick: (ev) => {
					const btn = ev.currentTarget;
					error.textContent = '';
					if (mover.childNodes.length) {
						mover.replaceChildren();
						btn.setAttribute('aria-expanded', 'false');
						return;
					}
					btn.setAttribute('aria-expanded', 'true');
					moveChooser(ctx, a, when, mover, error, null);
				},
			}), h('button', {
				type: 'button', class: 'danger', text: 'Annuler ce rendez-vous', 'aria-label': `Annuler ce rendez-vous du ${when}`,
				onclick: async (ev) => {
					ev.currentTarget.disabled = true;
					try {
						await api('POST', `/api/v1/me/appointments/${a.id}/cancellation`);
						goAgain(ctx, 'mes-rendez-vous', `Votre rendez-vous du ${when} est annulé.`);
					} catch (err) {
						ev.target.disabled = false;
						error.textContent = err.detail || 'L’annulation a échoué.';
					}
				},
			})) : null, canCancel ? mover : null);
	};
	const waits = await myWaits(ctx);
	return [h('h1', { text: 'Mes rendez-vous' }), status,
		h('p', {}, h('a', { href: '#/mes-proches', text: 'Mes proches : les ajouter, les modifier' })),
		h('h2', { text: 'À venir' }),
		coming.length ? h('ul', { class: 'cards' }, coming.map((a) => item(a, true)))
			: h('p', { text: 'Aucun rendez-vous à venir.' }),
		waits,
		past.length ? [h('h2', { text: 'Passés ou annulés' }), h('ul', { class: 'cards' }, past.map((a) => item(a, false)))] : null];
}

// What a person sets of a relative (the service keeps the rest).
const RELATIVE_FIELDS = ['last_name', 'birth_name', 'first_names', 'birth_date', 'phone', 'email'];

export async function myRelativesView(ctx) {
	const r = await api('GET', '/api/v1/me/relatives');
	const families = r.families || [];
	const nodes = [h('h1', { text: 'Mes proches' }), h('p', { class: 'notice', role: 'status', text: ctx.flash || '' }),
		h('p', { text: 'Les proches (enfants, conjoint, parent que vous accompagnez) pour qui vous prenez rendez-vous. Chaque service a sa propre liste.' })];
	if (!families.length)
		nodes.push(h('p', { text: 'Vos proches pourront être ajoutés ici après votre premier rendez-vous pris en ligne auprès d’un service.' }));
	for (const fam of families) {
		nodes.push(h('h2', { text: fam.org_name }));
		const rels = fam.relatives || [];
		nodes.push(rels.length ? h('ul', { class: 'cards' }, rels.map((p) => {
			const ef = recordFields(p, RELATIVE_FIELDS);
			return h('li', { class: 'card relative-card' },
				h('h3', { text: personName(p) }),
				p.birth_date ? h('p', { text: `Né(e) le ${birthDate(p.birth_date)}` }) : null,
				h('details', { class: 'edit' }, h('summary', { text: `Modifier ${personName(p)}` }),
					h('div', {}, form(ef, 'Enregistrer', async () => {
						await api('PUT', `/api/v1/me/relatives/${p.id}`, recordBody(ef));
						goAgain(ctx, 'mes-proches', `${ef.first_names.input.value.trim()} ${ef.last_name.input.value.trim()} : enregistré.`);
					}))));
		})) : h('p', { text: 'Aucun proche enregistré auprès de ce service.' }));
		const af = recordFields({ last_name: fam.last_name }, RELATIVE_FIELDS);
		nodes.push(h('details', { class: 'edit' }, h('summary', { text: `Ajouter un proche (${fam.org_name})` }),
			h('div', {}, form(af, 'Ajouter le proche', async () => {
				await api('POST', '/api/v1/me/relatives', { ...recordBody(af), responsible_id: fam.id });
				goAgain(ctx, 'mes-proches', `${af.first_names.input.value.trim()} ${af.last_name.input.value.trim()} : proche ajouté.`);
			}))));
	}
	nodes.push(h('p', {}, h('a', { href: '#/mes-rendez-vous', text: 'Retour à mes rendez-vous' })));
	return nodes;
}
