// breaches.js - "Violations de données" (DPO, GDPR Art. 33-34): the
// register of incidents with their 72-hour clock, the form that opens
// one, and an incident's page (update, CNIL notification text and notice
// to the people, marked done when done).
import { api, apiText, ApiError } from './api.js';
import { dl, field, h, icon, radios } from './dom.js';
import { count, inputToIso, localInput, toDate, when } from './format.js';
import { form, FormInvalid } from './forms.js';

// ---------------------------------------------------------------- clock

// Where incident b stands, in words: { level, badge, glyph, sentence }.
// level is a class name (late, urgent, pending, done, closed); the badge
// word and the drawing say it too, so colour is never the only sign.
export function clockOf(b) {
	const k = b.clock || {};
	switch (k.state) {
	case 'overdue':
		return { level: 'late', badge: 'En retard', glyph: 'alert',
			sentence: `En retard de ${k.hours_overdue} h : notifiez la CNIL sans attendre, en expliquant le retard.` };
	case 'pending': {
		const left = k.hours_left > 0 ? `il reste ${k.hours_left} h` : "il reste moins d'une heure";
		return k.hours_left < 24
			? { level: 'urgent', badge: 'Urgent', glyph: 'alert', sentence: `À notifier, ${left}.` }
			: { level: 'pending', badge: 'À notifier', glyph: 'clock', sentence: `À notifier, ${left}.` };
	}
	case 'notified':
		return { level: 'done', badge: 'Notifiée', glyph: 'check',
			sentence: `Notifiée à la CNIL le ${when(b.cnil_notified_at)}${k.notified_late ? ', après le délai de 72 heures' : ''}.` };
	case 'not_notified':
		return { level: 'closed', badge: 'Non notifiée', glyph: 'dash',
			sentence: 'Non notifiée : risque improbable pour les personnes, motif inscrit au registre.' };
	default:
		return { level: 'pending', badge: 'État inconnu', glyph: 'clock', sentence: '' };
	}
}

function clockLine(b, tag = 'p') {
	const c = clockOf(b);
	const open = b.clock && (b.clock.state === 'pending' || b.clock.state === 'overdue');
	return h(tag, { class: `clock level-${c.level}` },
		h('span', { class: 'badge' }, icon(c.glyph), c.badge),
		' ', h('span', { class: 'clock-text', text: c.sentence }),
		open ? h('span', { class: 'hint clock-deadline', text: ` Échéance : ${when(b.deadline)}.` }) : null);
}

// Most urgent first: late, then by hours left, then the closed ones.
function urgency(b) {
	const k = b.clock || {};
	if (k.state === 'overdue')
		return -1e6 - (k.hours_overdue || 0);
	if (k.state === 'pending')
		return k.hours_left || 0;
	return 1e6;
}

// ----------------------------------------------------------------- list

function excerpt(text, n = 160) {
	const t = (text || '').trim();
	return t.length > n ? `${t.slice(0, n - 1)}…` : t;
}

function facts(b) {
	return [b.high_risk ? 'Risque élevé' : 'Risque faible',
		`${count(b.people_count)} personne${b.people_count > 1 ? 's' : ''}`,
		`${count(b.records_count)} enregistrement${b.records_count > 1 ? 's' : ''}`].join(' · ');
}

async function listView(ctx) {
	const { breaches = [] } = await api('GET', '/api/v1/breaches');
	const sorted = [...breaches].sort((a, b) => urgency(a) - urgency(b));
	const open = breaches.filter((b) => ['pending', 'overdue'].includes(b.clock && b.clock.state)).length;
	const late = breaches.filter((b) => b.clock && b.clock.state === 'overdue').length;
	return [h('h1', { text: 'Violations de données' }),
		ctx.flash ? h('p', { class: 'notice', role: 'status', text: ctx.flash }) : null,
		h('p', { text: "Toute violation de données personnelles, notifiée ou non, est inscrite ici avec ses faits, ses effets et les mesures prises (art. 33.5 RGPD). La CNIL doit être notifiée au plus tard 72 heures après la constatation, sauf si la violation n'engendre probablement aucun risque pour les personnes." }),
		h('p', {}, h('a', { class: 'button', href: '#/violations/nouvelle', text: 'Déclarer une violation' })),
		h('h2', { text: 'Incidents inscrits' }),
		breaches.length
			? h('p', { class: 'summary', text: `${breaches.length} incident${breaches.length > 1 ? 's' : ''} : ${open} à notifier${late ? `, dont ${late} en retard` : ''}.` })
			: h('p', { text: 'Aucune violation inscrite.' }),
		h('ul', { class: 'incidents' }, sorted.map((b) => h('li', { class: `incident level-${clockOf(b).level}` },
			h('h3', {}, h('a', { href: `#/violations/${encodeURIComponent(b.id)}`, text: `Violation constatée le ${when(b.discovered_at)}` })),
			clockLine(b),
			h('p', { class: 'incident-nature', text: excerpt(b.nature) }),
			h('p', { class: 'hint', text: facts(b) }))))];
}

// ----------------------------------------------------------------- form

// The free-text facts of Art. 33(3), in its order: [wire name, label, help].
const TEXTS = [
	['nature', 'Nature de la violation',
		"Ce qui s'est passé : perte de confidentialité (accès ou divulgation non autorisés), d'intégrité (modification) ou de disponibilité (perte, destruction) ; comment et depuis quand."],
	['people_categories', 'Catégories de personnes concernées',
		'Par exemple : candidats, enseignants de la conduite, personnels de l’auto-école.'],
	['record_categories', 'Catégories de données concernées',
		"Par exemple : identité, coordonnées, numéros NEPH, dates et résultats d'examen."],
	['consequences', 'Conséquences probables',
		"Pour les personnes concernées : hameçonnage, usurpation d'identité, perte de contrôle sur leurs données, atteinte à leur réputation…"],
	['measures', 'Mesures prises ou envisagées',
		"Pour mettre fin à la violation, en atténuer les effets négatifs et éviter qu'elle se reproduise."],
	['contact', 'Point de contact',
		'Le délégué à la protection des données ou un autre point de contact auprès duquel obtenir des informations. Laissé vide à l’ouverture : le délégué inscrit au registre.'],
];

function area(label, name, hint, value) {
	const f = field(label, { tag: 'textarea', name, rows: 3, maxlength: 2000 }, hint);
	f.input.value = value || '';
	return f;
}

function number(label, name, value) {
	const f = field(label, { type: 'number', name, min: 0, step: 1, inputmode: 'numeric' },
		'Une estimation suffit ; vous pourrez la préciser ensuite.');
	f.input.value = value === undefined || value === null ? '' : String(value);
	return f;
}

// The form of an incident: empty to open one (b null), filled to update
// b. done(result) runs with the API's answer.
function breachForm(b, submitText, done) {
	const fields = {};
	fields.discovered_at = field('Date et heure de la constatation',
		{ type: 'datetime-local', name: 'discovered_at', required: true },
		'Le délai de 72 heures pour notifier la CNIL court à partir de ce moment (art. 33.1 RGPD).');
	fields.discovered_at.input.value = localInput(b ? toDate(b.discovered_at) : new Date());
	const text = Object.fromEntries(TEXTS.map(([n, l, hint]) => [n, area(l, n, hint, b ? b[n] : '')]));
	fields.nature = text.nature;
	fields.people_categories = text.people_categories;
	fields.people_count = number('Nombre approximatif de personnes concernées', 'people_count', b ? b.people_count : '');
	fields.record_categories = text.record_categories;
	fields.records_count = number("Nombre approximatif d'enregistrements concernés", 'records_count', b ? b.records_count : '');
	fields.consequences = text.consequences;
	fields.measures = text.measures;
	fields.contact = text.contact;
	fields.contact.input.rows = 2;
	fields.high_risk = radios('Risque pour les droits et libertés des personnes', 'high_risk', [
		['high', 'Risque élevé : les personnes concernées doivent aussi être informées (art. 34)'],
		['low', 'Risque faible ou limité : seule la CNIL est notifiée'],
	], b ? (b.high_risk ? 'high' : 'low') : '',
	"Tenez compte de la sensibilité des données, du nombre de personnes et de la gravité des conséquences possibles.");
	fields.no_notification_reason = area('Motif de non-notification à la CNIL (facultatif)', 'no_notification_reason',
		"Seulement si la violation n'est pas susceptible d'engendrer un risque pour les personnes (art. 33.1) et que vous décidez de ne pas la notifier. Laissez vide pour la notifier.",
		b ? b.no_notification_reason : '');

	return form(fields, submitText, async () => {
		const errors = {};
		const body = {};
		const at = inputToIso(fields.discovered_at.input.value);
		if (!at)
			errors.discovered_at = 'Indiquez la date et l’heure de la constatation.';
		else if (new Date(at).getTime() > Date.now() + 5 * 60 * 1000)
			errors.discovered_at = 'La constatation ne peut pas être dans le futur.';
		else if (!b || at.slice(0, 16) !== String(b.discovered_at).slice(0, 16))
			body.discovered_at = at; // the input has minutes only: same minute, unchanged
		for (const [name] of TEXTS) {
			const v = fields[name].input.value.trim();
			if (v && (!b || v !== b[name]))
				body[name] = v;
			else if (!v && (name !== 'contact' || (b && b.contact)))
				errors[name] = 'Ce champ est obligatoire (art. 33.3 RGPD).';
		}
		for (const name of ['people_count', 'records_count']) {
			const raw = fields[name].input.value.trim();
			if (raw === '')
				continue;
			const n = Number(raw);
			if (!Number.isInteger(n) || n < 0)
				errors[name] = 'Indiquez un nombre entier positif ou nul.';
			else if (!b || n !== b[name])
				body[name] = n;
		}
		const risk = fields.high_risk.value();
		if (!risk)
			errors.high_risk = 'Indiquez le niveau de risque.';
		else if (!b || (risk === 'high') !== Boolean(b.high_risk))
			body.high_risk = risk === 'high';
		const reason = fields.no_notification_reason.input.value.trim();
		if (reason && risk === 'high')
			errors.no_notification_reason = 'Une violation à risque élevé doit être notifiée : ce motif n’est admis que si le risque est faible.';
		else if (!reason && b && b.no_notification_reason)
			errors.no_notification_reason = 'Ce motif est inscrit au registre et ne peut pas être retiré.';
		else if (reason && (!b || reason !== b.no_notification_reason))
			body.no_notification_reason = reason;
		if (Object.keys(errors).length)
			throw new FormInvalid(errors);
		if (b && !Object.keys(body).length)
			throw new FormInvalid({ '': 'Aucune modification à enregistrer.' });
		const res = b
			? await api('POST', `/api/v1/breaches/${encodeURIComponent(b.id)}`, body)
			: await api('POST', '/api/v1/breaches', body);
		done(res);
	}, [], { cls: 'breach-form' });
}

async function newView(ctx) {
	return [h('h1', { text: 'Déclarer une violation de données' }),
		h('p', { text: "Renseignez ce que vous savez maintenant : les éléments de l'article 33.3 du RGPD. Vous pourrez compléter l'incident ensuite ; le délai de 72 heures court dès la constatation." }),
		breachForm(null, "Ouvrir l'incident", (b) => ctx.go(`violations/${encodeURIComponent(b.id)}`,
			'Incident ouvert et inscrit au registre des violations.')),
		h('p', {}, h('a', { href: '#/violations', text: 'Retour aux violations de données' }))];
}

// --------------------------------------------------------------- detail

// A generated text (CNIL notification, notice): a button produces it into
// a read-only text area with a copy button. load() returns the text.
function textPanel(label, buttonText, load, hint) {
	const status = h('p', { class: 'notice', role: 'status' });
	const error = h('p', { class: 'error', role: 'alert' });
	const out = h('div', { class: 'generated' });
	const button = h('button', { type: 'button', class: 'secondary', text: buttonText });
	button.addEventListener('click', async () => {
		button.disabled = true;
		error.textContent = '';
		status.textContent = '';
		try {
			const text = await load();
			const f = field(label, { tag: 'textarea', readonly: true, rows: 14, class: 'mono' }, hint);
			f.input.value = text;
			const copy = h('button', { type: 'button', class: 'secondary', text: 'Copier le texte' });
			copy.addEventListener('click', async () => {
				try {
					await navigator.clipboard.writeText(f.input.value);
					status.textContent = 'Texte copié dans le presse-papiers.';
				} catch {
					f.input.focus();
					f.input.select();
					status.textContent = 'Copie automatique impossible : le texte est sélectionné, copiez-le avec Ctrl+C.';
				}
			});
			out.replaceChildren(f.wrap, h('div', { class: 'actions' }, copy));
			status.textContent = 'Texte généré à partir des faits de l’incident.';
			f.input.setSelectionRange(0, 0);
			f.input.focus();
			f.input.scrollTop = 0;
		} catch (err) {
			error.textContent = err instanceof ApiError ? err.detail : 'Le texte n’a pas pu être produit.';
		} finally {
			button.disabled = false;
		}
	});
	return h('div', { class: 'text-panel' }, h('div', { class: 'actions' }, button), error, status, out);
}

async function detailView(ctx, id) {
	let b;
	try {
		b = await api('GET', `/api/v1/breaches/${encodeURIComponent(id)}`);
	} catch (err) {
		if (err instanceof ApiError && err.status === 404)
			return [h('h1', { text: 'Incident introuvable' }),
				h('p', { text: err.detail }),
				h('p', {}, h('a', { href: '#/violations', text: 'Retour aux violations de données' }))];
		throw err;
	}
	const path = `/api/v1/breaches/${encodeURIComponent(b.id)}`;
	const status = h('p', { class: 'notice', role: 'status', tabindex: -1, text: ctx.flash || '' });
	const clockBox = h('div', { class: 'clock-box' });
	const factsBox = h('div');
	const cnilState = h('div');
	const peopleState = h('div');
	const markError = h('p', { class: 'error', role: 'alert' });
	const noticePanel = textPanel('Avis aux personnes concernées', "Générer l'avis aux personnes",
		() => apiText(`${path}/notice`),
		'En termes clairs et simples (art. 34.2 RGPD), à envoyer à chaque personne concernée.');

	async function mark(body, message, button) {
		button.disabled = true;
		markError.textContent = '';
		try {
			b = await api('POST', path, body);
			render();
			status.textContent = message;
			status.focus();
		} catch (err) {
			button.disabled = false;
			markError.textContent = err instanceof ApiError ? err.detail : 'La modification n’a pas été enregistrée.';
		}
	}

	function render() {
		const k = b.clock || {};
		clockBox.className = `clock-box level-${clockOf(b).level}`;
		clockBox.replaceChildren(clockLine(b),
			dl([
				['Constatée le', when(b.discovered_at)],
				['Échéance de notification', when(b.deadline)],
				['Notifiée à la CNIL', b.cnil_notified_at ? when(b.cnil_notified_at) : (k.state === 'not_notified' ? 'Non (risque improbable)' : 'Pas encore')],
				['Personnes informées', b.people_informed_at ? when(b.people_informed_at) : (b.high_risk ? 'Pas encore' : 'Non requis (risque faible)')],
			], 'facts compact'));
		factsBox.replaceChildren(dl([
			['Nature de la violation', b.nature],
			['Catégories de personnes concernées', b.people_categories],
			['Nombre approximatif de personnes', count(b.people_count)],
			['Catégories de données concernées', b.record_categories],
			["Nombre approximatif d'enregistrements", count(b.records_count)],
			['Conséquences probables', b.consequences],
			['Mesures prises ou envisagées', b.measures],
			['Point de contact', b.contact],
			['Risque', b.high_risk ? 'Élevé : information des personnes requise (art. 34)' : 'Faible ou limité'],
			['Motif de non-notification', b.no_notification_reason],
		]));
		if (b.cnil_notified_at) {
			cnilState.replaceChildren(h('p', { text: `Notification faite le ${when(b.cnil_notified_at)}.` }));
		} else if (k.state === 'not_notified') {
			cnilState.replaceChildren(h('p', { text: "Vous avez décidé de ne pas notifier la CNIL : le motif est inscrit au registre. Le texte reste disponible si votre analyse change." }));
		} else {
			const done = h('button', { type: 'button', text: 'Marquer comme notifiée à la CNIL' });
			done.addEventListener('click', () => mark({ cnil_notified: true }, 'Notification à la CNIL enregistrée.', done));
			cnilState.replaceChildren(h('p', { class: 'hint', text: 'Une fois la notification envoyée par le téléservice de la CNIL, enregistrez-la ici : la date est inscrite au registre.' }),
				h('div', { class: 'actions' }, done));
		}
		if (!b.high_risk) {
			noticePanel.remove();
			peopleState.replaceChildren(h('p', { text: "Risque faible ou limité : l'information des personnes n'est pas obligatoire (art. 34.1 RGPD). Si le risque devient élevé, modifiez l'incident." }));
		} else {
			if (!noticePanel.isConnected)
				peopleState.before(noticePanel);
			const done = h('button', { type: 'button', text: 'Marquer les personnes comme informées' });
			done.addEventListener('click', () => mark({ people_informed: true }, 'Information des personnes enregistrée.', done));
			peopleState.replaceChildren(b.people_informed_at
				? h('p', { text: `Personnes informées le ${when(b.people_informed_at)}.` })
				: h('div', { class: 'actions' }, done));
		}
	}
	render();

	const editForm = h('div');
	const edit = h('details', { class: 'edit' },
		h('summary', {}, h('span', { class: 'summary-title', text: "Modifier les faits de l'incident" })),
		editForm);
	edit.addEventListener('toggle', () => {
		if (edit.open)
			editForm.replaceChildren(breachForm(b, 'Enregistrer les modifications', (nb) => {
				b = nb;
				render();
				edit.open = false;
				status.textContent = 'Modifications enregistrées.';
				status.focus();
			}));
	});

	return [h('h1', { text: `Violation constatée le ${when(b.discovered_at)}` }),
		status,
		clockBox,
		markError,
		h('section', { 'aria-labelledby': 'b-facts' },
			h('h2', { id: 'b-facts', text: 'Faits (article 33.3 du RGPD)' }),
			factsBox,
			edit),
		h('section', { 'aria-labelledby': 'b-cnil' },
			h('h2', { id: 'b-cnil', text: 'Notification à la CNIL' }),
			textPanel('Texte de la notification à la CNIL', 'Générer le texte de notification',
				() => apiText(`${path}/cnil-notification`),
				'À reporter dans le téléservice de notification des violations de la CNIL.'),
			cnilState),
		h('section', { 'aria-labelledby': 'b-people' },
			h('h2', { id: 'b-people', text: 'Information des personnes concernées' }),
			b.high_risk ? noticePanel : null,
			peopleState),
		h('p', {}, h('a', { href: '#/violations', text: 'Retour aux violations de données' }))];
}

export function breachesView(ctx) {
	const [sub] = ctx.params;
	if (!sub)
		return listView(ctx);
	if (sub === 'nouvelle')
		return newView(ctx);
	return detailView(ctx, sub);
}
