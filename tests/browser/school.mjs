// school.mjs - the school's pages in the browser (run.mjs calls
// schoolJourneys), axe-core on every new page state:
//  1. the school manager of « Auto-école des Tilleuls »: from the first
//     sign-in with TOTP to « Ma journée » (quota gauges), the slot search
//     (a slot not yet open says when it opens), the basket (4 per action,
//     countdown, 3-minute announcement), a validated booking with two
//     candidates, the exams, « Réservation confirmée » in the
//     notifications and the menu badge; a validation whose slot has no
//     candidate (CANDIDAT_OBLIGATOIRE in words); cancel (late: 30-day
//     warning), replace and swap; « Nouveau mandat » errors;
//  2. the trainer: no candidate, a direct address says « introuvable »;
//     sees the candidate once the manager assigns them;
//  3. a basket expiring (a second server, 1-minute baskets, run at the
//     same time): the countdown reaches zero, the page says so and the
//     slot is free again.
import { onboard, startServer } from './lib.mjs';

const TILLEULS = 'gestion@tilleuls.example';

// A JSON GET from the page, with its session.
const get = (page, path) => page.evaluate(async (p) => (await fetch(p)).json(), path);

const menu = (page, name) => page.locator('header nav').getByRole('link', { name, exact: true });

async function managerJourney(browser, srv, t, trainerPage) {
	const { check, openPage } = t;
	const { context, page, axe, step, noUnexpectedErrors } = await openPage(browser, { viewport: { width: 1280, height: 900 } });
	// A clock the test may move forward (the 3-minute warning); it runs
	// at the real pace otherwise.
	await page.clock.install();

	await onboard(page, srv.base, srv.accounts[TILLEULS]);
	await step('Ma journée');
	const links = await page.locator('header nav a').allTextContents();
	check('menu (school_manager): Ma journée first, then booking, exams, candidates… and Notifications',
		JSON.stringify(links) === JSON.stringify(['Ma journée', 'Réserver des places', 'Examens', 'Candidats', 'Mon compte', 'Mes données', 'Notifications']),
		JSON.stringify(links));
	const main = page.locator('main');
	check('Ma journée: quotas of this month and next in words',
		(await main.locator('.quota-month h3').count()) === 2
		&& (await main.textContent()).includes('Département 44, catégorie B : 0 place utilisée sur 5 : il en reste 5.'));
	check('Ma journée: gauges drawn as an image with a title and every figure in its description',
		(await main.locator('svg.chart-gauges[role="img"]').count()) === 2
		&& /44 · B : 0 place utilisée sur 5/.test(await main.locator('svg.chart-gauges desc').first().textContent()));
	await axe('ma journée');

	// --- Search: grouped by day, slots not yet open say when.
	await menu(page, 'Réserver des places').click();
	await step('Réserver des places');
	await page.locator('.slot-day').first().waitFor();
	check('search: the school’s department chosen at first', (await page.getByLabel('Département').inputValue()) === '44');
	await page.getByLabel('Département').selectOption('');
	await page.getByRole('button', { name: 'Rechercher' }).click();
	await page.locator('.slot.closed').first().waitFor({ timeout: 5000 });
	const days = await page.locator('.slot-day h3').count();
	const closed = page.locator('.slot.closed').first();
	check('search: slots grouped by day', days >= 5, String(days));
	check('search: a slot not yet open shows « Ouvre le … » and cannot be chosen',
		/Ouvre le \S+ \d+ \S+ \d{4} à \d\d:\d\d/.test(await closed.textContent()) && (await closed.locator('input').count()) === 0,
		await closed.textContent());
	check('basket: the 4-per-action and 12-per-basket rules in words beside the button',
		/jusqu’à 4 places à la fois.*au plus 12 places/.test(await page.locator('.add-bar .hint').textContent()));
	await axe('réserver, recherche');
	await page.getByLabel('Département').selectOption('44');
	await Promise.all([page.waitForResponse((r) => r.url().includes('/api/v1/slots?department=44')),
		page.getByRole('button', { name: 'Rechercher' }).click()]);
	await page.locator('main p[role="status"]').filter({ hasText: 'trouvées' }).waitFor({ timeout: 5000 });
	check('search: only open slots in the school’s department', (await page.locator('.slot.closed').count()) === 0);

	// More than 4 at once: said before anything is sent.
	const boxes = page.locator('.slot input[type="checkbox"]');
	for (let i = 0; i < 5; i++)
		await boxes.nth(i).check();
	await page.getByRole('button', { name: /^Ajouter au panier/ }).click();
	check('basket: 5 slots at once refused in words (4 at most)',
		(await page.locator('.add-bar .error').textContent()).includes('ajoutez-en 4 au plus'));
	for (let i = 2; i < 5; i++)
		await boxes.nth(i).uncheck();

	// Two slots with their candidates.
	const rows = page.locator('.slot:has(input:checked)');
	await rows.nth(0).getByRole('combobox').selectOption({ label: 'Camille Candidate (NEPH 000130400000)' });
	await rows.nth(1).getByRole('combobox').selectOption({ label: 'Hugo Bernard (NEPH 000130400007)' });
	await axe('réserver, places cochées');
	await page.getByRole('button', { name: /^Ajouter au panier/ }).click();
	const basketStatus = page.locator('section:has(h2:text("Mon panier")) p[role="status"]');
	await basketStatus.filter({ hasText: '2 places ajoutées' }).waitFor({ timeout: 5000 });
	check('basket: two slots held, each with its candidate',
		(await page.locator('.basket-item').count()) === 2
		&& (await page.locator('.basket-item select').nth(0).inputValue()) !== '');
	check('basket: a live countdown', /^1[45] min \d\d s$/.test(await page.locator('.basket-clock .countdown').textContent()),
		await page.locator('.basket-clock .countdown').textContent());
	await axe('réserver, panier');
	await page.clock.fastForward('12:05');
	await basketStatus.filter({ hasText: 'il reste 3 minutes' }).waitFor({ timeout: 5000 });
	check('basket: announced at 3 minutes left (aria-live status)', true);

	// Validation: both booked.
	await page.getByRole('button', { name: /^Valider le panier/ }).click();
	await page.locator('.results-box h3').waitFor({ timeout: 5000 });
	const results = page.locator('.results li');
	check('validation: each slot booked, in words', (await results.count()) === 2
		&& (await results.nth(0).textContent()).includes('Réservée')
		&& (await results.nth(0).textContent()).includes('examen réservé pour Camille Candidate'), await results.nth(0).textContent());
	check('validation: the basket is empty afterwards', (await page.locator('.basket-item').count()) === 0);
	check('validation: focus on the result', await page.evaluate(() => document.activeElement?.textContent === 'Résultat de la validation'));
	await axe('réserver, validation');

	// A slot without candidate: CANDIDAT_OBLIGATOIRE, in words.
	await page.locator('.slot input[type="checkbox"]').first().check();
	await page.getByRole('button', { name: /^Ajouter au panier/ }).click();
	await basketStatus.filter({ hasText: '1 place ajoutée' }).waitFor({ timeout: 5000 });
	await page.getByRole('button', { name: /^Valider le panier/ }).click();
	await results.first().filter({ hasText: 'Non réservée' }).waitFor({ timeout: 5000 });
	check('validation without a candidate: « Non réservée » and the French reason',
		(await results.first().textContent()).includes('Un candidat doit être affecté à ce créneau avant la validation.'), await results.first().textContent());
	check('validation without a candidate: the slot stays in the basket', (await page.locator('.basket-item').count()) === 1);
	await axe('réserver, validation refusée');
	const held = page.locator('.basket-item select');
	await held.selectOption({ label: 'Lucas Petit (NEPH 000130400021)' });
	await basketStatus.filter({ hasText: 'Lucas Petit est placé(e)' }).waitFor({ timeout: 5000 });
	check('basket: a candidate chosen on a held slot', true);
	await page.getByRole('button', { name: /^Retirer la place/ }).click();
	await basketStatus.filter({ hasText: 'Place retirée' }).waitFor({ timeout: 5000 });
	check('basket: a slot removed, the basket is empty', (await page.locator('.basket-item').count()) === 0);

	// --- Exams: listed with names; cancel dialog; replace; swap.
	await menu(page, 'Examens').click();
	await step('Examens');
	const exams = page.locator('ul.exams > li');
	check('exams: the two booked exams, with their candidates', (await exams.count()) === 2
		&& (await exams.nth(0).textContent()).includes('Camille Candidate') && (await exams.nth(1).textContent()).includes('Hugo Bernard'));
	await axe('examens');
	await exams.nth(0).getByRole('button', { name: /^Annuler l’examen/ }).click();
	const cancel = page.getByRole('dialog', { name: 'Annuler cet examen ?' });
	await cancel.waitFor();
	check('cancel dialog: warns that less than 7 days before it starts a 30-day delay',
		/moins de 7 jours.*30 jours/.test(await cancel.textContent()));
	await axe('examens, annulation');
	await cancel.getByRole('button', { name: 'Garder l’examen' }).click();
	await cancel.waitFor({ state: 'detached' });
	await exams.nth(1).getByRole('button', { name: /^Remplacer le candidat/ }).click();
	const repl = page.getByRole('dialog', { name: 'Remplacer le candidat' });
	await repl.waitFor();
	await repl.getByLabel('Nouveau candidat').selectOption({ label: 'Emma Robert (NEPH 000130400028)' });
	await axe('examens, remplacement');
	await repl.getByRole('button', { name: 'Remplacer le candidat' }).click();
	const status = page.locator('main > p[role="status"]');
	await status.filter({ hasText: 'Emma Robert remplace Hugo Bernard' }).waitFor({ timeout: 5000 });
	check('replace: done, « remplacements : 1 sur 2 »', (await exams.nth(1).textContent()).includes('remplacements : 1 sur 2'));
	await page.getByLabel('Premier examen').selectOption({ index: 1 });
	await page.getByLabel('Second examen').selectOption({ index: 2 });
	await page.getByRole('button', { name: 'Échanger les candidats' }).click();
	await status.filter({ hasText: 'échangés' }).waitFor({ timeout: 5000 });
	check('swap: the two candidates exchanged', (await exams.nth(0).textContent()).includes('Emma Robert')
		&& (await exams.nth(1).textContent()).includes('Camille Candidate'));
	await exams.nth(0).getByRole('button', { name: /^Annuler l’examen/ }).click();
	await cancel.getByRole('button', { name: 'Annuler l’examen' }).click();
	await status.filter({ hasText: 'annulé' }).waitFor({ timeout: 5000 });
	check('cancel: late cancellation says the 30-day delay', (await status.textContent()).includes('Annulation tardive : Emma Robert doit attendre 30 jours'),
		await status.textContent());
	await axe('examens, après annulation');

	// --- Notifications: « Réservation confirmée », the badge, read.
	const badge = page.locator('#nav-unread');
	await badge.waitFor({ timeout: 5000 });
	check('menu: unread badge beside « Notifications », described to assistive technologies',
		/^\d+ non lues?$/.test(await badge.textContent()) && (await menu(page, 'Notifications').getAttribute('aria-describedby')) === 'nav-unread',
		await badge.textContent());
	await menu(page, 'Notifications').click();
	await step('Notifications');
	const notes = page.locator('ul.notifications > li');
	const texts = await notes.allTextContents();
	const confirmed = texts.find((x) => x.includes('Réservation confirmée')) || '';
	check('notifications: « Réservation confirmée » with the candidates’ names',
		confirmed.includes('2 places d’examen réservées') && confirmed.includes('Camille Candidate') && confirmed.includes('Hugo Bernard'), confirmed);
	check('notifications: the failed validation and the cancellation in words',
		texts.some((x) => x.includes('Réservation non validée') && x.includes('Aucun candidat n’était choisi'))
		&& texts.some((x) => x.includes('Réservation annulée') && x.includes('30 jours')), texts.join(' | '));
	await axe('notifications');
	await notes.first().getByRole('button', { name: /^Marquer comme lue/ }).click();
	await page.locator('main p[role="status"]').filter({ hasText: 'marquée comme lue' }).waitFor({ timeout: 5000 });
	await page.getByRole('button', { name: 'Tout marquer comme lu' }).click();
	await page.locator('main p[role="status"]').filter({ hasText: /^\d+ notifications? marquées? comme lues?\.$/ }).waitFor({ timeout: 5000 });
	check('notifications: all read, badge gone', (await page.locator('.notification.unread').count()) === 0 && (await badge.count()) === 0);
	await axe('notifications, lues');

	// --- Candidates, the trainer, mandates.
	const cands = (await get(page, '/api/v1/candidates')).candidates;
	const lucas = cands.find((c) => c.last_name === 'Petit');
	await trainerPage.goto(`${srv.base}/#/candidats/${lucas.id}`);
	await trainerPage.locator('main h1').filter({ hasText: 'Candidat introuvable' }).waitFor({ timeout: 30000 });
	check('trainer: a candidate not assigned to them, by direct address: « Candidat introuvable »', true);
	const trainerId = (await get(trainerPage, '/api/v1/me')).id;

	await menu(page, 'Candidats').click();
	await step('Candidats');
	check('candidates (manager): the school’s ten under mandate', (await page.locator('main table').first().locator('tbody tr').count()) === 10);
	await axe('candidats');
	await page.getByRole('link', { name: 'Lucas Petit' }).click();
	await step('Lucas Petit');
	check('candidate page: NEPH and mandate', (await main.textContent()).includes('000130400021'));
	await axe('fiche candidat');
	// The school's trainers are offered by name (GET /api/v1/trainers).
	await page.getByRole('combobox', { name: 'Enseignant(e) de la conduite' }).selectOption(trainerId);
	await page.getByRole('button', { name: 'Désigner l’enseignant(e)' }).click();
	await page.locator('main > p[role="status"]').filter({ hasText: 'Enseignant(e) désigné(e)' }).waitFor({ timeout: 5000 });
	check('candidate page: trainer assigned', (await main.textContent()).includes('Désigné(e)'));

	await trainerPage.goto(`${srv.base}/#/candidats`);
	await trainerPage.locator('main h1').filter({ hasText: 'Candidats' }).waitFor();
	await trainerPage.getByRole('link', { name: 'Lucas Petit' }).waitFor({ timeout: 5000 });
	check('trainer: sees the candidate once assigned, and only them', (await trainerPage.locator('main tbody tr').count()) === 1);
	await trainerPage.getByRole('link', { name: 'Lucas Petit' }).click();
	await trainerPage.locator('main h1').filter({ hasText: 'Lucas Petit' }).waitFor();
	check('trainer: the candidate’s page, without the assignment form', (await trainerPage.locator('main form').count()) === 0
		&& (await trainerPage.locator('main').textContent()).includes('Vous'));

	// « Nouveau mandat »: our own check, then the API's refusal.
	await menu(page, 'Candidats').click();
	await step('Candidats');
	await page.getByLabel('Numéro NEPH').fill('123');
	await page.getByLabel('Nom', { exact: true }).fill('Petit');
	await page.getByLabel('Prénoms').fill('Lucas');
	await page.getByRole('button', { name: 'Enregistrer le mandat' }).click();
	const nephError = page.locator('.mandate-form .field:has(#' + await page.getByLabel('Numéro NEPH').getAttribute('id') + ') .error');
	await nephError.filter({ hasText: '12 chiffres' }).waitFor({ timeout: 5000 });
	check('new mandate: a short NEPH refused next to its field', true);
	await page.getByLabel('Numéro NEPH').fill('000130400021');
	await page.getByRole('button', { name: 'Enregistrer le mandat' }).click();
	await page.locator('.mandate-form [role="alert"]').filter({ hasText: /mandat/ }).first().waitFor({ timeout: 5000 });
	check('new mandate: the API’s French refusal shown (already under our mandate)',
		(await page.locator('.mandate-form').textContent()).includes('mandat'), await page.locator('.mandate-form [role="alert"]').allTextContents().then((x) => x.join('|')));
	check('mandates: the list', (await page.locator('main section:has(h2:text("Mandats")) tbody tr').count()) >= 10);
	await axe('candidats, mandat refusé');

	// On a phone: the booking page without sideways scrolling.
	await page.setViewportSize({ width: 390, height: 844 });
	await page.goto(`${srv.base}/#/reserver`);
	await step('Réserver des places');
	check('phone: booking page without sideways scrolling', await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth));
	await axe('téléphone, réserver');

	noUnexpectedErrors('school manager');
	await context.close();
}

async function trainerStart(browser, srv, t) {
	const { check, openPage } = t;
	const p = await openPage(browser);
	await onboard(p.page, srv.base, srv.accounts['formation@tilleuls.example']);
	await p.step('Candidats');
	check('trainer: lands on « Candidats », none assigned yet',
		(await p.page.locator('main .empty').textContent()).includes('Aucun candidat ne vous est confié'));
	await p.axe('candidats (enseignant), vide');
	return p;
}

async function expiryJourney(browser, t) {
	const { check, openPage } = t;
	const srv = await startServer({ env: { CRENEAU_BOOKING_BASKET_TTL_MINUTES: '1' } });
	try {
		const { context, page, axe, step, noUnexpectedErrors } = await openPage(browser);
		await onboard(page, srv.base, srv.accounts[TILLEULS]);
		await page.goto(`${srv.base}/#/reserver`);
		await step('Réserver des places');
		const box = page.locator('.slot input[type="checkbox"]').first();
		const slotId = await box.getAttribute('value');
		await box.check();
		await page.getByRole('button', { name: /^Ajouter au panier/ }).click();
		await page.locator('.basket-item').waitFor({ timeout: 5000 });
		check('expiry: a 1-minute basket counts down from under a minute',
			/^(1 min 00 s|\d{1,2} s)$/.test(await page.locator('.basket-clock .countdown').textContent()), await page.locator('.basket-clock .countdown').textContent());
		check('expiry: the held slot left the search', (await page.locator(`.slot input[value="${slotId}"]`).count()) === 0);
		const status = page.locator('section:has(h2:text("Mon panier")) p[role="status"]');
		await status.filter({ hasText: 'Votre panier a expiré' }).waitFor({ timeout: 80000 });
		check('expiry: the page says the basket expired (aria-live status)', true);
		check('expiry: the basket is empty', (await page.locator('.basket-item').count()) === 0
			&& (await page.locator('.basket').textContent()).includes('Votre panier est vide'));
		await page.locator(`.slot input[value="${slotId}"]`).waitFor({ timeout: 5000 });
		check('expiry: the slot is free again in the search', true);
		await axe('réserver, panier expiré');
		noUnexpectedErrors('expired basket');
		await context.close();
	} finally {
		await srv.stop();
	}
}

// t: { check, openPage } of run.mjs.
export async function schoolJourneys(browser, srv, t) {
	const expiry = expiryJourney(browser, t).catch((err) => t.check('expiry journey ran to the end', false, err.stack || String(err)));
	const trainer = await trainerStart(browser, srv, t);
	await managerJourney(browser, srv, t, trainer.page);
	trainer.noUnexpectedErrors('trainer');
	await trainer.context.close();
	await expiry;
}
