// register.js - "Registre des traitements" (DPO): the GDPR Art. 30
// register the server renders from its data map, as readable sections
// and tables, with its HTML and CSV exports to download.
import { api } from './api.js';
import { dl, h, table } from './dom.js';

const KINDS = {
	time: 'Durée fixe',
	event: 'À compter d’un événement',
	inactivity: 'Après une période d’inactivité',
	legal_hold: 'Conservation légale',
};

function retentionText(r) {
	if (!r)
		return 'non déclarée';
	return r.description || r.label || r.id;
}

function categoryItem(c) {
	return h('li', {}, c.label,
		c.sensitive ? h('strong', { class: 'tag', text: 'donnée sensible' }) : null,
		h('span', { class: 'hint' }, ` — conservation : ${retentionText(c.retention)}`));
}

function activity(a) {
	return h('details', { class: 'activity' },
		h('summary', {}, h('span', { class: 'summary-title', text: a.name || a.id })),
		dl([
			['Finalités', a.purposes],
			['Base légale', (a.legal_basis || []).map((b) => b.label || b.code).join(' ; ')],
			['Personnes concernées', a.data_subjects],
			['Catégories de données', (a.data_categories || []).length
				? h('ul', { class: 'plain' }, a.data_categories.map(categoryItem)) : null],
			['Destinataires', a.recipients],
			['Sous-traitants', a.processors],
			['Transferts hors de l’Union européenne', a.transfers],
			['Durée de conservation', a.retention ? retentionText(a.retention) : null],
			['Mesures de sécurité', a.security_measures],
		]));
}

export async function registerView() {
	const reg = await api('GET', '/api/v1/register');
	const ctl = reg.controller || {};
	const activities = reg.activities || [];
	const categories = reg.categories || [];
	const rules = reg.retention_rules || [];
	return [h('h1', { text: 'Registre des traitements' }),
		h('p', { class: 'lead', text: reg.title || 'Registre des activités de traitement (RGPD, article 30)' }),
		h('p', { class: 'hint', text: 'Tenu à jour à partir de la cartographie des données que le serveur applique : ce que vous lisez ici est ce que Créneau fait.' }),
		h('ul', { class: 'downloads' },
			h('li', {}, h('a', { href: '/api/v1/register?format=html', download: 'registre-traitements.html', text: 'Télécharger le registre (HTML, imprimable)' })),
			h('li', {}, h('a', { href: '/api/v1/register?format=csv', download: 'registre-traitements.csv', text: 'Télécharger le registre (CSV, tableur)' }))),
		h('section', { 'aria-labelledby': 'reg-controller' },
			h('h2', { id: 'reg-controller', text: 'Responsable du traitement' }),
			dl([
				['Nom', ctl.name],
				['Adresse', ctl.address],
				['Contact', ctl.contact],
				['Délégué(e) à la protection des données', ctl.dpo],
			])),
		h('section', { 'aria-labelledby': 'reg-activities' },
			h('h2', { id: 'reg-activities', text: `Activités de traitement (${activities.length})` }),
			h('p', { class: 'hint', text: 'Ouvrez une activité pour lire sa fiche complète.' }),
			activities.map(activity)),
		h('section', { 'aria-labelledby': 'reg-categories' },
			h('h2', { id: 'reg-categories', text: `Catégories de données (${categories.length})` }),
			table('Catégories de données et leur durée de conservation',
				['Catégorie', 'Donnée sensible', 'Durée de conservation'],
				categories.map((c) => [c.label || c.id, c.sensitive ? 'Oui' : 'Non', retentionText(c.retention)]))),
		h('section', { 'aria-labelledby': 'reg-rules' },
			h('h2', { id: 'reg-rules', text: `Règles de conservation (${rules.length})` }),
			table('Règles de conservation appliquées par le serveur',
				['Règle', 'Type', 'Application'],
				rules.map((r) => [r.label || r.id, KINDS[r.kind] || r.kind || '—', r.description || '—'])))];
}
