// school.mjs - the school's pages in the browser (run.mjs calls
// schoolJourneys), axe-core on every new page state:
//  1. the school manager of « Auto-école des Tilleuls »: from the first
//     sign-in with TOTP to « Ma journée » (quota gauges), the slot grid
//     (days as columns with their counts, times as rows, one grid per
//     centre, a slot not yet open says when it opens, filters kept in the
//     address through a reload and back), the basket (4 per action,
//     focus on it after adding, in view while scrolling, counts that
//     follow every change, countdown, 3-minute announcement), a
//     validated booking with two candidates, the same page on a phone
//     (day tabs, no sideways scrolling), the exams, « Réservation confirmée » in the
//     notifications and the menu badge; a validation whose slot has no
//     candidate (CANDIDAT_OBLIGATOIRE in words); cancel (late: 30-day
//     warning), replace and swap; « Nouveau mandat » errors;
//  2. the trainer: no candidate, a direct address says « introuvable »;
//     sees the candidate once the manager assigns them;
//  3. a basket expiring (a second server, 1-minute baskets, run at the
//     same time): the countdown reaches zero, the page says so and the
//     slot is free again;
//  4. four exams for four candidates booked from the grid with the
//     keyboard alone (a third server), the keys counted.
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
		JSON.stringify(links) === JSON.stringify(['Ma journée', 'Réserver des places', 'Examens', 'Candidats', 'Mon compte', 'Mes données', 'Notifications',
			'Applications autorisées']),
		JSON.stringify(links));
	const main = page.locator('main');
	check('Ma journée: quotas of this month and next in words',
		(await main.locator('.quota-month h3').count()) === 2
		&& (await main.textContent()).includes('Département 44, catégorie B : 0 place utilisée sur 5 : il en reste 5.'));
	check('Ma journée: gauges drawn as an image with a title and every figure in its description',
		(await main.locator('svg.chart-gauges[role="img"]').count()) === 2
		&& /44 · B : 0 place utilisée sur 5/.test(await main.locator('svg.chart-gauges desc').first().textContent()));
	await axe('ma journée');

	// --- The slot grid: days as columns, times as rows, per centre.
	await menu(page, 'Réserver des places').click();
	await step('Réserver des places');
	const grid = page.locator('table.slot-grid');
	await grid.first().waitFor();
	check('grid: the school’s department chosen at first, kept in the address',
		(await page.getByLabel('Département').inputValue()) === '44' && /[?&]departement=44\b/.test(page.url()), page.url());
	const heads = await grid.first().locator('thead th').allTextContents();
	check('grid: days as columns (a time column, then six days or more, each with its count)',
		heads[0] === 'Heure' && heads.length >= 7 && heads.slice(1).every((t) => /^(lun|mar|mer|jeu|ven|sam|dim)\. \d+ \S+(aucune place|\d+ places?)/.test(t)),
		JSON.stringify(heads));
	const rowHeads = await grid.first().locator('tbody th').allTextContents();
	check('grid: times as rows, in order', rowHeads.length >= 8 && rowHeads.every((t) => /^\d\d:\d\d$/.test(t))
		&& [...rowHeads].sort().join() === rowHeads.join(), JSON.stringify(rowHeads));
	check('basket: the 4-per-action and 12-per-basket rules in words beside the button',
		/Jusqu’à 4 places par ajout, 12 au plus/.test(await page.locator('.basket-panel .hint').first().textContent()));
	await axe('réserver, grille');

	// Every department: one grid per centre; a slot not yet open says when.
	// The demo's last two exam days were published just now: closed to a
	// school of another department for 24 h. Depending on the weekday they
	// fall in the first week with slots or in the next one.
	await page.getByLabel('Département').selectOption('');
	await page.waitForFunction(() => document.querySelectorAll('table.slot-grid caption .grid-centre').length === 2, null, { timeout: 15000 });
	const weekSel = page.getByLabel('Semaine');
	const firstWeek = await weekSel.inputValue();
	if ((await page.locator('.slot-closed').count()) === 0) {
		const values = await weekSel.locator('option').evaluateAll((os) => os.map((o) => o.value));
		await weekSel.selectOption(values[values.indexOf(firstWeek) + 1]);
	}
	await page.locator('.slot-closed').first().waitFor({ timeout: 15000 });
	const centres = await page.locator('table.slot-grid caption .grid-centre').allTextContents();
	check('grid: one grid per centre', centres.length === 2 && centres.some((c) => c.includes('Nantes')) && centres.some((c) => c.includes('Roche-sur-Yon')),
		JSON.stringify(centres));
	const closed = page.locator('.slot-closed').first();
	check('grid: a slot not yet open shows « Ouvre le … à … » and cannot be ticked',
		/Ouvre le \d+ \S+ à \d\d:\d\d/.test(await closed.textContent()) && (await closed.locator('input').count()) === 0,
		await closed.textContent());
	await axe('réserver, tous départements');
	// Back to the first week: the bookings below are less than 7 days away
	// (the late cancellation's warning).
	if ((await weekSel.inputValue()) !== firstWeek)
		await weekSel.selectOption(firstWeek);

	// Filters in the address: centre, category, week survive a reload and
	// a visit to another page.
	await page.getByLabel('Département').selectOption('44');
	await page.getByLabel('Centre d’examen').selectOption({ label: 'Centre d\'examen de Nantes-Rezé' });
	await page.getByLabel('Catégorie de permis').selectOption('B');
	const weeks = await page.getByLabel('Semaine').locator('option').evaluateAll((os) => os.map((o) => o.value));
	const week = await page.getByLabel('Semaine').inputValue();
	await page.waitForFunction(() => /centre=\d+/.test(location.hash));
	const url = page.url();
	check('filters: centre, category and week written into the address',
		/centre=\d+/.test(url) && /categorie=B/.test(url) && new RegExp(`semaine=${week}`).test(url) && weeks.length >= 8, url);
	await page.reload();
	await step('Réserver des places');
	await grid.first().waitFor();
	const centreSel = page.getByLabel('Centre d’examen');
	const keptCentre = await centreSel.evaluate((s) => s.selectedOptions[0]?.textContent);
	check('filters: kept after a reload (centre, category, week, one grid)',
		keptCentre === 'Centre d\'examen de Nantes-Rezé' && (await page.getByLabel('Catégorie de permis').inputValue()) === 'B'
		&& (await page.getByLabel('Semaine').inputValue()) === week && (await grid.count()) === 1, keptCentre);
	await menu(page, 'Examens').click();
	await step('Examens');
	await page.goBack();
	await step('Réserver des places');
	await grid.first().waitFor();
	check('filters: kept after going to another page and back', page.url() === url
		&& (await centreSel.evaluate((s) => s.selectedOptions[0]?.textContent)) === 'Centre d\'examen de Nantes-Rezé', page.url());

	// A column of 8 places: 5 ticked at once are refused before sending.
	const freeBefore = Number((await page.locator('.grid-summary').textContent()).match(/^(\d+) places? libres?/)[1]);
	const dayHeads = grid.locator('thead th');
	const n = await dayHeads.count();
	let col = -1;
	for (let i = 1; i < n && col < 0; i++)
		if (/8 places$/.test(await dayHeads.nth(i).textContent()))
			col = i;
	check('grid: a day with 8 places', col > 0, JSON.stringify(await dayHeads.allTextContents()));
	const colBoxes = grid.locator(`tbody tr td:nth-child(${col + 1}) input[type="checkbox"]`);
	check('grid: 8 boxes under « 8 places »', (await colBoxes.count()) === 8, String(await colBoxes.count()));
	for (let i = 0; i < 5; i++)
		await colBoxes.nth(i).check();
	const addButton = page.locator('.basket-panel').getByRole('button', { name: /^Ajouter au panier/ });
	check('basket: the button counts the ticked places', (await addButton.textContent()) === 'Ajouter au panier (5 places cochées)', await addButton.textContent());
	await addButton.click();
	check('basket: 5 slots at once refused in words (4 at most)',
		(await page.locator('.basket-panel .error').first().textContent()).includes('ajoutez-en 4 au plus'));
	await colBoxes.nth(4).uncheck();

	// Four of the eight added: focus on the basket, every count follows.
	await addButton.click();
	const basketStatus = page.locator('.basket-panel p[role="status"]');
	await basketStatus.filter({ hasText: '4 places ajoutées' }).waitFor({ timeout: 15000 });
	check('basket: after adding, focus in the basket (the first added place’s candidate)',
		await page.evaluate(() => !!document.activeElement?.closest('.basket-panel') && document.activeElement.tagName === 'SELECT'));
	check('basket: the added places announced with the basket’s count (aria-live)',
		(await basketStatus.textContent()).includes('4 places dans votre panier sur 12'), await basketStatus.textContent());
	await page.waitForFunction((c) => /4 places$/.test(document.querySelector(`table.slot-grid thead th:nth-child(${c + 1})`)?.textContent || ''), col, { timeout: 15000 });
	check('counts: « 4 places » left in the day’s column, 4 boxes, 4 in the basket, summary « 4 places sur 12 »',
		(await colBoxes.count()) === 4 && (await page.locator('.basket-item').count()) === 4
		&& (await page.locator('.basket-summary-line').textContent()).startsWith('4 places sur 12'),
		`${await colBoxes.count()} ${await page.locator('.basket-summary-line').textContent()}`);
	check(`counts: the week’s summary follows (${freeBefore - 4} places after 4 of ${freeBefore} taken)`,
		new RegExp(`^${freeBefore - 4} places? libres?`).test(await page.locator('.grid-summary').textContent()), await page.locator('.grid-summary').textContent());
	// Over the quota: said when the slots are added (5 places, 4 held).
	check('quota: what is left shown beside the grid',
		/^Quota de \S+ \d{4}, département 44, catégorie B : 0 place utilisée sur 5 : il en reste 5\.$/.test(await page.locator('.quota-line li').first().textContent()),
		await page.locator('.quota-line li').first().textContent());
	await colBoxes.nth(0).check();
	await colBoxes.nth(1).check();
	await addButton.click();
	const addError = page.locator('.basket-head .error');
	await addError.filter({ hasText: 'Au-delà du quota' }).waitFor({ timeout: 15000 });
	check('quota: 2 more places refused when added, in words (4 in the basket, 1 more possible)',
		/département 44, catégorie B.*4 places sont déjà dans votre panier\. Vous pouvez encore en ajouter 1 : décochez-en 1\./.test(await addError.textContent())
		&& (await page.locator('.basket-item').count()) === 4, await addError.textContent());
	await colBoxes.nth(0).uncheck();
	await colBoxes.nth(1).uncheck();
	check('basket: a live countdown', /^1[45] min \d\d s$/.test(await page.locator('.basket-clock .countdown').textContent()),
		await page.locator('.basket-clock .countdown').textContent());
	// The basket stays in view while the page scrolls.
	await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
	const inView = async () => page.locator('.basket-panel').evaluate((el) => {
		const r = el.getBoundingClientRect();
		return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0;
	});
	check('basket: in view after scrolling to the end of the grid (desktop)', await inView());
	await page.evaluate(() => window.scrollTo(0, 400));
	check('basket: in view after scrolling half-way (desktop)', await inView());
	await axe('réserver, panier');
	await page.clock.fastForward('12:05');
	await basketStatus.filter({ hasText: 'il reste 3 minutes' }).waitFor({ timeout: 15000 });
	check('basket: announced at 3 minutes left (aria-live status)', true);

	// Two removed (counts back), two with their candidates, validated.
	const removes = page.getByRole('button', { name: /^Retirer la place/ });
	await removes.nth(3).click();
	await basketStatus.filter({ hasText: 'Place retirée' }).waitFor({ timeout: 15000 });
	await page.waitForFunction((c) => /5 places$/.test(document.querySelector(`table.slot-grid thead th:nth-child(${c + 1})`)?.textContent || ''), col, { timeout: 15000 });
	check('counts: a removed place is free again in the grid (5 places, 3 in the basket)',
		(await page.locator('.basket-item').count()) === 3 && (await page.locator('.basket-summary-line').textContent()).startsWith('3 places'));
	await removes.nth(2).click();
	await page.locator('.basket-item').nth(2).waitFor({ state: 'detached', timeout: 5000 });
	const held = page.locator('.basket-item select');
	await held.nth(0).selectOption({ label: 'Camille Candidate (NEPH 000130400000)' });
	await basketStatus.filter({ hasText: 'Camille Candidate est placé(e)' }).waitFor({ timeout: 15000 });
	await held.nth(1).selectOption({ label: 'Hugo Bernard (NEPH 000130400007)' });
	await basketStatus.filter({ hasText: 'Hugo Bernard est placé(e)' }).waitFor({ timeout: 15000 });
	check('basket: two slots held, each with its candidate', (await page.locator('.basket-item').count()) === 2
		&& (await page.locator('.basket-summary-line').textContent()) === '2 places sur 12.', await page.locator('.basket-summary-line').textContent());

	// Validation: both booked, the centre named.
	await page.getByRole('button', { name: /^Valider le panier/ }).click();
	await page.locator('.results-box h3').waitFor({ timeout: 15000 });
	const results = page.locator('.results li');
	check('validation: each slot booked, in words, with its centre', (await results.count()) === 2
		&& (await results.nth(0).textContent()).includes('Réservée')
		&& (await results.nth(0).textContent()).includes('Nantes-Rezé')
		&& (await results.nth(0).textContent()).includes('examen réservé pour Camille Candidate'), await results.nth(0).textContent());
	check('validation: the basket is empty afterwards, and says so', (await page.locator('.basket-item').count()) === 0
		&& (await page.locator('.basket-summary-line').textContent()) === 'Panier vide.');
	check('validation: focus on the result', await page.evaluate(() => document.activeElement?.textContent === 'Résultat de la validation'));
	check('counts: the two booked places stay out of the grid (6 places in the column)',
		/6 places$/.test(await dayHeads.nth(col).textContent()), await dayHeads.nth(col).textContent());
	await axe('réserver, validation');

	// A slot without candidate: CANDIDAT_OBLIGATOIRE, in words.
	await colBoxes.first().check();
	await addButton.click();
	await basketStatus.filter({ hasText: '1 place ajoutée' }).waitFor({ timeout: 15000 });
	await page.getByRole('button', { name: /^Valider le panier/ }).click();
	await results.first().filter({ hasText: 'Non réservée' }).waitFor({ timeout: 15000 });
	check('validation without a candidate: « Non réservée » and the French reason',
		(await results.first().textContent()).includes('Un candidat doit être affecté à ce créneau avant la validation.'), await results.first().textContent());
	check('validation without a candidate: the slot stays in the basket', (await page.locator('.basket-item').count()) === 1);
	await axe('réserver, validation refusée');
	await held.selectOption({ label: 'Lucas Petit (NEPH 000130400021)' });
	await basketStatus.filter({ hasText: 'Lucas Petit est placé(e)' }).waitFor({ timeout: 15000 });
	check('basket: a candidate chosen on a held slot', true);
	await page.getByRole('button', { name: /^Retirer la place/ }).click();
	await basketStatus.filter({ hasText: 'Place retirée' }).waitFor({ timeout: 15000 });
	check('basket: a slot removed, the basket is empty, its count too', (await page.locator('.basket-item').count()) === 0
		&& (await page.locator('.basket-summary-line').textContent()) === 'Panier vide.');

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
	await status.filter({ hasText: 'Emma Robert remplace Hugo Bernard' }).waitFor({ timeout: 15000 });
	check('replace: done, « remplacements : 1 sur 2 »', (await exams.nth(1).textContent()).includes('remplacements : 1 sur 2'));
	await page.getByLabel('Premier examen').selectOption({ index: 1 });
	await page.getByLabel('Second examen').selectOption({ index: 2 });
	await page.getByRole('button', { name: 'Échanger les candidats' }).click();
	await status.filter({ hasText: 'échangés' }).waitFor({ timeout: 15000 });
	check('swap: the two candidates exchanged', (await exams.nth(0).textContent()).includes('Emma Robert')
		&& (await exams.nth(1).textContent()).includes('Camille Candidate'));
	await exams.nth(0).getByRole('button', { name: /^Annuler l’examen/ }).click();
	await cancel.getByRole('button', { name: 'Annuler l’examen' }).click();
	await status.filter({ hasText: 'annulé' }).waitFor({ timeout: 15000 });
	check('cancel: late cancellation says the 30-day delay', (await status.textContent()).includes('Annulation tardive : Emma Robert doit attendre 30 jours'),
		await status.textContent());
	await axe('examens, après annulation');

	// --- Notifications: « Réservation confirmée », the badge, read.
	const badge = page.locator('#nav-unread');
	await badge.waitFor({ timeout: 15000 });
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
	await page.locator('main p[role="status"]').filter({ hasText: 'marquée comme lue' }).waitFor({ timeout: 15000 });
	await page.getByRole('button', { name: 'Tout marquer comme lu' }).click();
	await page.locator('main p[role="status"]').filter({ hasText: /^\d+ notifications? marquées? comme lues?\.$/ }).waitFor({ timeout: 15000 });
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
	await page.locator('main > p[role="status"]').filter({ hasText: 'Enseignant(e) désigné(e)' }).waitFor({ timeout: 15000 });
	check('candidate page: trainer assigned', (await main.textContent()).includes('Désigné(e)'));

	await trainerPage.goto(`${srv.base}/#/accueil`);
	await trainerPage.locator('main h1').filter({ hasText: 'Accueil' }).waitFor();
	await trainerPage.getByRole('link', { name: 'Lucas Petit' }).waitFor({ timeout: 15000 });
	check('trainer: « Accueil » lists the candidate once assigned', (await trainerPage.locator('main tbody tr').count()) === 1);
	await trainerPage.goto(`${srv.base}/#/candidats`);
	await trainerPage.locator('main h1').filter({ hasText: 'Candidats' }).waitFor();
	await trainerPage.getByRole('link', { name: 'Lucas Petit' }).waitFor({ timeout: 15000 });
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
	await nephError.filter({ hasText: '12 chiffres' }).waitFor({ timeout: 15000 });
	check('new mandate: a short NEPH refused next to its field', true);
	await page.getByLabel('Numéro NEPH').fill('000130400021');
	await page.getByRole('button', { name: 'Enregistrer le mandat' }).click();
	await page.locator('.mandate-form [role="alert"]').filter({ hasText: /mandat/ }).first().waitFor({ timeout: 15000 });
	check('new mandate: the API’s French refusal shown (already under our mandate)',
		(await page.locator('.mandate-form').textContent()).includes('mandat'), await page.locator('.mandate-form [role="alert"]').allTextContents().then((x) => x.join('|')));
	check('mandates: the list', (await page.locator('main section:has(h2:text("Mandats")) tbody tr').count()) >= 10);
	await axe('candidats, mandat refusé');

	// On a phone: one day at a time behind day tabs, no sideways
	// scrolling, the basket's bar in view.
	await page.setViewportSize({ width: 390, height: 844 });
	await page.goto(`${srv.base}/#/reserver`);
	await step('Réserver des places');
	const tabs = page.getByRole('tab');
	await tabs.first().waitFor();
	check('phone: day tabs and one day shown, no wide grid',
		(await tabs.count()) >= 6 && (await page.getByRole('tabpanel').count()) === 1 && (await page.locator('table.slot-grid').count()) === 0);
	const noSideways = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
	check('phone: booking page without sideways scrolling', await noSideways());
	const selected = page.locator('[role="tab"][aria-selected="true"]');
	const day1 = await selected.getAttribute('data-day');
	await selected.focus();
	await page.keyboard.press('ArrowRight');
	await page.waitForFunction((d) => document.querySelector('[role="tab"][aria-selected="true"]')?.dataset.day > d, day1);
	const day2 = await selected.getAttribute('data-day');
	check('phone: the arrow keys go to the next day, focus on its tab, the day in the address',
		(await page.evaluate(() => document.activeElement?.getAttribute('role'))) === 'tab' && page.url().includes(`jour=${day2}`), page.url());
	await page.reload();
	await step('Réserver des places');
	await tabs.first().waitFor();
	check('phone: the chosen day kept after a reload', (await selected.getAttribute('data-day')) === day2);
	await page.getByRole('tabpanel').locator('.slot-pick input').first().check();
	await page.locator('.basket-panel').getByRole('button', { name: /^Ajouter au panier/ }).click();
	await basketStatus.filter({ hasText: '1 place ajoutée' }).waitFor({ timeout: 15000 });
	check('phone: after adding, focus in the basket', await page.evaluate(() => !!document.activeElement?.closest('.basket-panel')));
	await page.evaluate(() => window.scrollTo(0, 300));
	check('phone: the basket in view after scrolling', await inView());
	await page.getByRole('button', { name: 'Masquer le détail' }).click();
	await page.evaluate(() => window.scrollTo(0, 0));
	check('phone: the folded basket bar in view at the top of the page, with its count',
		(await inView()) && (await page.locator('.basket-summary-line').textContent()) === '1 place sur 12, dont 1 sans candidat.',
		await page.locator('.basket-summary-line').textContent());
	check('phone: still no sideways scrolling', await noSideways());
	await axe('téléphone, réserver');

	noUnexpectedErrors('school manager');
	await context.close();
}

async function trainerStart(browser, srv, t) {
	const { check, openPage } = t;
	const p = await openPage(browser);
	await onboard(p.page, srv.base, srv.accounts['formation@tilleuls.example']);
	await p.step('Accueil');
	const empty = (await p.page.locator('main .empty').allTextContents()).join(' | ');
	check('trainer: lands on « Accueil », no coming exam and no candidate assigned yet',
		empty.includes('Aucun examen à venir pour vos candidats') && empty.includes('Aucun candidat ne vous est confié'), empty);
	await p.axe('accueil (enseignant), vide');
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
		const box = page.locator('.slot-pick input[type="checkbox"]').first();
		const slotId = await box.getAttribute('value');
		await box.check();
		await page.getByRole('button', { name: /^Ajouter au panier/ }).click();
		await page.locator('.basket-item').waitFor({ timeout: 15000 });
		check('expiry: a 1-minute basket counts down from under a minute',
			/^(1 min 00 s|\d{1,2} s)$/.test(await page.locator('.basket-clock .countdown').textContent()), await page.locator('.basket-clock .countdown').textContent());
		check('expiry: the held slot left the search', (await page.locator(`.slot-pick input[value="${slotId}"]`).count()) === 0);
		const status = page.locator('.basket-panel p[role="status"]');
		await status.filter({ hasText: 'Votre panier a expiré' }).waitFor({ timeout: 80000 });
		check('expiry: the page says the basket expired (aria-live status)', true);
		check('expiry: the basket is empty', (await page.locator('.basket-item').count()) === 0
			&& (await page.locator('.basket').textContent()).includes('Votre panier est vide'));
		await page.locator(`.slot-pick input[value="${slotId}"]`).waitFor({ timeout: 15000 });
		check('expiry: the slot is free again in the search', true);
		await axe('réserver, panier expiré');
		noUnexpectedErrors('expired basket');
		await context.close();
	} finally {
		await srv.stop();
	}
}

// Four exams for four candidates from the grid with the keyboard alone
// (a server of its own, so the quota is whole), counting the keys.
async function keyboardJourney(browser, t) {
	const { check, openPage } = t;
	const srv = await startServer();
	try {
		const { context, page, axe, step, noUnexpectedErrors } = await openPage(browser, { viewport: { width: 1280, height: 900 } });
		await onboard(page, srv.base, srv.accounts[TILLEULS]);
		await page.goto(`${srv.base}/#/reserver`);
		await step('Réserver des places');
		await page.locator('table.slot-grid').first().waitFor();
		await page.locator('main h1').focus();
		let keys = 0;
		const press = async (k) => {
			keys++;
			await page.keyboard.press(k);
		};
		const on = (sel) => page.evaluate((x) => !!document.activeElement?.matches(x), sel);
		while (!(await on('.slot-pick input')) && keys < 30)
			await press('Tab');
		for (let i = 0; i < 4; i++) {
			if (i)
				await press('Tab');
			await press('Space');
		}
		await press('Enter');
		const status = page.locator('.basket-panel p[role="status"]');
		await status.filter({ hasText: '4 places ajoutées' }).waitFor({ timeout: 15000 });
		check('keyboard: Enter on a ticked box adds the ticked places, focus on the first one’s candidate',
			(await page.locator('.basket-item').count()) === 4 && (await on('.basket-item select')));
		// One letter per candidate: names whose initial is theirs alone.
		const labels = await page.locator('.basket-item select').first().locator('option').allTextContents();
		const initials = labels.slice(1).map((l) => l[0]);
		const picks = labels.slice(1).filter((l) => initials.filter((c) => c === l[0]).length === 1).slice(0, 4);
		check('keyboard: four candidates to pick by their initial', picks.length === 4, JSON.stringify(labels));
		for (let i = 0; i < 4; i++) {
			if (i) {
				await press('Tab'); // « Retirer »
				await press('Tab');
			}
			await press(picks[i][0]);
			await status.filter({ hasText: `${picks[i].replace(/ \(NEPH.*$/, '')} est placé(e)` }).waitFor({ timeout: 15000 });
		}
		await press('Tab');
		await press('Tab');
		check('keyboard: the validation button reached',
			await page.evaluate(() => /^Valider le panier/.test(document.activeElement?.textContent || '')));
		await press('Enter');
		await page.locator('.results-box h3').waitFor({ timeout: 15000 });
		const booked = await page.locator('.results li.level-done').count();
		check(`keyboard: four exams for four candidates booked from the grid in ${keys} keys`, booked === 4 && keys <= 30,
			`${booked} booked, ${keys} keys`);
		console.log(`note: keyboard booking of 4 exams for 4 candidates: ${keys} key presses from the page's heading`);
		await axe('réserver, clavier');
		noUnexpectedErrors('keyboard booking');
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
	await keyboardJourney(browser, t);
}
