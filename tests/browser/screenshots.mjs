// screenshots.mjs - PNGs of the main pages of the web UI under
// docs/screenshots/ (`make screenshots`), taken in Debian's Chromium
// against the real binary with the demo data, like the browser test.
//
// To add a page, add an entry to PAGES:
//   file      the PNG's name under docs/screenshots/
//   as        the demo role signed in (a role name printed by demo-data,
//             onboarded once with a new password and TOTP), or null for
//             a visitor
//   path      the address after the host ("/#/registre"), or a function
//             of the data that SETUP returned for that role
//   heading   the h1 (text or RegExp) to wait for before the capture
//   prepare   optional async (page, data): what to do on the page first
//   viewport  optional { width, height } (default 1280 x 900)
//   fullPage  optional, true by default: the whole page, not the window
// SCREENSHOTS_ONLY=reserver.png,examens.png takes only those files.
// SETUP maps a role to an async (page) run once after it signed in, to
// create what its pages show; what it returns is given to path/prepare.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, localInputHoursAgo, onboard, root, startServer, waitHeading } from './lib.mjs';

const OUT = join(root, 'docs', 'screenshots');

// A JSON call from the page, with its session and CSRF token.
function apiCall(page, method, path, body) {
	return page.evaluate(async ([m, p, b]) => {
		const xsrf = (document.cookie.match(/(?:^|;\s*)XSRF-TOKEN=([^;]*)/) || [])[1] || '';
		const r = await fetch(p, {
			method: m,
			headers: { 'Content-Type': 'application/json', 'X-XSRF-TOKEN': decodeURIComponent(xsrf) },
			body: b === undefined ? undefined : JSON.stringify(b),
		});
		if (!r.ok)
			throw new Error(`${m} ${p}: ${r.status} ${await r.text()}`);
		return r.json();
	}, [method, path, body]);
}

// The Art. 33(3) facts of a sample incident discovered hours ago.
function incident(hours, nature, highRisk) {
	return {
		discovered_at: new Date(Date.now() - hours * 3600 * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
		high_risk: highRisk,
		people_count: highRisk ? 120 : 8,
		records_count: highRisk ? 340 : 8,
		nature,
		people_categories: highRisk ? 'Candidats au permis de conduire' : 'Enseignants de la conduite',
		record_categories: highRisk ? 'Identité, coordonnées, numéros NEPH' : 'Plannings de leçons',
		consequences: highRisk ? 'Hameçonnage ciblé des candidats.' : 'Leçons reportées.',
		measures: highRisk ? 'Demande de suppression au destinataire, information des candidats.' : 'Restauration depuis la sauvegarde.',
	};
}

const SETUP = {
	// The appointments' admin: the organisation of the booking address.
	async agent_admin(page) {
		const me = await apiCall(page, 'GET', '/api/v1/me');
		return { org: me.org_id };
	},
	// The school manager: two exams booked, a basket of two slots (one
	// without its candidate yet), a notification.
	async 'gestion@tilleuls.example'(page) {
		const { candidates } = await apiCall(page, 'GET', '/api/v1/candidates');
		const { slots } = await apiCall(page, 'GET', '/api/v1/slots?department=44&category=B');
		const basket = await apiCall(page, 'GET', '/api/v1/basket');
		await apiCall(page, 'POST', `/api/v1/baskets/${basket.id}/slots`, {
			slots: [{ slot_id: slots[0].id, candidate_id: candidates[0].id }, { slot_id: slots[3].id, candidate_id: candidates[1].id }],
		});
		await apiCall(page, 'POST', `/api/v1/baskets/${basket.id}/validation`);
		await apiCall(page, 'POST', `/api/v1/baskets/${basket.id}/slots`, {
			slots: [{ slot_id: slots[20].id, candidate_id: candidates[2].id }, { slot_id: slots[21].id }],
		});
		return { candidate: candidates[0].id };
	},
	async 'dpo@tilleuls.example'(page) {
		const urgent = await apiCall(page, 'POST', '/api/v1/breaches', incident(5,
			'Perte de confidentialité : un export de la liste des candidats a été envoyé par erreur à un destinataire extérieur.', true));
		await apiCall(page, 'POST', '/api/v1/breaches', incident(80,
			'Perte de disponibilité : le planning a été inaccessible pendant une journée.', false));
		const done = await apiCall(page, 'POST', '/api/v1/breaches', incident(30,
			"Perte d'intégrité : des dates d'examen ont été modifiées par un compte compromis.", false));
		await apiCall(page, 'POST', `/api/v1/breaches/${done.id}`, { cnil_notified: true });
		return { breach: urgent.id };
	},
	// Exam authority, candidate's space, rights requests.
	async dispatcher(page) {
		const { schools } = await apiCall(page, 'GET', '/api/v1/schools');
		return { school: schools.find((x) => x.name.includes('Tilleuls')).org_id };
	},
	async candidate(page) {
		await apiCall(page, 'POST', '/api/v1/me/rights-requests', { kind: 'rectification', message: 'Mon adresse e-mail a changé.' });
		return {};
	},
	// The regional supervisor: a move asked on an exam of the region
	// (the manager's, set up before), waiting for the administrator.
	async 'supervision@demo.example'(page) {
		const { exams } = await apiCall(page, 'GET', '/api/v1/planning/exams');
		if (exams.length) {
			const { slots } = await apiCall(page, 'GET', `/api/v1/planning/slots?category=${exams[0].category}`);
			await apiCall(page, 'POST', '/api/v1/slot-requests', {
				exam_id: exams[0].id, kind: 'move', target_slot_id: slots[slots.length - 1].id, reason: 'Inspecteur indisponible ce jour-là',
			});
		}
		return {};
	},
};

// The Monday of next week (local time), "YYYY-MM-DD": the agenda's
// pictures show a full week of the demo's opening hours.
function nextMonday() {
	const d = new Date();
	d.setDate(d.getDate() + ((8 - d.getDay()) % 7 || 7));
	const p = (n) => String(n).padStart(2, '0');
	return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

// The agenda with the free slots of « Premier accueil social » shown.
async function freeSlots(page) {
	await page.getByLabel('Créneaux libres pour le motif').selectOption({ label: 'Premier accueil social (Sur place, 45 min)' });
	await page.locator('.agenda-free button').first().waitFor();
}

const PAGES = [
	{ file: 'connexion.png', as: null, path: '/', heading: 'Connexion' },
	{ file: 'mon-compte.png', as: 'dpo@tilleuls.example', path: '/#/compte', heading: 'Mon compte' },
	{
		file: 'mon-compte-telephone.png', as: 'dpo@tilleuls.example', path: '/#/compte', heading: 'Mon compte',
		viewport: { width: 390, height: 844 }, fullPage: false,
		prepare: (page) => page.getByRole('button', { name: 'Menu' }).click(),
	},
	{ file: 'mes-donnees.png', as: 'dpo@tilleuls.example', path: '/#/mes-donnees', heading: 'Mes données' },
	{
		file: 'registre.png', as: 'dpo@tilleuls.example', path: '/#/registre', heading: 'Registre des traitements',
		prepare: (page) => page.locator('details.activity summary').first().click(),
	},
	{ file: 'violations.png', as: 'dpo@tilleuls.example', path: '/#/violations', heading: 'Violations de données' },
	{
		file: 'violation.png', as: 'dpo@tilleuls.example', path: (d) => `/#/violations/${d.breach}`, heading: /^Violation constatée/,
		prepare: async (page) => {
			await page.getByRole('button', { name: 'Générer le texte de notification' }).click();
			await page.getByLabel('Texte de la notification à la CNIL').waitFor();
		},
	},
	{ file: 'violation-nouvelle.png', as: 'dpo@tilleuls.example', path: '/#/violations/nouvelle', heading: 'Déclarer une violation de données',
		prepare: (page) => page.getByLabel('Date et heure de la constatation').fill(localInputHoursAgo(2)) },
	{
		file: 'audit.png', as: 'dpo@tilleuls.example', path: '/#/audit', heading: "Piste d'audit",
		prepare: async (page) => {
			await page.getByRole('button', { name: "Vérifier l'intégrité" }).click();
			await page.locator('.verify-result').filter({ hasText: 'intacte' }).waitFor();
			await page.getByLabel('Action', { exact: true }).fill('breach.open');
			await page.getByRole('button', { name: 'Rechercher' }).click();
			await page.locator('main table').waitFor();
		},
	},
	{ file: 'journal.png', as: 'dpo@tilleuls.example', path: '/#/journal', heading: 'Journal des connexions' },
	// Exam authority, candidate's space, rights requests.
	{ file: 'centres.png', as: 'dispatcher', path: '/#/centres', heading: "Centres d'examen" },
	{
		file: 'publier.png', as: 'dispatcher', path: '/#/publier', heading: 'Publier des places',
		prepare: async (page) => {
			await page.getByLabel("Pseudonyme de l'inspecteur").fill('INSP-44-2');
			await page.getByRole('button', { name: 'Ajouter une place' }).click();
			await page.getByRole('button', { name: 'Ajouter une place' }).click();
			await page.getByRole('group', { name: 'Place 3' }).getByLabel("Pseudonyme de l'inspecteur").fill('INSP 44 2');
			await page.getByRole('button', { name: 'Publier les places' }).click();
			await page.locator('main [aria-invalid="true"]').first().waitFor();
		},
	},
	{ file: 'places.png', as: 'dispatcher', path: '/#/places', heading: 'Places publiées' },
	{
		file: 'registre-candidats.png', as: 'dispatcher', path: '/#/registre-candidats', heading: 'Registre des candidats',
		prepare: async (page) => {
			await page.getByLabel('Fichier CSV du registre').setInputFiles({ name: 'registre.csv', mimeType: 'text/csv',
				buffer: Buffer.from('neph;last_name;first_names;category;gearbox;email\n123456789012;Martin;Léa;B;manual;\n12;Durand;Paul;B;manual;\n123456789014;Petit;Inès;Z;automatic;\n') });
			await page.getByRole('button', { name: 'Importer le fichier' }).click();
			await page.locator('.errors-table').waitFor();
		},
	},
	{ file: 'coefficients.png', as: 'dispatcher', path: '/#/coefficients', heading: 'Coefficients' },
	{ file: 'auto-ecoles.png', as: 'dispatcher', path: (d) => `/#/auto-ecoles/${d.school}`, heading: 'Auto-écoles' },
	{ file: 'resultats.png', as: 'dispatcher', path: '/#/resultats', heading: 'Résultats' },
	{ file: 'mes-mandats.png', as: 'candidate', path: '/#/mes-mandats', heading: 'Mes mandats' },
	{ file: 'mes-examens.png', as: 'candidate', path: '/#/mes-examens', heading: 'Mes examens' },
	{ file: 'mes-consentements.png', as: 'candidate', path: '/#/mes-consentements', heading: 'Mes consentements' },
	{ file: 'mes-demandes.png', as: 'candidate', path: '/#/mes-demandes', heading: 'Mes demandes' },
	{ file: 'rectifier.png', as: 'candidate', path: '/#/rectifier', heading: 'Rectifier mon nom' },
	// The candidate's request reaches the DPO of the people's place.
	{ file: 'demandes-droits.png', as: 'dpo@demo.example', path: '/#/demandes-droits', heading: "Demandes d'exercice des droits" },
	{
		file: 'demande-droits.png', as: 'dpo@demo.example', path: '/#/demandes-droits', heading: "Demandes d'exercice des droits",
		prepare: async (page) => {
			await page.getByRole('link', { name: 'Rectification (art. 16)' }).click();
			await waitHeading(page, /^Demande : Rectification/);
		},
	},
	{ file: 'ma-journee.png', as: 'gestion@tilleuls.example', path: '/#/ma-journee', heading: 'Ma journée',
		prepare: async (page) => { // the landing page, shown before SETUP: again
			await page.reload();
			await waitHeading(page, 'Ma journée');
		} },
	{ file: 'reserver.png', as: 'gestion@tilleuls.example', path: '/#/reserver', heading: 'Réserver des places',
		viewport: { width: 1280, height: 1500 }, fullPage: false,
		prepare: async (page) => {
			await page.locator('table.slot-grid').first().waitFor();
			await page.locator('.slot-pick input[type="checkbox"]').first().check();
			await page.evaluate(() => window.scrollTo(0, 0));
		} },
	{ file: 'examens.png', as: 'gestion@tilleuls.example', path: '/#/examens', heading: 'Examens' },
	{ file: 'candidats.png', as: 'gestion@tilleuls.example', path: '/#/candidats', heading: 'Candidats' },
	{ file: 'candidat.png', as: 'gestion@tilleuls.example', path: (d) => `/#/candidats/${d.candidate}`, heading: /\S/ },
	{ file: 'notifications.png', as: 'gestion@tilleuls.example', path: '/#/notifications', heading: 'Notifications' },
	{ file: 'reserver-telephone.png', as: 'gestion@tilleuls.example', path: '/#/reserver', heading: 'Réserver des places',
		viewport: { width: 390, height: 844 }, fullPage: false,
		prepare: async (page) => { // the day tabs and the basket's bar
			await page.getByRole('tab').first().waitFor();
			// The list is drawn again when the narrow layout takes over.
			await page.waitForFunction(() => {
				const list = document.querySelector('[role="tablist"]');
				list?.scrollIntoView({ block: 'center' });
				return list && list.getBoundingClientRect().top > 0;
			});
		} },
	// Regional supervision and the administrator's approvals.
	{ file: 'planning-regional.png', as: 'supervision@demo.example', path: '/#/planning-regional', heading: 'Planning régional' },
	{ file: 'demandes-changement.png', as: 'supervision@demo.example', path: '/#/demandes-changement', heading: 'Demandes de changement' },
	{ file: 'demandes-a-approuver.png', as: 'school_admin', path: '/#/demandes-a-approuver', heading: 'Demandes à approuver' },
	// School administration's staff, DPO's purge reports.
	{
		file: 'personnel.png', as: 'school_admin', path: '/#/personnel', heading: 'Personnel',
		prepare: async (page) => {
			await page.getByLabel('Nom et prénom').fill('Lucie Moniteur');
			await page.getByLabel('Adresse e-mail professionnelle').fill('lucie.moniteur@tilleuls.example');
			await page.getByLabel(/^Enseignant\(e\) de la conduite/).check();
			await page.getByRole('button', { name: 'Créer le compte' }).click();
			await page.locator('.password-panel').waitFor();
		},
	},
	{ file: 'contacts.png', as: 'school_admin', path: '/#/contacts', heading: 'Contacts' },
	{ file: 'rapports-conservation.png', as: 'dpo@tilleuls.example', path: '/#/rapports-conservation', heading: 'Rapports de conservation' },
	// Appointments: an agent's week and day, the booking dialog, the
	// configuration, online booking on a phone, « Mes rendez-vous ».
	{ file: 'agenda.png', as: 'as.martin@solidarites44.example', path: () => `/#/agenda/semaine/${nextMonday()}`, heading: /^Agenda : semaine/,
		prepare: freeSlots },
	{ file: 'agenda-rdv-nouveau.png', as: 'as.martin@solidarites44.example', path: () => `/#/agenda/jour/${nextMonday()}`, heading: /^Agenda du/,
		fullPage: false,
		prepare: async (page) => {
			await freeSlots(page);
			await page.locator('.agenda-free button').first().click();
			await page.getByRole('dialog').waitFor();
		} },
	{ file: 'agenda-jour-telephone.png', as: 'as.martin@solidarites44.example', path: () => `/#/agenda/jour/${nextMonday()}`, heading: /^Agenda du/,
		viewport: { width: 360, height: 740 } },
	{ file: 'rdv-configuration-horaires.png', as: 'agent_admin', path: '/#/rdv-configuration/horaires', heading: /^Configuration des rendez-vous/,
		prepare: (page) => page.locator('summary', { hasText: 'Ajouter des horaires' }).click() },
	{ file: 'rdv-configuration-motifs.png', as: 'agent_admin', path: '/#/rdv-configuration/motifs', heading: /^Configuration des rendez-vous/ },
	{ file: 'prendre-rdv-telephone.png', as: 'agent_admin', path: (d) => `/#/rendez-vous/${d.org}`, heading: 'Prendre rendez-vous',
		viewport: { width: 360, height: 740 },
		prepare: async (page) => {
			await page.getByRole('button', { name: 'Service social' }).click();
			await page.getByRole('button', { name: /^Premier accueil social/ }).click();
			await page.getByRole('button', { name: /^MDS Nantes Nord/ }).click();
			await page.locator('button.slot-time').first().waitFor();
		} },
	{ file: 'mes-rendez-vous.png', as: 'candidate', path: '/#/mes-rendez-vous', heading: 'Mes rendez-vous' },
	{ file: 'trouver-un-service-telephone.png', as: null, path: '/#/rendez-vous', heading: 'Prendre rendez-vous avec un service',
		viewport: { width: 360, height: 740 },
		prepare: async (page) => {
			await page.getByLabel('Code postal ou département').fill('44600');
			await page.getByRole('button', { name: 'Rechercher' }).click();
			await page.locator('.directory-results button.big-choice').first().waitFor();
		} },
];

async function main() {
	mkdirSync(OUT, { recursive: true });
	const srv = await startServer();
	const retention = srv.run(['retention', 'run']); // a run for the purge reports
	if (retention.status !== 0)
		throw new Error(`retention run: ${retention.stderr}`);
	const browser = await launchBrowser();
	const signedIn = {}; // role -> { context, page, data }
	try {
		const only = (process.env.SCREENSHOTS_ONLY || '').split(',').filter(Boolean);
		for (const p of PAGES.filter((x) => !only.length || only.includes(x.file))) {
			let s = p.as ? signedIn[p.as] : null;
			if (p.as && !s) {
				const account = srv.accounts[p.as];
				if (!account)
					throw new Error(`no demo account for role ${p.as}`);
				const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
				const page = await context.newPage();
				await onboard(page, srv.base, account);
				// The policy read first: the pictures show the pages, not its banner.
				const { version } = await apiCall(page, 'GET', '/api/v1/privacy-policy');
				await apiCall(page, 'POST', '/api/v1/me/policy-acknowledgement', { version });
				await page.reload();
				await waitHeading(page, /\S/);
				const data = SETUP[p.as] ? await SETUP[p.as](page) : {};
				s = signedIn[p.as] = { context, page, data };
			}
			if (!s)
				s = { context: await browser.newContext({ locale: 'fr-FR' }), data: {}, visitor: true };
			const page = s.page || await s.context.newPage();
			await page.setViewportSize(p.viewport || { width: 1280, height: 900 });
			const path = typeof p.path === 'function' ? p.path(s.data) : p.path;
			await page.goto(`${srv.base}${path}`);
			await waitHeading(page, p.heading);
			if (p.prepare)
				await p.prepare(page, s.data);
			await page.evaluate(() => document.activeElement && document.activeElement.blur());
			await page.screenshot({ path: join(OUT, p.file), fullPage: p.fullPage !== false });
			console.log(`docs/screenshots/${p.file}`);
			if (s.visitor)
				await s.context.close();
		}
	} finally {
		await browser.close().catch(() => {});
		await srv.stop();
	}
}

try {
	await main();
} catch (err) {
	console.error(`screenshots: ${err && err.stack ? err.stack : err}`);
	process.exit(1);
}
