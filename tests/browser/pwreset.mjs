// pwreset.mjs - « Mot de passe oublié » in the browser, on a server of its
// own with a real SMTP server (aiosmtpd), axe-core on every page state:
// the candidate asks for a link from the sign-in page, opens the link of
// the email (the token leaves the address bar), is refused a weak
// password next to its field, sets a good one, signs in with it, is told
// by email that the password changed, and finds the link used up.
import { NEW_PASSWORD, startServer, startSmtp, waitHeading } from './lib.mjs';

const fieldError = (input) => input.evaluate((el) =>
	(el.getAttribute('aria-describedby') || '').split(' ').map((id) => document.getElementById(id))
		.filter((e) => e && e.getAttribute('role') === 'alert').map((e) => e.textContent).join(''));

export async function pwresetJourneys(browser, { check, openPage }) {
	const smtp = await startSmtp();
	let srv;
	try {
		srv = await startServer({ env: (base) => ({ ...smtp.env, CRENEAU_HTTP_PUBLIC_URL: base }) });
		const account = srv.accounts.candidate;
		const { context, page, axe, step, noUnexpectedErrors } = await openPage(browser);

		await page.goto(`${srv.base}/`);
		await step('Connexion');
		await page.getByRole('button', { name: 'Mot de passe oublié ?' }).click();
		await step('Mot de passe oublié');
		await axe('mot de passe oublié');
		await page.getByLabel('Adresse e-mail').fill(account.email);
		await page.getByRole('button', { name: 'Recevoir le lien' }).click();
		await step('Connexion');
		check('reset: the sign-in page says a link was sent if the address has an account',
			await page.getByText('Si cette adresse correspond à un compte').isVisible());
		await axe('connexion, lien envoyé');

		const mail = await smtp.next(account.email, '#reinitialisation=');
		const link = new RegExp(`${srv.base.replace(/[.]/g, '\\.')}/#reinitialisation=[A-Za-z0-9_-]{43}`).exec(mail);
		check('reset: the email holds a link to this service', link !== null, mail.slice(0, 300));
		if (!link)
			return;

		await page.goto(link[0]);
		await step('Choisir un nouveau mot de passe');
		check('reset: the token left the address bar', !page.url().includes('reinitialisation'), page.url());
		await axe('nouveau mot de passe');
		const pw = page.getByLabel('Nouveau mot de passe');
		await pw.fill('motdepasse');
		await page.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
		await page.waitForFunction(() => document.querySelector('input[aria-invalid="true"]'), null, { timeout: 30000 });
		check('reset: a weak password is refused next to its field', (await fieldError(pw)).length > 0);
		await axe('nouveau mot de passe, refusé');
		await pw.fill(NEW_PASSWORD);
		await page.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
		await step('Connexion');
		check('reset: the sign-in page says the password changed',
			await page.getByText('Votre mot de passe a été changé').isVisible());

		await page.getByLabel('Adresse e-mail').fill(account.email);
		await page.getByLabel('Mot de passe', { exact: true }).fill(NEW_PASSWORD);
		await page.getByRole('button', { name: 'Se connecter' }).click();
		await page.locator('main h1').filter({ hasNotText: 'Connexion' }).waitFor({ timeout: 30000 });
		const h1 = await page.locator('main h1').textContent();
		check('reset: the new password signs in, with nothing more to change', !/mot de passe/i.test(h1), h1);
		await axe('connecté après réinitialisation');
		const told = await smtp.next(account.email, 'Votre mot de passe a été changé').catch(() => '');
		check('reset: the person is told by email that the password changed', told !== '');

		// The link serves once.
		const again = await openPage(browser);
		await again.page.goto(link[0]);
		await waitHeading(again.page, 'Choisir un nouveau mot de passe');
		await again.page.getByLabel('Nouveau mot de passe').fill('un autre Mot de passe 2042 solide');
		await again.page.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
		await again.page.locator('form [role="alert"]').filter({ hasText: "n'est plus valable" }).first()
			.waitFor({ timeout: 30000 });
		check('reset: a used link is refused with a clear message', true);
		await again.axe('lien déjà utilisé');
		await again.context.close();

		noUnexpectedErrors('password reset');
		await context.close();
	} finally {
		if (srv)
			await srv.stop();
		await smtp.stop();
	}
}
