// day.js - « Ma journée » (school manager): this month's and next
// month's quotas as gauges with their figures in words, the bookings of
// the coming weeks, the unread notifications, the basket and its
// countdown, the next exams.
import { api, ApiError } from './api.js';
import { h, icon, table } from './dom.js';
import { unreadCount } from './notifications.js';
import {
	candidateLabel, candidatesById, columns, countdown, duration, EXAM_STATUS, gauges, monthName,
	parisDate, parisDay, parisMonth, parisTime, plural, quotaBadge, quotaText, section,
} from './school.js';

function quotaBlock(month, quotas) {
	const rows = quotas.map((q) => ({
		label: `${q.department} · ${q.category}`, value: q.used, max: q.quota, text: quotaText(q),
	}));
	return h('div', { class: 'quota-month' },
		h('h3', { text: `Quotas de ${monthName(month)}` }),
		quotas.length
			? [gauges(`Places utilisées sur le quota, ${monthName(month)}`, rows),
				h('ul', { class: 'quota-list' }, quotas.map((q) => {
					const b = quotaBadge(q);
					return h('li', { class: `level-${b.level}` },
						h('span', { class: 'badge' }, b.word), ' ',
						h('strong', { text: `Département ${q.department}, catégorie ${q.category} : ` }),
						quotaText(q),
						h('span', { class: 'hint', text: ` (${String(q.etp).replace('.', ',')} ETP d’enseignant × ${String(q.coefficient).replace('.', ',')} places)` }));
				}))]
			: h('p', { text: 'Aucun quota : aucun(e) enseignant(e) déclaré(e) pour ce mois.' }));
}

// Monday (Paris date "YYYY-MM-DD") of the week of t.
function weekOf(t) {
	const d = new Date(`${parisDate(t)}T12:00:00Z`);
	d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
	return d.toISOString().slice(0, 10);
}

function weeksChart(exams) {
	const weeks = [];
	const start = new Date(`${weekOf(Date.now())}T12:00:00Z`);
	for (let i = 0; i < 4; i++) {
		const d = new Date(start.getTime() + i * 7 * 86400000);
		weeks.push({ key: d.toISOString().slice(0, 10), label: d.toLocaleDateString('fr-FR', { day: 'numeric', month: 'short', timeZone: 'UTC' }), value: 0 });
	}
	for (const e of exams) {
		const w = weeks.find((x) => x.key === weekOf(e.start_at));
		if (w && e.status !== 'cancelled')
			w.value++;
	}
	return [columns('Examens réservés par semaine, pour les quatre semaines à venir', weeks.map((w) => ({ label: w.label, value: w.value }))),
		h('ul', { class: 'plain week-list' }, weeks.map((w) => h('li', { text: `Semaine du ${w.label} : ${plural(w.value, 'examen')}` })))];
}

function basketBlock(basket) {
	const n = (basket.slots || []).length;
	if (!n)
		return h('p', {}, 'Votre panier est vide. ', h('a', { href: '#/reserver', text: 'Chercher des places' }));
	const left = h('strong', { class: 'countdown' });
	const end = Date.now() + (basket.time_left_ms || 0);
	countdown(left, end, {
		tick: (ms) => {
			left.textContent = ms > 0 ? duration(ms) : 'expiré';
		},
	});
	const missing = basket.slots.filter((s) => !s.candidate_id).length;
	return h('div', { class: 'basket-summary' },
		h('p', {}, icon('clock'), ` ${plural(n, 'place')} dans votre panier, à valider avant ${parisTime(basket.expires_at)} — temps restant : `, left, '.'),
		missing ? h('p', { text: `${plural(missing, 'place')} sans candidat : choisissez-le avant de valider.` }) : null,
		h('p', {}, h('a', { class: 'button', href: '#/reserver', text: 'Ouvrir le panier' })));
}

export async function dayView(ctx) {
	const now = Date.now();
	const months = [parisMonth(now, 0), parisMonth(now, 1)];
	const from = new Date(now - 3600 * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
	const today = new Date().toLocaleDateString('fr-FR', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Paris' });
	const unread = await unreadCount();
	const notices = section('Notifications',
		h('p', { text: unread ? `Vous avez ${plural(unread, 'notification non lue', 'notifications non lues')}.` : 'Aucune notification non lue.' }),
		h('p', {}, h('a', { href: '#/notifications', text: 'Voir les notifications' })));
	let q0, q1, examsRes, basket, names;
	try {
		[q0, q1, examsRes, basket, names] = await Promise.all([
			api('GET', `/api/v1/quotas?month=${months[0]}`),
			api('GET', `/api/v1/quotas?month=${months[1]}`),
			api('GET', `/api/v1/exams?from=${encodeURIComponent(from)}`),
			api('GET', '/api/v1/basket'),
			candidatesById(),
		]);
	} catch (err) {
		// Remote mode: quotas, basket and exams live at the authority;
		// without it, the day still shows what this platform holds.
		if (!(err instanceof ApiError) || !['authority_link_required', 'authority_unreachable'].includes(err.code))
			throw err;
		return [h('h1', { text: 'Ma journée' }),
			ctx.flash ? h('p', { class: 'notice', text: ctx.flash }) : null,
			h('p', { class: 'lead', text: `Nous sommes le ${today}.` }),
			h('p', { class: 'error', role: 'alert' }, err.detail, ' ', h('a', { href: '#/autorite', text: 'Voir la liaison avec l’autorité d’examen' })),
			h('div', { class: 'day-grid' }, notices)];
	}
	const exams = (examsRes.exams || []).slice().sort((a, b) => String(a.start_at).localeCompare(String(b.start_at)));
	const upcoming = exams.filter((e) => e.status === 'booked');
	return [h('h1', { text: 'Ma journée' }),
		ctx.flash ? h('p', { class: 'notice', text: ctx.flash }) : null,
		h('p', { class: 'lead', text: `Nous sommes le ${today}.` }),
		h('div', { class: 'day-grid' },
			notices,
			section('Mon panier', basketBlock(basket))),
		section('Quotas de places',
			h('p', { class: 'hint', text: 'Le quota d’un mois dépend des enseignant(e)s déclaré(e)s (ETP) ; un examen compte pour le mois où il a lieu, une annulation libère sa place.' }),
			h('div', { class: 'quota-months' }, quotaBlock(q0.month || months[0], q0.quotas || []), quotaBlock(q1.month || months[1], q1.quotas || []))),
		section('Examens à venir',
			upcoming.length
				? [weeksChart(upcoming),
					table(`Les ${Math.min(5, upcoming.length)} prochains examens`, ['Date', 'Heure', 'Centre', 'Catégorie', 'Candidat(e)', 'État'],
						upcoming.slice(0, 5).map((e) => [parisDay(e.start_at), parisTime(e.start_at), e.centre || `Département ${e.department}`, e.category,
							candidateLabel(names, e.candidate_id), EXAM_STATUS[e.status] || e.status])),
					h('p', {}, h('a', { href: '#/examens', text: `Voir les ${plural(upcoming.length, 'examen')} à venir` }))]
				: h('p', {}, 'Aucun examen réservé à venir. ', h('a', { href: '#/reserver', text: 'Réserver des places' })))];
}
