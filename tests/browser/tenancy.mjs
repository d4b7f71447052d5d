// tenancy.mjs - client organisations in the browser (run.mjs calls
// tenancyJourneys; BROWSER_ONLY=tenancy), on a server of their own,
// axe-core on every new page state: the Tilleuls administrator, on a
// phone, sets the organisation's settings (a session rule weaker than
// the product's is refused next to its field); the platform
// administrator sees the organisations, suspends the Tilleuls with a
// reason after a dialog that says what will happen, reads what a
// termination would do and cancels it with the keyboard; the
// administrator sees the suspension and its reason; the platform
// reactivates it.
import { onboard, startServer } from './lib.mjs';

// On a phone the menu folds behind « Menu »: open it when it is folded.
async function go(page, name) {
	const link = page.locator('header nav').getByRole('link', { name, exact: true });
	if (!(await link.isVisible()))
		await page.getByRole('button', { name: 'Menu' }).click();
	await link.click();
}

export async function tenancyJourneys(browser, t) {
	const { check, openPage } = t;
	const srv = await startServer();
	try {
		// --- The organisation's administrator, on a phone.
		const a = await openPage(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
		await onboard(a.page, srv.base, srv.accounts['direction@tilleuls.example']);
		const links = await a.page.locator('header nav a').allTextContents();
		check('menu (school_admin): « Réglages de l’organisme », not « Organismes clients »',
			links.includes('Réglages de l’organisme') && !links.includes('Organismes clients'), JSON.stringify(links));
		await go(a.page, 'Réglages de l’organisme');
		await a.step('Réglages de l’organisme');
		await a.axe('réglages de l’organisme');
		await a.page.getByLabel('Nom d’expéditeur des courriels').fill('Les Tilleuls');
		await a.page.getByLabel('Signature des courriels').fill('L’équipe des Tilleuls');
		const idle = a.page.getByLabel('Fermeture d’une session inactive (minutes)');
		await idle.fill('45');
		await a.page.getByRole('button', { name: 'Enregistrer les réglages' }).click();
		await a.page.locator('.field .error').filter({ hasText: /entre 5 et 30/ }).first().waitFor({ timeout: 30000 });
		check('settings: a session rule weaker than the product’s is refused next to its field, with the rule',
			(await idle.getAttribute('aria-invalid')) === 'true');
		await a.axe('réglages, erreur');
		await idle.fill('20');
		await a.page.getByRole('button', { name: 'Enregistrer les réglages' }).click();
		await a.page.locator('p[role="status"]').filter({ hasText: 'Réglages enregistrés' }).waitFor({ timeout: 30000 });
		check('settings: saved', true);
		// Its own Art. 30 register: its activities only, the operator
		// as processor, downloadable.
		await go(a.page, 'Registre de l’organisme');
		await a.step('Registre de l’organisme');
		await a.page.getByRole('heading', { name: /^Activités de traitement/ }).waitFor({ timeout: 30000 });
		const reg = await a.page.locator('main').textContent();
		check('register (school): the exam booking listed, the social services’ appointments not',
			reg.includes('Réservation des places d’examen') || reg.includes('Réservation des places d\'examen'),
			reg.slice(0, 300));
		check('register (school): no appointments activity', !reg.includes('Prise de rendez-vous auprès des services sociaux'));
		check('register (school): HTML and CSV downloads offered',
			(await a.page.getByRole('link', { name: /Télécharger le registre \(CSV/ }).count()) === 1);
		await a.axe('registre de l’organisme');

		// --- The platform administrator.
		const p = await openPage(browser, { viewport: { width: 1280, height: 900 } });
		await onboard(p.page, srv.base, srv.accounts['plateforme@demo.example']);
		await go(p.page, 'Organismes clients');
		await p.step('Organismes clients');
		const row = p.page.locator('.tenants-table tbody tr').filter({ hasText: 'Tilleuls' });
		await row.first().waitFor();
		check('tenants: the Tilleuls listed, active', (await row.first().textContent()).includes('Actif'));
		await p.axe('organismes clients');
		await row.first().getByRole('button', { name: /^Résilier…/ }).click();
		const dlg = p.page.locator('dialog');
		await dlg.waitFor();
		check('terminate: the dialog says sessions end and data is deleted, for good',
			/sessions ouvertes se ferment/.test(await dlg.textContent()) && /définitif/.test(await dlg.textContent()));
		await p.axe('résiliation, dialogue');
		await p.page.keyboard.press('Escape');
		await dlg.waitFor({ state: 'detached' });
		check('terminate: cancelled with Escape, the organisation still active',
			(await row.first().textContent()).includes('Actif'));
		await row.first().getByRole('button', { name: /^Suspendre…/ }).click();
		await dlg.waitFor();
		await dlg.getByRole('button', { name: /^Suspendre / }).click();
		check('suspend: the reason is required',
			(await dlg.locator('.error').allTextContents()).join(' ').includes('Indiquez le motif'));
		await dlg.getByLabel('Motif').fill('Facture impayée');
		await dlg.getByRole('button', { name: /^Suspendre / }).click();
		await p.page.locator('p[role="status"]').filter({ hasText: 'fait' }).waitFor({ timeout: 30000 });
		check('suspend: the organisation shows suspended, with its reason',
			/Suspendu.*Facture impayée/s.test(await row.first().textContent()));
		await p.axe('organisme suspendu');
		// The operator's register as processor shows the client and
		// its state.
		await go(p.page, 'Registre de sous-traitant');
		await p.step('Registre de sous-traitant');
		const prow = p.page.locator('main table tbody tr').filter({ hasText: 'Tilleuls' });
		await prow.first().waitFor({ timeout: 30000 });
		check('processor register: the Tilleuls listed, suspended, with the exam booking',
			/Suspendu/.test(await prow.first().textContent()) && /examen/.test(await prow.first().textContent()));
		await p.axe('registre de sous-traitant');
		await go(p.page, 'Organismes clients');
		await row.first().waitFor();

		// --- The administrator sees it.
		await go(a.page, 'Notifications');
		await a.step('Notifications');
		await go(a.page, 'Réglages de l’organisme');
		await a.step('Réglages de l’organisme');
		await a.page.locator('main [role="alert"]').filter({ hasText: 'Organisme suspendu' }).waitFor({ timeout: 30000 });
		check('settings: the suspension and its reason shown to the organisation',
			(await a.page.locator('main').textContent()).includes('Facture impayée'));
		await a.axe('réglages, organisme suspendu');

		await row.first().getByRole('button', { name: /^Réactiver…/ }).click();
		await dlg.waitFor();
		await dlg.getByRole('button', { name: /^Réactiver / }).click();
		await p.page.locator('p[role="status"]').filter({ hasText: 'fait' }).last().waitFor({ timeout: 30000 });
		check('reactivate: active again', (await row.first().textContent()).includes('Actif'));

		a.noUnexpectedErrors('tenancy: organisation administrator');
		p.noUnexpectedErrors('tenancy: platform administrator');
		await Promise.all([a.context.close(), p.context.close()]);
	} finally {
		await srv.stop();
	}
}
