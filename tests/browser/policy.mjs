// policy.mjs - the privacy policy as a person meets it (run.mjs calls
// policyJourneys; BROWSER_ONLY=policy runs it alone), on a server of its
// own, on a 390×844 phone:
//  - a brand-new account (the demo candidate, never signed in) is asked
//    to accept the current policy at its first sign-in, once: no banner
//    then, none at the next sign-in;
//  - a new version published (the account's acknowledgement moved to an
//    older version in the database, as if the text had changed since):
//    a small banner (one line, a link, a button; at most 15% of the
//    screen's height), gone once read, recorded by the server.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { NEW_PASSWORD, startServer, waitHeading } from './lib.mjs';

const PHONE = { width: 390, height: 844 };
const me = (page) => page.evaluate(async () => (await fetch('/api/v1/me')).json());

export async function policyJourneys(browser, t) {
	const { check, openPage } = t;
	const srv = await startServer();
	try {
		const account = srv.accounts['benevole@demo.example'];
		const { context, page, axe, step, noUnexpectedErrors } = await openPage(browser, { viewport: PHONE });
		const banner = page.locator('#policy-banner');

		// First sign-in: new password, then the policy, once.
		await page.goto(`${srv.base}/`);
		await step('Connexion');
		await page.getByLabel('Adresse e-mail').fill(account.email);
		await page.getByLabel('Mot de passe', { exact: true }).fill(account.password);
		await page.getByRole('button', { name: 'Se connecter' }).click();
		await step('Choisir un nouveau mot de passe');
		await page.getByLabel('Mot de passe actuel').fill(account.password);
		await page.getByLabel('Nouveau mot de passe').fill(NEW_PASSWORD);
		await page.getByRole('button', { name: 'Changer le mot de passe' }).click();
		await step('Politique de confidentialité');
		check('policy: a new account is asked to accept it, no banner', (await banner.count()) === 0
			&& (await me(page)).policy_first_acceptance === true);
		check('policy: the acceptance step links to the policy',
			(await page.getByRole('link', { name: /Lire la politique de confidentialité/ }).getAttribute('href')) === '/confidentialite.html');
		await axe('politique à accepter (téléphone)');
		await page.getByRole('button', { name: 'J’ai lu et j’accepte la politique de confidentialité' }).click();
		await step('Accueil');
		const after = await me(page);
		check('policy: accepted, recorded by the server', after.policy_update_pending === false && after.policy_first_acceptance === false);
		check('policy: no banner after the acceptance', (await banner.count()) === 0);

		// Once: the next sign-in goes straight to the landing page.
		await page.getByRole('button', { name: 'Menu' }).click();
		await page.getByRole('button', { name: 'Se déconnecter' }).click();
		await step('Connexion');
		await page.getByLabel('Adresse e-mail').fill(account.email);
		await page.getByLabel('Mot de passe', { exact: true }).fill(NEW_PASSWORD);
		await page.getByRole('button', { name: 'Se connecter' }).click();
		await waitHeading(page, /^(Accueil|Politique de confidentialité)$/);
		check('policy: not asked again at the next sign-in', (await page.locator('main h1').textContent()) === 'Accueil');
		check('policy: still no banner', (await banner.count()) === 0);

		// A new version: the account's acknowledgement is of an older text.
		const id = (await me(page)).id;
		const sql = spawnSync('sqlite3', ['-cmd', '.timeout 5000', join(srv.dir, 'creneau.db'),
			`UPDATE policy_acks SET version = 'version-precedente' WHERE account_id = '${id.replace(/'/g, '')}';`], { encoding: 'utf8' });
		check('policy: an older version recorded for the test', sql.status === 0, sql.stderr);
		await page.reload();
		await step('Accueil');
		await banner.waitFor({ timeout: 30000 });
		const now = await me(page);
		check('policy: a change is announced, not a first acceptance', now.policy_update_pending === true && now.policy_first_acceptance === false);
		const box = await banner.boundingBox();
		check(`policy banner: small on a phone (${Math.round(box.height)} px ≤ 15% of 844)`, box.height <= 0.15 * PHONE.height, String(box.height));
		check('policy banner: a link to the policy and one button',
			(await banner.getByRole('link', { name: 'Lire la nouvelle version' }).getAttribute('href')) === '/confidentialite.html'
			&& (await banner.getByRole('button').count()) === 1);
		check('policy banner: the page no wider than the phone', (await page.evaluate(() => document.documentElement.scrollWidth)) <= PHONE.width);
		await axe('bannière de la politique (téléphone)');
		await banner.getByRole('button', { name: /J’ai lu/ }).click();
		await banner.getByRole('status').filter({ hasText: 'Merci' }).waitFor({ timeout: 30000 });
		check('policy banner: the reading recorded', (await me(page)).policy_update_pending === false);
		await page.getByRole('button', { name: 'Menu' }).click();
		await page.locator('header nav').getByRole('link', { name: 'Mon compte', exact: true }).click();
		await step('Mon compte');
		check('policy banner: gone once read', (await banner.count()) === 0);
		await page.reload();
		await step('Mon compte');
		check('policy banner: not back after a reload', (await banner.count()) === 0);

		noUnexpectedErrors('policy');
		await context.close();
	} finally {
		await srv.stop();
	}
}
