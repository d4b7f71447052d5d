// pauses.mjs - respite times in the browser (run.mjs calls pauseJourneys),
// on a server of its own whose association requires no document, axe-core
// on every new page state: the family and the volunteer file their
// dossiers and the validator validates them (through the pages' own API
// module, the dossier pages being tested by dossiers.mjs); on a 390-px
// phone, the family asks for a pause on « Pauses », the volunteer sees
// it without the family's name and accepts, and both see it accepted.
import { onboard, startServer } from './lib.mjs';

const menu = (page, name) => page.locator('header nav').getByRole('link', { name, exact: true });
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

// Calls the API as the signed-in page does (session cookie, XSRF token).
function call(page, method, path, body) {
	return page.evaluate(async ([m, p, b]) => {
		const { api } = await import('/js/api.js');
		return api(m, p, b);
	}, [method, path, body]);
}

async function fileDossier(page, kind, name) {
	const { associations } = await call(page, 'GET', '/api/v1/me/dossiers');
	const org = associations[0].id;
	const { id } = await call(page, 'POST', `/api/v1/me/dossiers/${org}`, { kind, profile: { name, phone: '06 12 34 56 78', details: '' } });
	await call(page, 'POST', `/api/v1/me/dossiers/${org}/submission`);
	return id;
}

// On a phone the menu folds behind « Menu »: open it when it is folded.
async function openMenu(page, name) {
	await page.locator('main h1').first().waitFor({ timeout: 30000 });
	const link = page.locator('header nav').getByRole('link', { name, exact: true });
	if (!(await link.isVisible()))
		await page.getByRole('button', { name: 'Menu' }).click();
	await link.click();
}

export async function pauseJourneys(browser, t) {
	const { check, openPage } = t;
	const srv = await startServer({ env: { CRENEAU_DOSSIERS_FAMILY_DOCUMENTS: '', CRENEAU_DOSSIERS_VOLUNTEER_DOCUMENTS: '' } });
	try {
		const v = await openPage(browser);
		await onboard(v.page, srv.base, srv.accounts['validation@enfance-pluriel.example']);
		const f = await openPage(browser, PHONE);
		await onboard(f.page, srv.base, srv.accounts['famille@demo.example']);
		const b = await openPage(browser, PHONE);
		await onboard(b.page, srv.base, srv.accounts['benevole@demo.example']);
		const fam = await fileDossier(f.page, 'family', 'Florence Famille');
		const vol = await fileDossier(b.page, 'volunteer', 'Bruno Bénévole');
		for (const id of [fam, vol])
			await call(v.page, 'POST', `/api/v1/dossiers/${id}/decision`, { decision: 'valide' });

		// --- The family asks, on a phone.
		await openMenu(f.page, 'Pauses');
		await f.step('Pauses');
		await f.axe('Pauses, family, nothing yet');
		const day = new Date(Date.now() + 3 * 86400000).toISOString().slice(0, 10);
		await f.page.getByLabel('Date').fill(day);
		await f.page.getByLabel('Heure de début (entre 07:00 et 21:00)').fill('10:00');
		await f.page.getByLabel('Durée').selectOption('150');
		await f.page.getByLabel('Lieu (ville, quartier)').fill('Nantes, quartier Zola');
		await f.page.getByRole('button', { name: 'Demander la pause' }).click();
		await f.page.getByText('Pause demandée').waitFor({ timeout: 30000 });
		await f.axe('Pauses, family, asked');
		const wide = await f.page.evaluate(() => document.documentElement.scrollWidth);
		check('pauses: the family\'s page fits a 390-px phone', wide <= 390, `scrollWidth ${wide}`);

		// --- The volunteer sees it without the family and accepts.
		await openMenu(b.page, 'Pauses');
		await b.step('Pauses');
		await b.page.getByText('Lieu : Nantes, quartier Zola').waitFor({ timeout: 30000 });
		await b.axe('Pauses, volunteer, an open request');
		const before = await b.page.locator('main').innerText();
		check('pauses: the open request does not name the family', !before.includes('Florence'));
		await b.page.getByRole('button', { name: 'Accepter cette pause' }).click();
		await b.page.getByText('Pause acceptée').waitFor({ timeout: 30000 });
		await b.page.getByText('Famille : Florence Famille').waitFor({ timeout: 30000 });
		await b.axe('Pauses, volunteer, accepted');

		// --- The family sees it accepted, with the volunteer.
		await openMenu(f.page, 'Notifications');
		await f.step('Notifications');
		await openMenu(f.page, 'Pauses');
		await f.step('Pauses');
		await f.page.getByText('Bénévole : Bruno Bénévole').waitFor({ timeout: 30000 });
		const text = await f.page.locator('main').innerText();
		check('pauses: the family sees its pause accepted', text.toLowerCase().includes('acceptée'), text);
		await f.axe('Pauses, family, accepted');

		// --- The validator sees it too.
		await openMenu(v.page, 'Pauses');
		await v.step('Pauses');
		await v.page.getByText('Bénévole : Bruno Bénévole').waitFor({ timeout: 30000 });
		await v.axe('Pauses, validator');
		for (const p of [f, b, v]) {
			p.noUnexpectedErrors(`pauses (${p === f ? 'family' : p === b ? 'volunteer' : 'validator'})`);
			await p.context.close();
		}
	} finally {
		await srv.stop();
	}
}
