// oidc.mjs - signing in through an OpenID provider in the browser, on a
// server of its own with a real provider on loopback (npm oidc-provider,
// tests/oidc/provider.mjs), axe-core on every new page state: the
// candidate links their account from « Mon compte » and confirms it,
// signs out (the provider's session ends too), signs in with the
// provider's button; an unlinked identity and a provider that is down are
// told in French on the sign-in page, where the password still works.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, NEW_PASSWORD, onboard, root, startServer } from './lib.mjs';

export const CLIENT_ID = 'creneau-navigateur';
export const SECRET = 'un secret de client pour le navigateur 5531';

// Starts the test provider on port for our client, returning to
// redirectUri (several: space-separated).
export async function startProvider(port, redirectUri) {
	const proc = spawn('node', ['provider.mjs'], {
		cwd: join(root, 'tests', 'oidc'),
		env: { PATH: process.env.PATH, PORT: String(port), CLIENT_ID, CLIENT_SECRET: SECRET, REDIRECT_URI: redirectUri },
		stdio: ['ignore', 'pipe', 'ignore'],
	});
	await new Promise((res, rej) => {
		const t = setTimeout(() => rej(new Error('the OpenID provider did not start')), 30000);
		proc.stdout.on('data', (d) => {
			if (String(d).includes('ready')) {
				clearTimeout(t);
				res();
			}
		});
		proc.once('exit', () => rej(new Error('the OpenID provider stopped')));
	});
	const next = (sub) => fetch(`http://127.0.0.1:${port}/test/next?sub=${encodeURIComponent(sub)}`, { method: 'POST' });
	const stop = () => new Promise((r) => {
		if (proc.exitCode !== null)
			return r();
		proc.once('exit', r);
		proc.kill('SIGTERM');
	});
	return { next, stop };
}

export async function oidcJourneys(browser, { check, openPage }) {
	const idpPort = await freePort();
	const downPort = await freePort();
	const dir = mkdtempSync(join(tmpdir(), 'creneau-oidc-'));
	writeFileSync(join(dir, 'secret'), `${SECRET}\n`, { mode: 0o600 });
	let srv;
	let idp;
	try {
		srv = await startServer({
			env: (base) => ({
				CRENEAU_HTTP_PUBLIC_URL: base,
				CRENEAU_OIDC_TEST_ISSUER: `http://127.0.0.1:${idpPort}`,
				CRENEAU_OIDC_TEST_CLIENT_ID: CLIENT_ID,
				CRENEAU_OIDC_TEST_CLIENT_SECRET_FILE: join(dir, 'secret'),
				CRENEAU_OIDC_TEST_ROLES: 'candidate',
				CRENEAU_OIDC_TEST_LABEL: 'Fournisseur de test',
				CRENEAU_OIDC_PANNE_ISSUER: `http://127.0.0.1:${downPort}`,
				CRENEAU_OIDC_PANNE_CLIENT_ID: 'x',
				CRENEAU_OIDC_PANNE_ROLES: 'candidate',
				CRENEAU_OIDC_PANNE_LABEL: 'Fournisseur en panne',
			}),
		});
		idp = await startProvider(idpPort, `${srv.base}/api/v1/oidc/test/callback`);
		const account = srv.accounts.candidate;
		const { context, page, axe, step, noUnexpectedErrors } = await openPage(browser);

		// Linking, from « Mon compte », confirmed.
		await onboard(page, srv.base, account);
		await page.goto(`${srv.base}/#/compte`);
		await page.locator('main h1').filter({ hasText: 'Mon compte' }).waitFor({ timeout: 30000 });
		await idp.next('camille-navigateur');
		await page.getByRole('link', { name: 'Lier mon compte à Fournisseur de test' }).click();
		await step('Lier votre compte à Fournisseur de test');
		check('oidc: the way back left no code in the address bar', !page.url().includes('#'), page.url());
		await axe('liaison à confirmer');
		await page.getByRole('button', { name: 'Lier mon compte' }).click();
		await page.getByText('Votre compte est lié à Fournisseur de test').waitFor({ timeout: 30000 });
		check('oidc: the link is confirmed by the signed-in person', true);

		// The provider's button signs in.
		await page.getByRole('button', { name: /déconnecter/i }).click();
		await step('Connexion');
		await page.getByRole('link', { name: 'Fournisseur de test' }).waitFor({ timeout: 30000 });
		await axe('connexion avec boutons des fournisseurs');
		await page.getByRole('link', { name: 'Fournisseur de test' }).click();
		await page.locator('main h1').filter({ hasNotText: 'Connexion' }).waitFor({ timeout: 30000 });
		check('oidc: the provider\'s button signs in', !(await page.locator('main h1').textContent()).includes('Connexion'));

		// Our pages only: the provider's own pages come next.
		noUnexpectedErrors('oidc');

		// Signing out ends the provider's session too.
		await page.getByRole('button', { name: /déconnecter/i }).click();
		await page.waitForURL((u) => u.port === String(idpPort), { timeout: 30000 });
		check('oidc: signing out goes through the provider\'s logout', page.url().includes('/session/end'), page.url());
		await context.close();

		// An identity linked to no account, and a provider that is down.
		const other = await openPage(browser);
		await idp.next('personne-inconnue');
		await other.page.goto(`${srv.base}/`);
		await other.step('Connexion');
		await other.page.getByRole('link', { name: 'Fournisseur de test' }).click();
		await other.page.getByText('Aucun compte Créneau n’est lié').waitFor({ timeout: 30000 });
		check('oidc: an unlinked identity is told so', true);
		await other.axe('identité non liée');
		await other.page.getByRole('link', { name: 'Fournisseur en panne' }).click();
		await other.page.getByText('Fournisseur en panne ne répond pas').waitFor({ timeout: 30000 });
		check('oidc: a provider that is down is told so', true);
		await other.axe('fournisseur en panne');
		await other.page.getByLabel('Adresse e-mail').fill(account.email);
		await other.page.getByLabel('Mot de passe', { exact: true }).fill(NEW_PASSWORD);
		await other.page.getByRole('button', { name: 'Se connecter' }).click();
		await other.page.locator('main h1').filter({ hasNotText: 'Connexion' }).waitFor({ timeout: 30000 });
		check('oidc: the password still signs in while a provider is down', true);
		other.noUnexpectedErrors('oidc (others)');
		await other.context.close();
	} finally {
		if (srv)
			await srv.stop();
		if (idp)
			await idp.stop();
		rmSync(dir, { recursive: true, force: true });
	}
}
