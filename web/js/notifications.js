// notifications.js - « Notifications » (every account): what happened,
// one French sentence per notice built from its references, read or not,
// and the unread count shown beside the menu entry.
import { api, ApiError } from './api.js';
import { h, icon } from './dom.js';
import { when } from './format.js';
import { candidateLabel, candidatesById, monthName, parisWhen, plural, REASONS } from './school.js';

const RIGHTS = {
	access: 'd’accès', rectification: 'de rectification', erasure: 'd’effacement',
	restriction: 'de limitation', portability: 'de portabilité', objection: 'd’opposition',
};

function rightsKind(p) {
	return RIGHTS[p.kind] ? `Votre demande ${RIGHTS[p.kind]}` : 'Votre demande d’exercice de vos droits';
}

const RESULTS = { passed: 'réussi', failed: 'non réussi', absent: 'candidat(e) absent(e)' };

function examRef(p) {
	return p.start_at ? `L’examen du ${parisWhen(p.start_at)}` : `L’examen n° ${p.exam_id}`;
}

function quotaRef(p) {
	return `en ${monthName(p.month)}, catégorie ${p.category}, département ${p.department}`;
}

// { title, sentence } of notification n; names: candidate id -> record.
export function describe(n, names = new Map()) {
	const p = n.params || {};
	switch (n.kind) {
	case 'booking.confirmed': {
		const exams = p.exams || [];
		return { title: 'Réservation confirmée',
			sentence: exams.length
				? `${plural(exams.length, 'place d’examen réservée', 'places d’examen réservées')} : ${exams.map((e) => `${candidateLabel(names, e.candidate_id)} (examen n° ${e.exam_id})`).join(', ')}.`
				: 'La réservation d’une place d’examen est confirmée.' };
	}
	case 'booking.cancelled':
		return { title: 'Réservation annulée',
			sentence: `${examRef(p)} a été annulé${p.reason === 'mandate_ended' ? ' : le mandat du candidat a pris fin' : ''}.${p.late ? ' Annulation à moins de 7 jours : le candidat doit attendre 30 jours avant un nouvel examen.' : ''}` };
	case 'booking.replaced':
		return { title: 'Candidat remplacé',
			sentence: `${examRef(p)} a changé de candidat (remplacement ${p.replacements || 1} sur 2 permis).` };
	case 'validation.failed': {
		const failed = p.failed || [];
		return { title: 'Réservation non validée',
			sentence: failed.length
				? `${plural(failed.length, 'place n’a', 'places n’ont')} pas pu être réservée${failed.length > 1 ? 's' : ''} : ${failed.map((f) => REASONS[f.code] || f.code).join(' ')}`
				: 'Une demande de réservation n’a pas été validée.' };
	}
	case 'quota.low':
		return { title: 'Quota presque atteint',
			sentence: `${p.used} places utilisées sur ${p.quota} ${quotaRef(p)}.` };
	case 'quota.full':
		return { title: 'Quota atteint',
			sentence: `Les ${p.quota} places du quota sont utilisées ${quotaRef(p)} : plus aucune réservation possible.` };
	case 'basket.expiring':
		return { title: 'Panier bientôt expiré',
			sentence: `Votre panier de ${plural(p.slots || 0, 'place')} expire le ${parisWhen(p.expires_at)} : validez-le ou libérez ses places avant.` };
	case 'basket.expired':
		return { title: 'Panier expiré',
			sentence: `Votre panier a expiré : ${plural(p.slots || 0, 'place a été libérée', 'places ont été libérées')}.` };
	case 'mandate.created':
		return { title: 'Nouveau mandat',
			sentence: `Un mandat de réservation a été enregistré pour la catégorie ${p.category}${p.candidate && names.has(p.candidate) ? ` (${candidateLabel(names, p.candidate)})` : ''}.` };
	case 'mandate.revoked':
		return { title: 'Mandat révoqué',
			sentence: `Un mandat de réservation de la catégorie ${p.category} a été révoqué : l’auto-école n’a plus accès aux données du candidat.` };
	case 'mandate.expired':
		return { title: 'Mandat expiré',
			sentence: `Un mandat de réservation de la catégorie ${p.category} est arrivé à échéance.` };
	case 'exam.booked':
		return { title: 'Examen réservé',
			sentence: `Votre auto-école vous a réservé l’examen du ${parisWhen(p.start_at)} (heure de Paris), catégorie ${p.category}. Votre convocation est dans « Mes examens ».` };
	case 'exam.cancelled':
		return { title: 'Examen annulé',
			sentence: `${examRef(p)} a été annulé${p.reason === 'mandate_ended' ? ' avec la fin de votre mandat à l’auto-école' : ''}.${p.late ? ' Annulation à moins de 7 jours : un délai de 30 jours s’applique avant un nouvel examen.' : ''}` };
	case 'exam.withdrawn':
		return { title: 'Place attribuée à un autre candidat',
			sentence: `${examRef(p)} a été attribué à un autre candidat par votre auto-école : vous n’y êtes plus convoqué(e).` };
	case 'exam.moved':
		return { title: 'Examen déplacé',
			sentence: `Votre examen${p.from ? ` du ${parisWhen(p.from)}` : ''} a lieu désormais le ${parisWhen(p.start_at)} (heure de Paris). Votre nouvelle convocation est dans « Mes examens ».` };
	case 'exam.result':
		return { title: 'Résultat d’examen',
			sentence: `${examRef(p)} : ${RESULTS[p.result] || p.result}.` };
	case 'rights.request.open':
		return { title: 'Demande enregistrée', sentence: `${rightsKind(p)} est enregistrée ; réponse au plus tard le ${when(p.due_at)}.` };
	case 'rights.request.extended':
		return { title: 'Délai de réponse prolongé', sentence: `${rightsKind(p)} : le délai de réponse est prolongé jusqu’au ${when(p.due_at)}.` };
	case 'rights.request.closed':
		return { title: 'Demande traitée', sentence: `${rightsKind(p)} a été traitée.` };
	case 'rights.request.lifted':
		return { title: 'Limitation levée', sentence: `${rightsKind(p)} : la limitation du traitement de vos données est levée.` };
	case 'rights.request.due':
		return { title: 'Demande à traiter', sentence: `Une demande d’exercice de droits doit recevoir sa réponse au plus tard le ${when(p.due_at)}${p.days_left !== undefined ? ` (${plural(p.days_left, 'jour restant', 'jours restants')})` : ''}.` };
	case 'slot_request.created':
		return { title: 'Demande de changement de place',
			sentence: `Un superviseur régional demande ${p.kind === 'move' ? 'de déplacer' : 'd’annuler'} ${examRef(p).replace('L’', 'l’')} (demande n° ${p.request_id}). Rien ne change avant votre approbation, dans « Demandes à approuver ».` };
	case 'slot_request.decided':
		return { title: 'Demande de changement traitée',
			sentence: `Demande n° ${p.request_id} (examen n° ${p.exam_id}) : ${{ approved: 'approuvée, le changement est fait.', rejected: 'refusée par l’auto-école, rien n’a changé.', failed: `impossible, une règle ne le permet plus (${REASONS[p.rule] || p.rule}) : rien n’a changé.` }[p.state] || p.state}` };
	case 'account.sign_in_failures':
		return { title: 'Tentatives de connexion à votre compte',
			sentence: 'Plusieurs tentatives de connexion à votre compte ont échoué. Si ce n’était pas vous, votre compte n’est pas bloqué : changez par prudence votre mot de passe dans « Mon compte ».' };
	case 'account.password_changed':
		return { title: 'Mot de passe changé',
			sentence: 'Le mot de passe de votre compte a été changé. Si ce n’était pas vous, prévenez sans attendre l’administrateur de votre organisme.' };
	case 'account.mfa_changed':
		return { title: 'Second facteur changé',
			sentence: 'L’application d’authentification de votre compte a été remplacée. Si ce n’était pas vous, prévenez sans attendre l’administrateur de votre organisme.' };
	case 'authority.unreachable':
		return { title: 'Autorité d’examen injoignable',
			sentence: 'L’autorité d’examen ne répond plus : la recherche de places, le panier et la validation attendent son retour ; les listes déjà consultées restent lisibles dans leur dernière copie. Rien n’est réservé en double ; vous serez prévenu(e) de son retour.' };
	case 'authority.restored':
		return { title: 'Autorité d’examen de retour',
			sentence: 'L’autorité d’examen répond à nouveau : vous pouvez reprendre vos réservations. Vérifiez votre panier, ses places peuvent avoir expiré entre-temps.' };
	case 'account.partner_authorised':
		return { title: 'Logiciel autorisé',
			sentence: 'Vous avez autorisé un logiciel partenaire à agir en votre nom. Si ce n’était pas vous, retirez-lui l’accès dans « Applications autorisées ».' };
	case 'account.partner_token_reused':
		return { title: 'Accès d’un logiciel retiré',
			sentence: 'Un jeton déjà utilisé d’un logiciel que vous avez autorisé a été présenté de nouveau : par prudence, son accès a été retiré. Prévenez l’éditeur du logiciel.' };
	default:
		return { title: n.kind && n.kind.startsWith('rights.request.') ? 'Demande d’exercice de droits' : 'Notification',
			sentence: 'Une information vous concerne.' };
	}
}

// The unread count for the menu badge (null when it cannot be read).
export async function unreadCount() {
	try {
		const res = await api('GET', '/api/v1/notifications?unread=1&limit=1');
		return typeof res.unread_count === 'number' ? res.unread_count : null;
	} catch {
		return null;
	}
}

// Updates the badge beside the « Notifications » menu entry to n.
export function setBadge(n) {
	const link = document.querySelector('#nav a[data-section="notifications"]');
	if (!link)
		return;
	let badge = document.getElementById('nav-unread');
	if (!n) {
		if (badge)
			badge.remove();
		link.removeAttribute('aria-describedby');
		return;
	}
	if (!badge) {
		badge = h('span', { id: 'nav-unread', class: 'nav-badge' });
		link.after(badge);
	}
	badge.replaceChildren(String(n), h('span', { class: 'visually-hidden', text: n > 1 ? ' non lues' : ' non lue' }));
	link.setAttribute('aria-describedby', 'nav-unread');
}

export async function refreshBadge() {
	setBadge(await unreadCount());
}

export async function notificationsView(ctx) {
	const staff = ctx.roles.has('school_manager') || ctx.roles.has('trainer');
	const [res, names] = await Promise.all([
		api('GET', '/api/v1/notifications?limit=100'),
		staff ? candidatesById() : Promise.resolve(new Map()),
	]);
	let list = res.notifications || [];
	let unread = res.unread_count || 0;
	const status = h('p', { class: 'notice', role: 'status', 'aria-live': 'polite' });
	const error = h('p', { class: 'error', role: 'alert' });
	const summary = h('p', { class: 'summary' });
	const items = h('ul', { class: 'notifications' });
	const allRead = h('button', { type: 'button', class: 'secondary', text: 'Tout marquer comme lu' });

	function render() {
		summary.textContent = list.length
			? `${plural(list.length, 'notification')}, dont ${unread} non lue${unread > 1 ? 's' : ''}.`
			: 'Aucune notification pour le moment.';
		allRead.hidden = unread === 0;
		setBadge(unread);
		items.replaceChildren(...list.map((n) => {
			const { title, sentence } = describe(n, names);
			const mark = n.read ? null : h('button', { type: 'button', class: 'secondary small', text: 'Marquer comme lue', 'aria-label': `Marquer comme lue : ${title}` });
			if (mark)
				mark.addEventListener('click', async () => {
					mark.disabled = true;
					error.textContent = '';
					try {
						await api('POST', `/api/v1/notifications/${encodeURIComponent(n.id)}/read`);
						n.read = true;
						unread = Math.max(0, unread - 1);
						render();
						status.textContent = `Notification « ${title} » marquée comme lue.`;
						summary.focus();
					} catch (err) {
						mark.disabled = false;
						error.textContent = err instanceof ApiError ? err.detail : 'La notification n’a pas pu être marquée comme lue.';
					}
				});
			return h('li', { class: `notification${n.read ? ' read' : ' unread'}` },
				h('h2', { class: 'notification-title' },
					n.read ? null : h('span', { class: 'badge level-pending' }, icon('clock'), 'Non lue'),
					n.read ? null : ' ',
					title),
				h('p', { class: 'notification-text', text: sentence }),
				h('p', { class: 'hint', text: `Le ${when(n.created_at)}` }),
				mark);
		}));
	}

	allRead.addEventListener('click', async () => {
		allRead.disabled = true;
		error.textContent = '';
		try {
			const r = await api('POST', '/api/v1/notifications/read-all');
			list = list.map((n) => ({ ...n, read: true }));
			unread = 0;
			render();
			status.textContent = `${plural(r.marked || 0, 'notification marquée', 'notifications marquées')} comme lue${(r.marked || 0) > 1 ? 's' : ''}.`;
			summary.focus();
		} catch (err) {
			error.textContent = err instanceof ApiError ? err.detail : 'Les notifications n’ont pas pu être marquées comme lues.';
		} finally {
			allRead.disabled = false;
		}
	});
	summary.setAttribute('tabindex', '-1');
	render();
	return [h('h1', { text: 'Notifications' }),
		ctx.flash ? h('p', { class: 'notice', text: ctx.flash }) : null,
		h('p', { text: 'Ce qui s’est passé pour vous : réservations, paniers, quotas, mandats, demandes. Les plus récentes en premier.' }),
		summary,
		h('div', { class: 'actions' }, allRead),
		error,
		status,
		items];
}
