// signup.mjs - « Créer un compte » in the browser, on a phone, on a
// server of its own with a real SMTP server (aiosmtpd), axe-core on every
// page state: from the sign-in page (reached with the keyboard) a new
// candidate gives their address, sees « Vérifiez votre boîte mail »,
// opens the emailed link (the token leaves the address bar), is refused
// without the privacy policy read and with a weak password, creates the
// account, signs in, links their registry file after one refused try,
// and sees their school's mandate; the used link is refused after. Then
// a person's first sign-in through the people's OpenID provider
// (signup = users): they confirm the account to create, and are signed
// in through the provider.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, NEW_PASSWORD, startServer, startSmtp, waitHeading } from './lib.mjs';
import { CLIENT_ID, SECRET, startProvider } from './oidc.mjs';

const fieldError = (input) => input.evaluate((el) =>
	(el.getAttribute('aria-describedby') || '').split(' ').map((id) => document.getElementById(id))
		.filter((e) => e && e.getAttribute('role') === 'alert').map((e) => e.textContent).join(''));

// Demo registry row 1 (Hugo Bernard), under the Tilleuls' mandate.
const FILE = { neph: '000130400007', last: 'Bernard', first: 'Hugo', birth: '2001-02-02' };

export async function signupJourneys(browser, { check, openPage }) {
	const smtp = await startSmtp();
	const idpPort = await freePort();
	const dir = mkdtempSync(join(tmpdir(), 'creneau-signup-'));
	writeFileSync(join(dir, 'secret'), `${SECRET}\n`, { mode: 0o600 });
	let srv;
	let idp;
	try {
		srv = await startServer({
			env: (base) => ({
				...smtp.env,
				CRENEAU_HTTP_PUBLIC_URL: base,
				CRENEAU_OIDC_GENS_ISSUER: `http://127.0.0.1:${idpPort}`,
				CRENEAU_OIDC_GENS_CLIENT_ID: CLIENT_ID,
				CRENEAU_OIDC_GENS_CLIENT_SECRET_FILE: join(dir, 'secret'),
				CRENEAU_OIDC_GENS_ROLES: 'candidate',
				CRENEAU_OIDC_GENS_LABEL: 'Fournisseur des usagers',
				CRENEAU_OIDC_GENS_SIGNUP: 'users',
			}),
		});
		idp = await startProvider(idpPort, `${srv.base}/api/v1/oidc/gens/callback`);
		const email = 'hugo.bernard@exemple.test';
		const { context, page, axe, step, noUnexpectedErrors } = await openPage(browser, { viewport: { width: 390, height: 844 } });

		await page.goto(`${srv.base}/`);
		await step('Connexion');
		const create = page.getByRole('button', { name: 'Créer un compte' });
		await create.focus();
		await page.keyboard.press('Enter');
		await step('Créer un compte');
		await axe('créer un compte');
		await page.getByLabel('Adresse e-mail').fill(email);
		await page.keyboard.press('Enter');
		await step('Vérifiez votre boîte mail');
		check('signup: the page names the address the link went to', await page.getByText(email).first().isVisible());
		await axe('vérifiez votre boîte mail');

		const mail = await smtp.next(email, '#inscription=');
		const link = new RegExp(`${srv.base.replace(/[.]/g, '\\.')}/#inscription=[A-Za-z0-9_-]{43}`).exec(mail);
		check('signup: the email holds a link to this service', link !== null, mail.slice(0, 300));
		if (!link)
			return;

		await page.goto(link[0]);
		await step('Créer votre compte');
		check('signup: the token left the address bar', !page.url().includes('inscription'), page.url());
		await axe('créer votre compte');
		await page.getByLabel('Nom et prénom').fill('Hugo Bernard');
		const pw = page.getByLabel('Mot de passe');
		await pw.fill('motdepasse');
		const submit = page.getByRole('button', { name: 'Créer mon compte' });
		await submit.click();
		const read = page.getByRole('checkbox');
		await page.waitForFunction(() => document.querySelector('input[aria-invalid="true"]'), null, { timeout: 30000 });
		check('signup: the privacy policy must be read, said next to its box', (await fieldError(read)).length > 0);
		await read.check();
		await submit.click();
		await page.waitForFunction(() => document.querySelector('input[type="password"][aria-invalid="true"]'), null, { timeout: 30000 });
		check('signup: a weak password is refused next to its field', (await fieldError(pw)).length > 0);
		await axe('créer votre compte, mot de passe refusé');
		await pw.fill(NEW_PASSWORD);
		await submit.click();
		await step('Connexion');
		check('signup: the sign-in page says the account was made',
			await page.getByText('Votre compte est créé').isVisible());
		check('signup: the address is already filled in',
			await page.getByLabel('Adresse e-mail').inputValue() === email);
		await page.getByLabel('Mot de passe', { exact: true }).fill(NEW_PASSWORD);
		await page.getByRole('button', { name: 'Se connecter' }).click();
		await page.locator('main h1').filter({ hasNotText: 'Connexion' }).waitFor({ timeout: 30000 });

		await page.goto(`${srv.base}/#/relier-mon-dossier`);
		await step('Relier mon dossier');
		await axe('relier mon dossier');
		await page.getByLabel('NEPH').fill(FILE.neph);
		await page.getByLabel('Nom de famille').fill(FILE.last);
		await page.getByLabel('Prénoms').fill(FILE.first);
		await page.getByLabel('Date de naissance').fill('2001-02-03');
		await page.getByRole('button', { name: 'Relier mon dossier' }).click();
		await page.locator('form [role="alert"]').filter({ hasText: 'ne correspondent à aucun dossier' }).first()
			.waitFor({ timeout: 30000 });
		check('signup: a wrong birth date gets the one refusal', true);
		await axe('relier mon dossier, refusé');
		await page.getByLabel('Date de naissance').fill(FILE.birth);
		await page.getByRole('button', { name: 'Relier mon dossier' }).click();
		await step('Mes mandats');
		check('signup: once linked, the school\'s mandate shows',
			await page.getByText('Tilleuls').first().isVisible());
		await axe('mes mandats après liaison');

		// The link serves once.
		const again = await openPage(browser);
		await again.page.goto(link[0]);
		await waitHeading(again.page, 'Lien d’inscription expiré');
		check('signup: a used link is refused with a clear message',
			await again.page.getByText("n'est plus valable").isVisible());
		await again.axe('lien d’inscription déjà utilisé');
		await again.context.close();

		noUnexpectedErrors('sign-up');
		await context.close();

		// Through the people's provider: a first sign-in, confirmed.
		const people = await openPage(browser, { viewport: { width: 390, height: 844 } });
		await idp.next('lea-usagere');
		await people.page.goto(`${srv.base}/`);
		await people.step('Connexion');
		await people.page.getByRole('link', { name: 'Fournisseur des usagers' }).click();
		await people.step('Créer votre compte avec Fournisseur des usagers');
		check('signup: the provider\'s address is shown',
			await people.page.getByText('lea-usagere@fournisseur.test').isVisible());
		await people.axe('créer votre compte avec le fournisseur');
		await people.page.getByLabel('Nom et prénom').fill('Léa Usagère');
		await people.page.getByRole('checkbox').check();
		await people.page.getByRole('button', { name: 'Créer mon compte' }).click();
		await people.page.locator('main h1').filter({ hasNotText: /Connexion|Créer/ }).waitFor({ timeout: 30000 });
		const me = await people.page.evaluate(async () => (await fetch('/api/v1/me')).json());
		check('signup: the new account is signed in through the provider', me.email === 'lea-usagere@fournisseur.test',
			JSON.stringify(me).slice(0, 200));
		await people.axe('connecté après inscription par le fournisseur');
		people.noUnexpectedErrors('sign-up through the provider');
		await people.context.close();
	} finally {
		if (idp)
			await idp.stop();
		if (srv)
			await srv.stop();
		await smtp.stop();
		rmSync(dir, { recursive: true, force: true });
	}
}
