// remote.mjs - remote mode in the browser, two real servers: one Créneau
// is the exam authority (reached as http://localhost:PORT, so that its
// cookies are not the school's), the other runs for « Auto-école des
// Tilleuls » in remote mode (http://127.0.0.1:PORT). The school's manager
// finds booking waiting for a link, links their account (signed in at
// the authority with their second factor, consenting there), books a
// place from the grid and cancels it through their own instance; the
// authority stopped, the pages say so, the lists read before show their
// last copy (dated, read-only) and a notification tells the staff.
// axe-core on every new page state.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NEW_PASSWORD, freePort, onboard, startServer, totp } from './lib.mjs';

function pageApi(page, method, path, body) {
	return page.evaluate(async ({ method, path, body }) => {
		const xsrf = document.cookie.split(';').map((p) => p.trim().split('='))
			.find(([k]) => k === 'XSRF-TOKEN');
		const res = await fetch(path, {
			method,
			headers: { 'Content-Type': 'application/json', 'X-XSRF-TOKEN': xsrf ? decodeURIComponent(xsrf[1]) : '' },
			body: body ? JSON.stringify(body) : undefined,
		});
		return { status: res.status, body: await res.json().catch(() => ({})) };
	}, { method, path, body });
}

const menu = (page, name) => page.locator('header nav').getByRole('link', { name, exact: true });

export async function remoteJourneys(browser, { check, openPage }) {
	const authority = await startServer();
	let school = null, authorityUp = true;
	try {
		const authorityHost = authority.base.replace('127.0.0.1', 'localhost');
		const schoolPort = await freePort();
		const admin = await openPage(browser);
		await onboard(admin.page, authority.base, authority.accounts.platform_admin);
		const reg = await pageApi(admin.page, 'POST', '/api/v1/oauth-clients', {
			name: 'Créneau des Tilleuls',
			redirect_uris: [`http://127.0.0.1:${schoolPort}/api/v1/authority-link/callback`],
			scopes: ['lecture', 'reservation'],
		});
		check('remote: the school’s instance registered at the authority', reg.status === 201, JSON.stringify(reg));
		await admin.context.close();
		const secretFile = join(authority.dir, 'client-secret');
		writeFileSync(secretFile, `${reg.body.client_secret}\n`, { mode: 0o600 });

		// The manager's account at the authority (its second factor).
		const manager = authority.accounts['gestion@tilleuls.example'];
		const setup = await openPage(browser);
		const { secret: totpSecret } = await onboard(setup.page, authorityHost, manager);
		await setup.context.close();

		school = await startServer({
			port: schoolPort,
			env: (base) => ({
				CRENEAU_AUTHORITY_MODE: 'remote', CRENEAU_AUTHORITY_URL: authorityHost,
				CRENEAU_AUTHORITY_CLIENT_ID: reg.body.client_id, CRENEAU_AUTHORITY_CLIENT_SECRET_FILE: secretFile,
				CRENEAU_HTTP_PUBLIC_URL: base,
			}),
		});
		const { page, errors, axe, step, noUnexpectedErrors } = await openPage(browser);
		const expected = [];
		page.on('response', (r) => {
			if ([409, 503].includes(r.status()))
				expected.push(r.url());
		});
		await onboard(page, school.base, school.accounts['gestion@tilleuls.example']);

		// Before the link: « Ma journée » shows what this platform holds
		// and says what to do; booking says it too, and where.
		await step('Ma journée');
		check('remote: « Ma journée » before the link: the notifications, and the link to make',
			/Reliez d'abord votre compte/.test(await page.locator('main [role="alert"]').textContent())
			&& await page.getByRole('link', { name: 'Voir les notifications' }).isVisible());
		await axe('remote, ma journée, non relié');
		check('remote: « Autorité d’examen » in the menu', await menu(page, 'Autorité d’examen').isVisible());
		await menu(page, 'Réserver des places').click();
		await step('Compte à relier à l’autorité d’examen');
		check('remote: booking before the link says to link the account',
			/Reliez d'abord votre compte à l'autorité d'examen/.test(await page.locator('main [role="alert"]').textContent()));
		await axe('remote, compte à relier');
		await page.getByRole('link', { name: 'Voir la liaison avec l’autorité d’examen' }).click();
		await step(/^Autorité d’examen$/);
		check('remote: the page names the authority and offers the link',
			(await page.locator('main').textContent()).includes(authorityHost)
			&& await page.getByRole('button', { name: 'Relier mon compte à l’autorité d’examen' }).isVisible());
		await axe('remote, autorité, non relié');

		// At the authority: sign-in with the second factor, consent.
		await page.getByRole('button', { name: 'Relier mon compte à l’autorité d’examen' }).click();
		await step('Connexion');
		check('remote: the sign-in is the authority’s', page.url().startsWith(authorityHost), page.url());
		await page.getByLabel('Adresse e-mail').fill(manager.email);
		await page.getByLabel('Mot de passe', { exact: true }).fill(NEW_PASSWORD);
		await page.getByRole('button', { name: 'Se connecter' }).click();
		await step('Vérification en deux étapes');
		await page.getByLabel(/Code/).first().fill(totp(totpSecret, Date.now() + 30000));
		await page.getByRole('button', { name: 'Valider' }).click();
		await step('Autoriser un logiciel');
		check('remote: the authority’s consent page names the school’s instance',
			await page.getByText('Créneau des Tilleuls').first().isVisible());
		await page.getByRole('button', { name: 'Autoriser Créneau des Tilleuls' }).click();
		await step(/^Autorité d’examen$/);
		check('remote: back at the school’s instance, linked',
			page.url().startsWith(school.base)
			&& /Votre compte est relié à l’autorité d’examen/.test(await page.locator('main p[role="status"]').textContent())
			&& await page.getByRole('button', { name: 'Retirer la liaison' }).isVisible(), page.url());
		await axe('remote, autorité, relié');

		// A place booked from the grid: at the authority.
		await menu(page, 'Réserver des places').click();
		await step('Réserver des places');
		const grid = page.locator('table.slot-grid').first();
		await grid.waitFor({ timeout: 30000 });
		const box = grid.locator('tbody input[type="checkbox"]').first();
		await box.check();
		await page.locator('.basket-panel').getByRole('button', { name: /^Ajouter au panier/ }).click();
		const basketStatus = page.locator('.basket-panel p[role="status"]');
		await basketStatus.filter({ hasText: '1 place ajoutée' }).waitFor({ timeout: 30000 });
		const held = page.locator('.basket-item select').first();
		const option = await held.locator('option').nth(1).getAttribute('value');
		await held.selectOption(option);
		await basketStatus.filter({ hasText: 'est placé(e)' }).waitFor({ timeout: 30000 });
		await page.getByRole('button', { name: /^Valider le panier/ }).click();
		await page.locator('.results-box h3').waitFor({ timeout: 30000 });
		check('remote: the place booked through the authority, in words',
			(await page.locator('.results li').first().textContent()).includes('Réservée'),
			await page.locator('.results li').first().textContent());
		await axe('remote, réservé');

		// Cancelled from « Examens ».
		await menu(page, 'Examens').click();
		await step('Examens');
		const exams = page.locator('ul.exams > li');
		check('remote: the exam booked at the authority is listed', (await exams.count()) === 1, String(await exams.count()));
		await exams.nth(0).getByRole('button', { name: /^Annuler l’examen/ }).click();
		const cancel = page.getByRole('dialog', { name: 'Annuler cet examen ?' });
		await cancel.getByRole('button', { name: 'Annuler l’examen' }).click();
		await page.locator('main > p[role="status"]').filter({ hasText: 'annulé' }).waitFor({ timeout: 30000 });
		check('remote: the exam cancelled through the authority', true);

		// The authority stops: the pages say so, the staff are told.
		await authority.stop();
		authorityUp = false;
		await menu(page, 'Réserver des places').click();
		await step('Autorité d’examen indisponible');
		check('remote: booking says the authority does not answer, and what still works',
			/ne répond pas.*restent lisibles dans leur dernière copie/.test(await page.locator('main [role="alert"]').textContent()));
		await axe('remote, autorité injoignable');
		// The lists read before: their last copy, read-only, dated.
		await menu(page, 'Examens').click();
		await step('Examens');
		check('remote: « Examens » shows the last copy, said to be one',
			/copie du .* en lecture seule/.test(await page.locator('main [role="alert"]').first().textContent())
			&& (await page.locator('ul.exams > li').count()) >= 1);
		await axe('remote, examens, copie');
		await menu(page, 'Candidats').click();
		await step('Candidats');
		check('remote: « Candidats » shows the last copy too',
			/copie du/.test(await page.locator('main [role="alert"]').first().textContent())
			&& (await page.locator('main table tbody tr').count()) >= 1);
		await menu(page, 'Notifications').click();
		await step('Notifications');
		check('remote: the staff are told the authority does not answer',
			await page.getByText('Autorité d’examen injoignable').first().isVisible());
		await menu(page, 'Autorité d’examen').click();
		await step(/^Autorité d’examen$/);
		check('remote: the link page says since when',
			/ne répond pas depuis le/.test(await page.locator('main').textContent()));
		await page.setViewportSize({ width: 390, height: 844 });
		check('remote: the link page fits a 390-px phone',
			await page.evaluate(() => document.documentElement.scrollWidth <= 390));
		await axe('remote, autorité, téléphone');
		check('remote: every 409/503 seen was the authority’s state, nothing else',
			expected.every((u) => /\/api\/v1\/(slots|basket|quotas|exams|candidates|mandates)/.test(u)), expected.join(' '));
		// The 409s and 503s above are the states the test walks through.
		for (let i = errors.length - 1; i >= 0; i--)
			if (/status of (409|503)/.test(errors[i]))
				errors.splice(i, 1);
		noUnexpectedErrors('remote school manager');
	} finally {
		if (school)
			await school.stop();
		if (authorityUp)
			await authority.stop();
	}
}
