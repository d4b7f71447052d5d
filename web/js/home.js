// home.js - « Accueil »: where a role lands after signing in, with what
// it came for, read from the routes its own pages already use:
//  - dispatcher: today's published places and the registry import;
//  - DPO: what is due (open rights requests and their deadline, breaches
//    still to notify, the last retention reports);
//  - school administrator: the staff and the slot requests to approve;
//  - trainer: the coming exams of the candidates entrusted to them
//    (GET /api/v1/trainer/exams), then those candidates;
//  - candidate: their exams and mandates, and their dossier when an
//    association holds one.
// Each block loads on its own: one that fails says so and the others
// still show.
import { api, ApiError } from './api.js';
import { h, table } from './dom.js';
import { count, isoUtc, when, whenShort } from './format.js';
import { clockOf } from './breaches.js';
import { dueOf, RIGHT_KINDS } from './rights.js';
import { addDays, EXAM_STATUS, parisDate, parisDay, parisStart, parisTime, personName, plural, section } from './school.js';

const MANDATE_STATES = {
	pending: 'En attente', active: 'Actif', revoked: 'Révoqué', expired: 'Expiré', ended: 'Terminé',
};

const SLOT_STATES = { free: 'Libre', held: 'Dans un panier', booked: 'Réservée', withdrawn: 'Retirée' };

const DOSSIER_STATES = {
	brouillon: 'Brouillon : complétez votre dossier puis envoyez-le.',
	soumis: 'Envoyé : un validateur de l’association va l’examiner.',
	a_completer: 'À compléter : lisez le commentaire du validateur, complétez puis renvoyez.',
	valide: 'Validé.',
	refuse: 'Refusé.',
};

const go = (href, text) => h('p', { class: 'home-link' }, h('a', { href, text }));

// A block titled title whose content load() returns; its failure is
// said in the block.
async function block(title, load) {
	let nodes;
	try {
		nodes = await load();
	} catch (err) {
		if (err instanceof ApiError && err.status === 401)
			throw err;
		nodes = h('p', { class: 'error', text: err instanceof ApiError ? err.detail : 'Ce bloc n’a pas pu être chargé.' });
	}
	return section(title, nodes);
}

// ------------------------------------------------------------ dispatcher

async function dispatcherBlocks() {
	const today = parisDate(Date.now());
	const from = isoUtc(parisStart(today));
	const to = isoUtc(parisStart(addDays(today, 1)));
	return [
		await block('Places publiées aujourd’hui', async () => {
			const q = new URLSearchParams({ from, to, limit: '50', offset: '0' });
			const { slots = [] } = await api('GET', `/api/v1/authority/slots?${q}`);
			const free = slots.filter((s) => s.state === 'free').length;
			return [h('p', { class: 'summary', text: slots.length
				? `${plural(slots.length, 'place')} aujourd’hui, dont ${plural(free, 'libre')}.`
				: 'Aucune place publiée pour aujourd’hui.' }),
			slots.length ? h('ul', { class: 'plain home-list' }, slots.slice(0, 10).map((s) =>
				h('li', {}, h('strong', { text: parisTime(s.start_at) }), ` · catégorie ${s.category} · ${SLOT_STATES[s.state] || s.state}`))) : null,
			go('#/publier', 'Publier des places'),
			go('#/places', 'Voir toutes les places publiées')];
		}),
		section('Registre des candidats',
			h('p', { text: 'Importez le registre (CSV) pour que les auto-écoles puissent réserver pour leurs candidats.' }),
			go('#/registre-candidats', 'Importer le registre des candidats')),
	];
}

// ------------------------------------------------------------------- DPO

async function dpoBlocks() {
	return [
		await block('Demandes d’exercice des droits en cours', async () => {
			const { requests = [] } = await api('GET', '/api/v1/rights-requests');
			const open = requests.filter((r) => dueOf(r).level !== 'done')
				.sort((a, b) => String(a.due_at).localeCompare(String(b.due_at)));
			return [open.length
				? h('ul', { class: 'plain home-list' }, open.map((r) => {
					const d = dueOf(r);
					return h('li', { class: `level-${d.level}` },
						h('a', { href: `#/demandes-droits/${encodeURIComponent(r.id)}`, text: RIGHT_KINDS[r.kind] || r.kind }),
						' · ', h('span', { class: 'badge', text: d.word }), ` échéance le ${when(r.due_at)}`);
				}))
				: h('p', { text: 'Aucune demande en cours.' }),
			go('#/demandes-droits', 'Toutes les demandes')];
		}),
		await block('Violations à notifier', async () => {
			const { breaches = [] } = await api('GET', '/api/v1/breaches');
			const open = breaches.filter((b) => ['pending', 'overdue'].includes(b.clock && b.clock.state));
			return [open.length
				? h('ul', { class: 'plain home-list' }, open.map((b) => {
					const c = clockOf(b);
					return h('li', { class: `level-${c.level}` },
						h('a', { href: `#/violations/${encodeURIComponent(b.id)}`, text: `Violation constatée le ${when(b.discovered_at)}` }),
						' · ', h('span', { class: 'badge', text: c.badge }), ` ${c.sentence}`);
				}))
				: h('p', { text: 'Aucune violation à notifier.' }),
			go('#/violations', 'Le registre des violations')];
		}),
		await block('Rapports de conservation', async () => {
			const { reports = [] } = await api('GET', '/api/v1/purge-reports?limit=5');
			const last = reports[0];
			return [h('p', { text: last
				? `Dernière purge le ${whenShort(last.started_at)} : ${count(last.total || 0)} donnée(s) supprimée(s)${last.failures ? ', avec des échecs' : ', sans échec'}.`
				: 'Aucune purge inscrite pour le moment.' }),
			go('#/rapports-conservation', 'Les rapports de conservation')];
		}),
	];
}

// -------------------------------------------------- school administrator

async function schoolAdminBlocks(ctx) {
	return [
		await block('Demandes à approuver', async () => {
			const { requests = [] } = await api('GET', '/api/v1/slot-requests/queue');
			const pending = requests.filter((x) => x.state === 'pending');
			return [h('p', { class: 'summary', text: pending.length
				? `${plural(pending.length, 'demande')} de changement en attente de votre décision.`
				: 'Aucune demande en attente.' }),
			go('#/demandes-a-approuver', 'Demandes à approuver')];
		}),
		await block('Personnel', async () => {
			const { accounts = [] } = await api('GET', `/api/v1/orgs/${encodeURIComponent(ctx.me.org_id)}/accounts`);
			const staff = accounts.filter((a) => (a.roles || []).some((r) => r !== 'candidate'));
			const active = staff.filter((a) => !a.disabled).length;
			return [h('p', { class: 'summary', text: `${plural(active, 'compte actif', 'comptes actifs')} sur ${plural(staff.length, 'compte')} du personnel.` }),
				go('#/personnel', 'Gérer le personnel')];
		}),
	];
}

// --------------------------------------------------------------- trainer

// The town of a centre's address ("12 rue…, 44400 Rezé" → "Rezé"), or
// the whole address when it has no postcode.
function townOf(address) {
	const m = /\b\d{5}\s+(.+)$/.exec(address || '');
	return m ? m[1].trim() : (address || '');
}

async function trainerBlocks() {
	return [await block('Prochains examens de vos candidats', async () => {
		const { exams = [] } = await api('GET', '/api/v1/trainer/exams');
		const sorted = exams.slice().sort((a, b) => String(a.start_at).localeCompare(String(b.start_at)));
		return [sorted.length
			? table(`${plural(sorted.length, 'examen')} à venir`, ['Date (heure de Paris)', 'Candidat(e)', 'Catégorie', 'Centre d’examen', 'Convocation'],
				sorted.map((e) => [`${parisDay(e.start_at)} à ${parisTime(e.start_at)}`,
					h('a', { href: `#/candidats/${encodeURIComponent(e.candidate_id)}`, text: personName(e) }),
					e.category,
					[e.centre || 'Centre', e.address ? ` (${townOf(e.address)})` : ''],
					h('a', {
						href: `/api/v1/trainer/exams/${encodeURIComponent(e.id)}/convocation`, download: `convocation-${e.id}.pdf`,
						class: 'convocation', text: 'Convocation', 'aria-label': `Convocation de ${personName(e)} (PDF)`,
					})]))
			: h('p', { class: 'empty', text: 'Aucun examen à venir pour vos candidats.' }),
		h('p', { class: 'hint', text: 'Les examens sont réservés par la gestion de l’auto-école ; chaque candidat reçoit sa convocation, que vous pouvez aussi imprimer ici.' })];
	}), await block('Mes candidats', async () => {
		const { candidates = [] } = await api('GET', '/api/v1/candidates');
		const sorted = candidates.slice().sort((a, b) => personName(a).localeCompare(personName(b), 'fr'));
		return [sorted.length
			? table(plural(sorted.length, 'candidat'), ['Candidat(e)', 'Catégorie', 'Mandat jusqu’au'],
				sorted.map((c) => [h('a', { href: `#/candidats/${encodeURIComponent(c.id)}`, text: personName(c) }), c.category, when(c.mandate_expires_at)]))
			: h('p', { class: 'empty', text: 'Aucun candidat ne vous est confié pour le moment : la gestion de votre auto-école vous les attribue.' }),
		go('#/candidats', 'Tous mes candidats')];
	})];
}

// ------------------------------------------------------------- candidate

async function candidateBlocks() {
	const [{ exams = [] }, { mandates = [] }, { associations = [] }] = await Promise.all([
		api('GET', '/api/v1/me/exams'),
		api('GET', '/api/v1/me/mandates'),
		api('GET', '/api/v1/me/dossiers').catch(() => ({ associations: [] })),
	]);
	const coming = exams.filter((e) => new Date(e.start_at).getTime() > Date.now())
		.sort((a, b) => String(a.start_at).localeCompare(String(b.start_at)));
	const examBlock = section('Mes prochains examens',
		coming.length
			? h('ul', { class: 'plain home-list' }, coming.map((e) => h('li', {},
				h('strong', { text: `${parisDay(e.start_at)} à ${parisTime(e.start_at)}` }),
				` · ${e.centre || 'centre'} · catégorie ${e.category} · ${EXAM_STATUS[e.status] || e.status}`)))
			: h('p', { text: 'Aucun examen à venir.' }),
		go('#/mes-examens', 'Mes examens et mes convocations'));
	const mandateBlock = section('Mes mandats',
		mandates.length
			? h('ul', { class: 'plain home-list' }, mandates.map((m) => h('li', {},
				h('strong', { text: m.school_name || 'Auto-école' }),
				` · catégorie ${m.category} · ${MANDATE_STATES[m.state] || m.state}`)))
			: h('p', { text: 'Vous n’avez donné de mandat à aucune auto-école.' }),
		go('#/mes-mandats', 'Gérer mes mandats'));
	let dossierBlock = null;
	let dossier = null;
	if (associations.length) {
		const org = associations[0];
		try {
			dossier = await api('GET', `/api/v1/me/dossiers/${encodeURIComponent(org.id)}`);
		} catch (err) {
			if (!(err instanceof ApiError) || err.status !== 404)
				throw err;
		}
		dossierBlock = section('Mon dossier',
			h('p', { text: dossier
				? `${org.name || 'Association'} : ${DOSSIER_STATES[dossier.state] || dossier.state}`
				: `${org.name || 'Association'} : aucun dossier commencé.` }),
			go('#/mon-dossier', dossier ? 'Ouvrir mon dossier' : 'Commencer mon dossier'));
	}
	// A family with a dossier and no exam comes for the dossier first.
	if (dossier && !exams.length && !mandates.length)
		return [dossierBlock, examBlock, mandateBlock];
	return [examBlock, mandateBlock, dossierBlock];
}

export async function homeView(ctx) {
	const r = ctx.roles;
	const blocks = [];
	if (r.has('dispatcher'))
		blocks.push(...await dispatcherBlocks());
	if (r.has('dpo'))
		blocks.push(...await dpoBlocks());
	if (r.has('school_admin'))
		blocks.push(...await schoolAdminBlocks(ctx));
	if (r.has('trainer'))
		blocks.push(...await trainerBlocks());
	if (r.has('candidate'))
		blocks.push(...await candidateBlocks());
	const name = ctx.me.display_name ? `, ${ctx.me.display_name}` : '';
	return [h('h1', { text: 'Accueil' }),
		ctx.flash ? h('p', { class: 'notice', role: 'status', text: ctx.flash }) : null,
		h('p', { class: 'lead', text: `Bonjour${name}. Voici ce qui vous attend aujourd’hui.` }),
		...blocks];
}
