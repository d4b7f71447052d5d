// register.js - the GDPR Art. 30 registers the server renders from its
// data map, as readable sections and tables with their HTML and CSV
// exports to download: the instance's (DPO), a client organisation's own
// (its admin) and the operator's as processor of every client (platform).
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

function downloads(url, base, what) {
	return h('ul', { class: 'downloads' },
		h('li', {}, h('a', { href: `${url}?format=html`, download: `${base}.html`, text: `Télécharger ${what} (HTML, imprimable)` })),
		h('li', {}, h('a', { href: `${url}?format=csv`, download: `${base}.csv`, text: `Télécharger ${what} (CSV, tableur)` })));
}

// One Art. 30(1) register read from url, under the page title title.
async function controllerRegister(url, base, title, hint) {
	const reg = await api('GET', url);
	const ctl = reg.controller || {};
	const activities = reg.activities || [];
	const categories = reg.categories || [];
	const rules = reg.retention_rules || [];
	return [h('h1', { text: title }),
		h('p', { class: 'lead', text: reg.title || 'Registre des activités de traitement (RGPD, article 30)' }),
		h('p', { class: 'hint', text: hint }),
		downloads(url, base, 'le registre'),
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

export function registerView() {
	return controllerRegister('/api/v1/register', 'registre-traitements', 'Registre des traitements',
		'Tenu à jour à partir de la cartographie des données que le serveur applique : ce que vous lisez ici est ce que Créneau fait.');
}

// The organisation's own register: it is the controller, the operator its
// processor; its contact, DPO and retention choices come from its settings.
export function orgRegisterView(ctx) {
	const org = encodeURIComponent(ctx.me.org_id);
	return controllerRegister(`/api/v1/orgs/${org}/register`, 'registre-organisme', 'Registre de l’organisme',
		'Votre registre de responsable du traitement, tiré de la cartographie que le serveur applique : les activités menées pour un organisme comme le vôtre, vos coordonnées et celles de votre délégué(e) et vos durées de conservation (à régler dans « Réglages de l’organisme »).');
}

const STATES = { active: 'Actif', suspended: 'Suspendu', terminated: 'Résilié', deleted: 'Supprimé' };

// The operator's register as processor of every client (Art. 30(2)).
export async function processorRegisterView() {
	const url = '/api/v1/processor-register';
	const reg = await api('GET', url);
	const p = reg.processor || {};
	const clients = reg.clients || [];
	const acts = reg.activities || [];
	const names = Object.fromEntries(acts.map((a) => [a.id, a.name || a.id]));
	return [h('h1', { text: 'Registre de sous-traitant' }),
		h('p', { class: 'lead', text: reg.title }),
		downloads(url, 'registre-sous-traitant', 'le registre de sous-traitant'),
		h('section', { 'aria-labelledby': 'proc-self' },
			h('h2', { id: 'proc-self', text: 'Sous-traitant' }),
			dl([
				['Nom', p.name],
				['Adresse', p.address],
				['Contact', p.contact],
				['Délégué(e) à la protection des données', p.dpo],
			])),
		h('section', { 'aria-labelledby': 'proc-clients' },
			h('h2', { id: 'proc-clients', text: `Organismes clients (${clients.length})` }),
			table('Organismes pour le compte desquels les traitements sont effectués',
				['Organisme', 'État', 'Contact', 'Délégué(e)', 'Catégories de traitement'],
				clients.map((c) => [c.name, STATES[c.state] || c.state, c.contact || '—', c.dpo || '—',
					(c.activities || []).map((id) => names[id] || id).join(' ; ')]))),
		h('section', { 'aria-labelledby': 'proc-acts' },
			h('h2', { id: 'proc-acts', text: 'Transferts et mesures de sécurité' }),
			acts.map((a) => h('details', { class: 'activity' },
				h('summary', {}, h('span', { class: 'summary-title', text: a.name || a.id })),
				dl([
					['Transferts hors de l’Union européenne', a.transfers],
					['Mesures de sécurité', a.security_measures],
				]))))];
}
