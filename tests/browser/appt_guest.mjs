// appt_guest.mjs - booking without an account on a 360-px phone (appt.mjs
// runs it, on a server of its own with a real SMTP server), axe-core on
// every page state: the organisation's booking address, a slot held,
// « Réserver sans créer de compte », the form refused without the notice
// read (the error beside its checkbox), « Consultez votre messagerie »;
// the emailed link opened (the token leaves the address bar), the
// appointment shown and confirmed; the confirmation email's link opens
// « Votre rendez-vous » and cancels it; the used link is refused after.
import { startServer, startSmtp } from './lib.mjs';

const PHONE = { width: 360, height: 740 };
const noSideways = (page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
const fieldError = (input) => input.evaluate((el) =>
	(el.getAttribute('aria-describedby') || '').split(' ').map((id) => document.getElementById(id))
		.filter((e) => e && e.getAttribute('role') === 'alert').map((e) => e.textContent).join(''));

export async function guestJourney(browser, { check, openPage }) {
	const smtp = await startSmtp();
	let srv;
	let ok = false;
	try {
		srv = await startServer({ env: (base) => ({ ...smtp.env, CRENEAU_HTTP_PUBLIC_URL: base, CRENEAU_APPT_PUBLIC_URL: base }) });
		const { context, page, axe, step, errors } = await openPage(browser, { viewport: PHONE, isMobile: true, hasTouch: true });
		const email = 'lea.guest@exemple.test';
		// This server's demo organisation, found as anyone finds it.
		await page.goto(`${srv.base}/#/rendez-vous`);
		await step('Prendre rendez-vous avec un service');
		await page.getByLabel('Code postal ou département').fill('44600');
		await page.getByRole('button', { name: 'Rechercher' }).click();
		const found = page.locator('.directory-results button.big-choice');
		await found.first().waitFor();
		await found.first().click();
		await step('Prendre rendez-vous');
		await page.getByRole('button', { name: 'Service social' }).click();
		await step('Prendre rendez-vous : Service social');
		await page.getByRole('button', { name: /^Premier accueil social/ }).click();
		await step('Premier accueil social : où ?');
		await page.getByRole('button', { name: /^MDS Nantes Nord/ }).click();
		await step('Premier accueil social : choisissez un jour et une heure');
		const times = page.locator('button.slot-time');
		// Not the first day's: its first hour may start within the
		// motif's 4 h deadline, and the journey ends by cancelling.
		const days = page.locator('a.day-choice');
		if (await days.count() > 1) {
			await days.nth(1).click();
			await page.locator('a.day-choice[aria-current="date"]').filter({ hasText: await days.nth(1).textContent() }).waitFor({ timeout: 30000 });
		}
		await times.first().click();
		await step('Identifiez-vous');
		const guest = page.getByRole('button', { name: 'Réserver sans créer de compte' });
		check('guest: « Réserver sans créer de compte » offered beside the sign-in', await guest.isVisible());
		await axe('sans compte, identification');
		await guest.click();
		await step('Réserver sans compte');
		check('guest: the held slot said', /Premier accueil social : .* à \d\d:\d\d/.test(await page.locator('.booking-summary').textContent()));
		check('guest form (360 px): no sideways scrolling', await noSideways(page));
		await axe('sans compte, coordonnées');
		await page.getByLabel('Nom', { exact: true }).fill('Garnier');
		await page.getByLabel('Prénom(s)').fill('Léa');
		await page.getByLabel('Adresse e-mail').fill(email);
		await page.getByLabel('Téléphone (facultatif)').fill('06 11 22 33 44');
		await page.getByRole('button', { name: 'Recevoir le lien de confirmation' }).click();
		const notice = page.locator('#guest-notice-read');
		await page.waitForFunction(() => document.getElementById('guest-notice-read')?.getAttribute('aria-invalid') === 'true');
		check('guest: the notice not read, refused beside its checkbox', /notice/.test(await fieldError(notice)), await fieldError(notice));
		await axe('sans compte, notice non lue');
		await notice.check();
		await page.getByRole('button', { name: 'Recevoir le lien de confirmation' }).click();
		await step('Consultez votre messagerie');
		check('guest: the page names the address the link went to', await page.getByText(email).first().isVisible());
		await axe('sans compte, consultez votre messagerie');

		const mail = await smtp.next(email, '#/rendez-vous/confirmer/');
		const link = new RegExp(`${srv.base.replace(/[.]/g, '\\.')}/#/rendez-vous/confirmer/[A-Za-z0-9_-]{43}`).exec(mail);
		check('guest: the email holds a link to this service', link !== null, mail.slice(0, 300));
		await page.goto(link[0]);
		await step('Confirmez votre rendez-vous');
		check('guest link: the token left the address bar', !page.url().includes('confirmer'), page.url());
		check('guest link: the appointment shown', (await page.locator('.booking-summary').textContent()).includes('Premier accueil social')
			&& (await page.locator('.booking-summary').textContent()).includes('Nantes Nord'));
		check('guest link (360 px): no sideways scrolling', await noSideways(page));
		await axe('sans compte, confirmer');
		await page.getByRole('button', { name: 'Confirmer le rendez-vous' }).click();
		await step('Rendez-vous confirmé');
		await axe('sans compte, confirmé');

		const conf = await smtp.next(email, '#/rendez-vous/gerer/');
		const manage = new RegExp(`${srv.base.replace(/[.]/g, '\\.')}/#/rendez-vous/gerer/[A-Za-z0-9_-]{43}`).exec(conf);
		check('guest: the confirmation holds the cancellation link', manage !== null, conf.slice(0, 300));
		await page.goto(manage[0]);
		await step('Votre rendez-vous');
		check('manage link: the token left the address bar', !page.url().includes('gerer'), page.url());
		await axe('sans compte, votre rendez-vous');
		await page.getByRole('button', { name: 'Annuler ce rendez-vous' }).click();
		await step('Rendez-vous annulé');
		await axe('sans compte, annulé');
		await page.goto(link[0]);
		await step('Lien expiré');
		check('guest link: used, refused in French', (await page.locator('main [role="alert"]').first().textContent()).includes('plus valable'));
		await axe('sans compte, lien expiré');
		const unexpected = errors.filter((e) => !/status of (401|404|410|422)/.test(e));
		check('guest: no unexpected console error or CSP refusal', unexpected.length === 0, unexpected.join(' | '));
		await context.close();
		ok = true;
	} finally {
		if (srv)
			await srv.stop(!ok);
		await smtp.stop();
	}
}
