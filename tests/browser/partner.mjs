// partner.mjs - partner software in the browser, on a server of its own,
// axe-core on every page state: the platform admin registers a client; a
// signed-out school employee follows the software's authorization link,
// signs in with their second factor, lands on the consent page naming the
// software and what it asks, and accepts (the software gets a code and
// its state back); a second time they refuse (access_denied); a link with
// an unregistered address says so and sends nothing; the « Applications
// autorisées » page lists the software and revokes it, after which its
// refresh token is refused.
import { createHash } from 'node:crypto';
import { NEW_PASSWORD, onboard, startServer, totp, waitHeading } from './lib.mjs';

const REDIRECT = 'http://127.0.0.1:9/retour';
const VERIFIER = 'verificateur-de-test-assez-long-pour-pkce-0123456789';
const CHALLENGE = createHash('sha256').update(VERIFIER).digest('base64url');

// Calls the API from the signed-in page (its cookies and CSRF token).
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

export async function partnerJourneys(browser, { check, openPage }) {
	const srv = await startServer();
	try {
		const admin = await openPage(browser);
		await onboard(admin.page, srv.base, srv.accounts.platform_admin);
		await admin.page.goto(`${srv.base}/#/logiciels-partenaires`);
		await admin.step('Logiciels partenaires');
		await admin.axe('logiciels partenaires');
		await admin.page.getByLabel('Nom du logiciel').fill('Logiciel Auto-École Plus');
		await admin.page.getByLabel('Adresses de retour (une par ligne)').fill(`${REDIRECT}\nhttp://logiciel.example/`);
		await admin.page.getByRole('button', { name: 'Enregistrer le logiciel' }).click();
		await admin.page.locator('[aria-invalid="true"]').first().waitFor({ timeout: 30000 });
		check('partner: an address in clear is refused next to its field',
			await admin.page.getByText(/Chaque adresse de retour/).first().isVisible());
		await admin.axe('logiciels partenaires, adresse refusée');
		await admin.page.getByLabel('Adresses de retour (une par ligne)').fill(REDIRECT);
		await admin.page.getByRole('button', { name: 'Enregistrer le logiciel' }).click();
		await admin.page.locator('#client-secret').waitFor({ timeout: 30000 });
		const secret = (await admin.page.locator('#client-secret').textContent()).trim();
		const list = await pageApi(admin.page, 'GET', '/api/v1/oauth-clients');
		const clientId = list.body.clients?.[0]?.client_id;
		check('partner: the platform admin registers a client, the secret shown once',
			secret.length === 43 && !!clientId && !JSON.stringify(list.body).includes(secret), JSON.stringify(list));
		await admin.axe('logiciels partenaires, secret affiché');
		admin.noUnexpectedErrors('partner admin');
		await admin.context.close();

		const manager = srv.accounts['gestion@tilleuls.example'];
		const setup = await openPage(browser);
		const { secret: totpSecret } = await onboard(setup.page, srv.base, manager);
		await setup.context.close();

		const authorizeUrl = (state) => `${srv.base}/oauth/authorize?response_type=code&client_id=${clientId}`
			+ `&redirect_uri=${encodeURIComponent(REDIRECT)}&scope=lecture%20reservation&state=${state}`
			+ `&code_challenge=${CHALLENGE}&code_challenge_method=S256`;

		// Signed out: sign in with the second factor, then the consent page.
		const { context, page, axe, step, noUnexpectedErrors } = await openPage(browser);
		const landed = [];
		await page.route(`${REDIRECT}**`, (route) => {
			landed.push(route.request().url());
			return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: '<!doctype html><html lang="fr"><title>Logiciel</title><h1>Logiciel</h1></html>' });
		});
		await page.goto(authorizeUrl('abc'));
		await step('Connexion');
		await page.getByLabel('Adresse e-mail').fill(manager.email);
		await page.getByLabel('Mot de passe', { exact: true }).fill(NEW_PASSWORD);
		await page.getByRole('button', { name: 'Se connecter' }).click();
		await step('Vérification en deux étapes');
		// The code of the next step: the one the onboarding used serves once.
		await page.getByLabel(/Code/).first().fill(totp(totpSecret, Date.now() + 30000));
		await page.getByRole('button', { name: 'Valider' }).click();
		await step('Autoriser un logiciel');
		check('partner: the consent page names the software',
			await page.getByText('Logiciel Auto-École Plus').first().isVisible());
		check('partner: the consent page says what it may do',
			await page.locator('main ul.scopes li').filter({ hasText: /^Réserver des places/ }).isVisible()
			&& await page.locator('main ul.scopes li').filter({ hasText: /^Consulter vos mandats/ }).isVisible());
		await axe('consentement');
		await page.getByRole('button', { name: 'Autoriser Logiciel Auto-École Plus' }).click();
		await page.waitForURL(`${REDIRECT}**`, { timeout: 30000 });
		const back = new URL(landed[0] || page.url());
		check('partner: accepting sends a code and the state back to the software',
			back.searchParams.get('code')?.length === 43 && back.searchParams.get('state') === 'abc', back.href);

		// The software exchanges the code, as its server would.
		const basic = Buffer.from(`${clientId}:${secret}`).toString('base64');
		const tok = await fetch(`${srv.base}/oauth/token`, {
			method: 'POST',
			headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ grant_type: 'authorization_code', code: back.searchParams.get('code'), redirect_uri: REDIRECT, code_verifier: VERIFIER }),
		});
		const tokens = await tok.json();
		check('partner: the code gives tokens', tok.status === 200 && !!tokens.refresh_token, JSON.stringify(tokens));

		// A second time: refused.
		await page.goto(authorizeUrl('def'));
		await step('Autoriser un logiciel');
		await page.getByRole('button', { name: 'Refuser' }).click();
		await page.waitForURL(`${REDIRECT}**`, { timeout: 30000 });
		const refused = new URL(landed[1] || page.url());
		check('partner: refusing sends access_denied and the state back',
			refused.searchParams.get('error') === 'access_denied' && refused.searchParams.get('state') === 'def', refused.href);

		// A link with an address the software never registered.
		await page.goto(`${srv.base}/oauth/authorize?response_type=code&client_id=${clientId}&redirect_uri=https%3A%2F%2Fpirate.example%2F`);
		await step('Autorisation impossible');
		check('partner: an unregistered address is explained, nothing sent', landed.length === 2);
		await axe('autorisation impossible');

		// The authorised applications, and the revocation.
		await page.goto(`${srv.base}/#/applications-autorisees`);
		await step('Applications autorisées');
		check('partner: the page lists the software', await page.getByText('Logiciel Auto-École Plus').first().isVisible());
		await axe('applications autorisées');
		await page.getByRole('button', { name: /Retirer l’accès de Logiciel Auto-École Plus/ }).click();
		await page.getByText('Vous n’avez autorisé aucun logiciel.').waitFor({ timeout: 30000 });
		check('partner: the access is withdrawn', true);
		await axe('applications autorisées, accès retiré');
		const again = await fetch(`${srv.base}/oauth/token`, {
			method: 'POST',
			headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token }),
		});
		check('partner: a revoked grant refreshes no more', again.status === 400, String(again.status));

		noUnexpectedErrors('partner');
		await context.close();
	} finally {
		await srv.stop(false);
	}
}
