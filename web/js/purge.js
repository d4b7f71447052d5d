// purge.js - « Rapports de conservation » (DPO): each run of the
// retention engine, newest first: when it ran, how many records it
// removed, and per retention rule and per category of data what it did,
// under the French labels of the processing register. Counts only: the
// reports never hold any of the data removed.
import { api } from './api.js';
import { h, table } from './dom.js';
import { count, when, whenShort } from './format.js';

const LIMIT = 30;

// A rule's status in a run: the word, and whether it is a problem.
const STATUS = {
	applied: 'Appliquée',
	partial: 'Appliquée en partie (une partie du module n’existe pas encore)',
	not_yet: 'Pas encore applicable (module absent)',
	held: 'Conservation légale : jamais purgée',
	failed: 'Échec',
	unknown: 'État inconnu',
};

function records(n) {
	return `${count(n)} donnée${n > 1 ? 's' : ''} supprimée${n > 1 ? 's' : ''}`;
}

function kindText(r) {
	return r.simulated ? 'Simulée (date fictive)' : 'Réelle';
}

function failuresText(r) {
	return r.failures ? `${r.failures} échec${r.failures > 1 ? 's' : ''}` : 'Aucun';
}

// The cutoffs a run applied for rule id, as "25/11/2025 13:47:29" (one
// per purger; several when the rule's parts have their own horizon).
function cutoffs(run, id) {
	const all = (run.purges || []).filter((p) => p.rule === id && p.cutoff).map((p) => whenShort(p.cutoff));
	return [...new Set(all)].join(' ; ') || '—';
}

function runDetails(run, rules, cats, open) {
	const title = `Exécution du ${when(run.started_at)}${run.simulated ? ' (simulée)' : ''}`;
	return h('details', { class: `purge-run${run.failures ? ' level-late' : ''}`, open },
		h('summary', {}, h('span', { class: 'summary-title', text: title }),
			h('span', { class: 'hint', text: ` — ${records(run.total || 0)}${run.failures ? `, ${failuresText(run)}` : ''}` })),
		h('div', {},
			table(`Par règle de conservation (${(run.rules || []).length})`,
				['Règle', 'État', 'Données antérieures au', 'Supprimées'],
				(run.rules || []).map((r) => [rules.get(r.rule) || r.rule,
					r.status === 'failed' ? h('strong', { text: STATUS.failed }) : (STATUS[r.status] || STATUS.unknown),
					['applied', 'partial', 'failed'].includes(r.status) ? cutoffs(run, r.rule) : '—',
					count(r.removed || 0)]), 'purge-table'),
			table(`Par catégorie de données (${(run.categories || []).length})`,
				['Catégorie', 'Supprimées'],
				(run.categories || []).map((c) => [cats.get(c.category) || c.category, count(c.removed || 0)]), 'purge-table')));
}

export async function purgeView() {
	const [reg, { reports = [] }] = await Promise.all([
		api('GET', '/api/v1/register'),
		api('GET', `/api/v1/purge-reports?limit=${LIMIT}`),
	]);
	const rules = new Map((reg.retention_rules || []).map((r) => [r.id, r.label || r.id]));
	const cats = new Map((reg.categories || []).map((c) => [c.id, c.label || c.id]));
	const intro = [h('h1', { text: 'Rapports de conservation' }),
		h('p', { text: 'Chaque jour, Créneau applique les règles de conservation du registre des traitements : il supprime les données dont la durée de conservation est échue et inscrit ici ce qu’il a fait. Ces rapports ne contiennent que des nombres, jamais les données supprimées.' }),
		h('p', {}, 'Les règles et leurs durées sont celles du ', h('a', { href: '#/registre', text: 'registre des traitements' }), '.')];
	if (!reports.length)
		return [...intro,
			h('p', { class: 'notice', text: 'Aucune exécution inscrite pour le moment. La purge a lieu une fois par jour ; un administrateur du serveur peut aussi la lancer avec la commande « creneau retention run ».' })];
	const removed = reports.reduce((s, r) => s + (r.total || 0), 0);
	const failed = reports.filter((r) => r.failures).length;
	return [...intro,
		h('p', { class: 'summary', text: `${reports.length} exécution${reports.length > 1 ? 's' : ''}${reports.length === LIMIT ? ' (les plus récentes)' : ''} : ${records(removed)}${failed ? `, ${failed} avec des échecs` : ', sans échec'}.` }),
		h('section', { 'aria-labelledby': 'purge-runs' },
			h('h2', { id: 'purge-runs', text: 'Exécutions' }),
			table(`Exécutions de la purge, de la plus récente à la plus ancienne (${reports.length})`,
				['Date', 'Type', 'Données supprimées', 'Règles appliquées', 'Échecs'],
				reports.map((r) => [whenShort(r.started_at), kindText(r), count(r.total || 0),
					`${(r.rules || []).filter((x) => x.status === 'applied' || x.status === 'partial').length} sur ${(r.rules || []).length}`,
					failuresText(r)]), 'purge-table')),
		h('section', { 'aria-labelledby': 'purge-detail' },
			h('h2', { id: 'purge-detail', text: 'Détail par exécution' }),
			h('p', { class: 'hint', text: 'Ouvrez une exécution pour lire, règle par règle et catégorie par catégorie, ce qui a été supprimé.' }),
			reports.map((r, i) => runDetails(r, rules, cats, i === 0)))];
}
