// appt.mjs - the appointment pages in the browser (run.mjs calls
// apptJourneys, on a server of its own), axe-core on every page state:
//  1. the organisation's admin (agent_admin): the menu by role, the
//     configuration tabs, a new motif and a weekly opening with it, the
//     online booking address;
//  2. an agent's day on a desktop: the week, the next week's free slots of
//     a motif, a booking from a free slot (the user created on the way),
//     the appointment's dialog (« Vu » refused before it starts, then
//     cancelled), the day view, the user's page (a relative added, the
//     record edited); then the same day on a 360-px phone;
//  3. a user booking online on a 360-px phone: service, motif, place,
//     a day and an hour, sign-in (first password changed on the way, the
//     held slot kept), « Vos coordonnées », confirmation, « Mes
//     rendez-vous », moving it (« Déplacer »: free slots of the same motif
//     and place, large buttons, confirmed), its cancellation, and « Mes
//     proches » (one added, a refusal next to its field, one edited);
//  4. booking without an account on a phone (appt_guest.mjs).
import { guestJourney } from './appt_guest.mjs';
import { NEW_PASSWORD, onboard, startServer } from './lib.mjs';

const ADMIN = 'admin.rdv@solidarites44.example';
const AGENT = 'as.martin@solidarites44.example';
const PHONE = { width: 360, height: 740 };

const menu = (page, name) => page.locator('header nav').getByRole('link', { name, exact: true });
const noSideways = (page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

async function adminJourney(browser, srv, t) {
	const { check, openPage } = t;
	const { context, page, axe, step, noUnexpectedErrors } = await openPage(browser, { viewport: { width: 1280, height: 900 } });
	await onboard(page, srv.base, srv.accounts[ADMIN]);
	await step(/^Agenda/);
	const links = await page.locator('header nav a').allTextContents();
	check('menu (agent_admin): Agenda first, Usagers, Configuration des rendez-vous',
		JSON.stringify(links.slice(0, 3)) === JSON.stringify(['Agenda', 'Usagers', 'Configuration des rendez-vous']), JSON.stringify(links));
	await axe('agenda (administration)');

	await menu(page, 'Configuration des rendez-vous').click();
	await step('Configuration des rendez-vous : Services');
	check('configuration: the three demo services listed', (await page.locator('main table tbody tr').count()) === 3);
	const link = await page.locator('.booking-link').textContent();
	const org = /#\/rendez-vous\/([0-9a-f]{32})$/.exec(link);
	check('configuration: the online booking address shown', Boolean(org), link);
	await axe('configuration, services');

	await page.getByRole('link', { name: 'Motifs', exact: true }).click();
	await step('Configuration des rendez-vous : Motifs');
	await axe('configuration, motifs');
	await page.locator('summary', { hasText: 'Ajouter un motif' }).click();
	await page.getByLabel('Nom du motif').fill('');
	await page.getByRole('button', { name: 'Ajouter le motif' }).click();
	await page.waitForFunction(() => document.querySelector('main form [aria-invalid="true"], main form .error:not(:empty)'), null, { timeout: 30000 });
	check('new motif without a name: refused in French, nothing lost',
		/nom|name/i.test(await page.locator('main form').innerText()), await page.locator('main form .error').allTextContents().then((x) => x.join(' ')));
	await axe('configuration, motif refusé');
	await page.getByLabel('Service').selectOption({ label: 'Service social' });
	await page.getByLabel('Nom du motif').fill('Aide aux démarches en ligne');
	await page.getByLabel('Durée (minutes)').fill('30');
	await page.getByRole('button', { name: 'Ajouter le motif' }).click();
	await page.locator('main [role="status"]').filter({ hasText: 'Aide aux démarches en ligne' }).waitFor({ timeout: 30000 });
	check('new motif: listed with its service and duration',
		/Aide aux démarches en ligne\s*Service social\s*Sur place\s*30 min\s*Oui/.test(await page.locator('main table tbody').innerText()));
	await axe('configuration, motif ajouté');

	await page.getByRole('link', { name: 'Lieux', exact: true }).click();
	await step('Configuration des rendez-vous : Lieux');
	const rooms = page.getByLabel('Salles du lieu MDS Châteaubriant (0 : sans limite)');
	check('places: each place\'s rooms shown in its row (4 in the demo)', (await rooms.inputValue()) === '4', await rooms.inputValue());
	await rooms.fill('1001');
	await page.getByRole('button', { name: 'Enregistrer les salles du lieu MDS Châteaubriant' }).click();
	const roomsError = page.locator('.rooms-edit .error').filter({ hasText: '1000' });
	await roomsError.waitFor({ timeout: 30000 });
	check('rooms beyond 1000: refused beside the field, in French, the field marked',
		(await roomsError.textContent()).includes('rooms') && (await rooms.getAttribute('aria-invalid')) === 'true', await roomsError.textContent());
	await axe('configuration, lieux, salles refusées');
	await rooms.fill('2');
	await page.getByRole('button', { name: 'Enregistrer les salles du lieu MDS Châteaubriant' }).click();
	await page.locator('main [role="status"]').filter({ hasText: 'Salles du lieu MDS Châteaubriant enregistrées' }).waitFor({ timeout: 30000 });
	check('rooms: saved, 2 shown after the reload',
		(await page.getByLabel('Salles du lieu MDS Châteaubriant (0 : sans limite)').inputValue()) === '2');
	await axe('configuration, lieux');

	await page.getByRole('link', { name: 'Horaires d’ouverture', exact: true }).click();
	await step('Configuration des rendez-vous : Horaires d’ouverture');
	const before = await page.locator('main table tbody tr').count();
	await page.locator('summary', { hasText: 'Ajouter des horaires' }).click();
	await page.getByLabel('Agent', { exact: true }).selectOption({ label: 'Aline Administratrice' });
	await page.getByLabel('Lieu').selectOption({ label: 'MDS Nantes Nord' });
	await page.getByLabel('Premier jour').fill(new Date().toISOString().slice(0, 10));
	for (const d of ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi'])
		await page.getByLabel(d, { exact: true }).uncheck();
	await page.getByRole('button', { name: 'Ajouter les horaires' }).click();
	check('new opening without a motif: said next to the motifs',
		await page.locator('main form').getByText('Cochez au moins').first().isVisible().catch(() => false));
	await page.getByLabel('samedi', { exact: true }).check();
	await page.getByLabel('Répétition').selectOption('2');
	await page.getByLabel('Heure de début').fill('09:00');
	await page.getByLabel('Heure de fin').fill('12:00');
	await page.getByLabel('Aide aux démarches en ligne').check();
	await page.getByRole('button', { name: 'Ajouter les horaires' }).click();
	await page.locator('main [role="status"]').filter({ hasText: 'ajoutés' }).waitFor({ timeout: 30000 });
	const rows = page.locator('main table tbody tr');
	check('new opening: listed, every other Saturday 9:00 – 12:00',
		(await rows.count()) === before + 1 && /samedi, toutes les 2 semaines, 09:00 – 12:00/.test(await rows.filter({ hasText: 'Aide aux démarches' }).innerText()),
		await page.locator('main table tbody').innerText());
	await axe('configuration, horaires ajoutés');

	await page.getByRole('link', { name: 'Absences', exact: true }).click();
	await step('Configuration des rendez-vous : Absences');
	check('absences: the demo absences listed', (await rows.count()) >= 2);
	await axe('configuration, absences');
	noUnexpectedErrors('agent_admin');
	await context.close();
	return org ? org[1] : '';
}

async function agentDay(browser, srv, t, org) {
	const { check, openPage } = t;
	const { context, page, axe, step, noUnexpectedErrors } = await openPage(browser, { viewport: { width: 1280, height: 900 } });
	await onboard(page, srv.base, srv.accounts[AGENT]);
	await step(/^Agenda : semaine du/);
	check('agenda: seven days, today marked', (await page.locator('section.agenda-day').count()) === 7
		&& (await page.locator('.agenda-today h2').count()) === 1);
	const links = await page.locator('header nav a').allTextContents();
	check('menu (agent): Agenda, Usagers, Configuration des rendez-vous',
		JSON.stringify(links.slice(0, 3)) === JSON.stringify(['Agenda', 'Usagers', 'Configuration des rendez-vous']), JSON.stringify(links));
	await axe('agenda, semaine');

	const thisWeek = await page.locator('main h1').textContent();
	await page.getByRole('link', { name: 'Semaine suivante' }).click();
	await page.waitForFunction((old) => document.querySelector('main h1')?.textContent !== old, thisWeek, { timeout: 30000 });
	await step(/^Agenda : semaine du/);
	check('agenda, next week: opening hours shown', (await page.locator('.agenda-open').count()) >= 3);
	await page.getByLabel('Créneaux libres pour le motif').selectOption({ label: 'Premier accueil social (Sur place, 45 min)' });
	const free = page.locator('.agenda-free button');
	await free.first().waitFor({ timeout: 30000 });
	check('agenda: free slots of the motif shown as buttons', (await free.count()) >= 3);
	await axe('agenda, créneaux libres');

	// Two clicks: the slot, then « Réserver » once the user is found or
	// created.
	const slotText = await free.first().textContent();
	const dayId = await free.first().evaluate((b) => b.closest('section').getAttribute('aria-labelledby'));
	const theDay = page.locator(`section[aria-labelledby="${dayId}"]`);
	await free.first().click();
	const dialog = page.getByRole('dialog');
	await dialog.waitFor({ timeout: 5000 });
	check('booking dialog: focus on the user search', await page.evaluate(() => document.activeElement?.getAttribute('name') === 'last_name'));
	await axe('agenda, nouveau rendez-vous');
	// With the keyboard alone: Escape closes, focus back on the slot, and
	// Enter on it opens the dialog again.
	await page.keyboard.press('Escape');
	await dialog.waitFor({ state: 'detached', timeout: 5000 });
	check('keyboard: Escape closes the dialog, focus back on the slot',
		await page.evaluate((t) => document.activeElement?.textContent === t, slotText));
	await page.keyboard.press('Enter');
	await dialog.waitFor({ timeout: 5000 });
	await dialog.getByRole('button', { name: 'Réserver' }).click();
	check('booking without a user: said in words', (await dialog.locator('[role="alert"]').allTextContents()).join(' ').includes('Choisissez au moins un usager'));
	await dialog.getByLabel('Nom de l’usager').fill('Durand');
	await dialog.locator('.search-user').getByLabel('Date de naissance').fill('1980-03-12');
	await dialog.getByRole('button', { name: 'Rechercher' }).click();
	await dialog.getByText('Aucun usager trouvé').waitFor({ timeout: 30000 });
	await dialog.locator('summary', { hasText: 'Nouvel usager' }).click();
	const create = dialog.locator('details form');
	await create.getByLabel('Nom', { exact: true }).fill('Durand');
	await create.getByLabel('Prénom(s)').fill('Marie');
	await create.getByLabel('Date de naissance').fill('1980-03-12');
	await create.getByRole('button', { name: 'Créer l’usager' }).click();
	await dialog.getByText('Marie Durand, né(e) le 12/03/1980').waitFor({ timeout: 30000 });
	check('new user: created and chosen', await dialog.getByLabel('Marie Durand, né(e) le 12/03/1980').isChecked());
	await axe('agenda, usager créé');
	await dialog.getByRole('button', { name: 'Réserver' }).click();
	await page.locator('main [role="status"]').filter({ hasText: 'Rendez-vous réservé' }).waitFor({ timeout: 30000 });
	const time = slotText.replace('Créneau libre ', '');
	const appt = theDay.locator('.agenda-appt button').filter({ hasText: `${time} Premier accueil social` });
	await appt.first().waitFor({ timeout: 30000 });
	check('booked: the appointment in the agenda, « À venir »', (await appt.first().textContent()).includes('À venir'));
	check('booked: focus back in the page', await page.evaluate(() => !document.querySelector('dialog')));
	await axe('agenda, rendez-vous réservé');

	await appt.first().click();
	await dialog.waitFor({ timeout: 5000 });
	check('appointment dialog: the user named', (await dialog.textContent()).includes('Marie Durand'));
	await axe('agenda, rendez-vous ouvert');
	await dialog.getByRole('button', { name: 'Vu', exact: true }).click();
	await dialog.locator('[role="alert"]').filter({ hasText: /./ }).first().waitFor({ timeout: 30000 });
	check('« Vu » before the appointment: refused in French', /rendez-vous/i.test(await dialog.locator('[role="alert"]').first().textContent()),
		await dialog.locator('[role="alert"]').first().textContent());
	await dialog.getByRole('button', { name: 'Annuler le rendez-vous' }).click();
	await page.locator('main [role="status"]').filter({ hasText: 'Annulé par le service' }).waitFor({ timeout: 30000 });
	const crossed = await theDay.locator('.agenda-cancelled').count();
	const still = await theDay.locator('.agenda-appt:not(.agenda-cancelled) button').filter({ hasText: `${time} Premier accueil social` }).count();
	check('cancelled: no longer « À venir » in the agenda (crossed out or gone)', still === 0, `crossed ${crossed}, live ${still}`);
	const again = await theDay.locator('.agenda-free button').filter({ hasText: slotText }).count();
	check('cancelled: the slot is free again', again >= 1, String(again));
	await axe('agenda, rendez-vous annulé');

	// The day, and the user's page.
	const dayLink = theDay.locator('h2 a');
	await dayLink.click();
	await step(/^Agenda du /);
	check('day view: one day', (await page.locator('section.agenda-day').count()) === 1);
	await axe('agenda, jour');
	await menu(page, 'Usagers').click();
	await step('Usagers');
	await page.locator('form.search-form').getByLabel('Nom', { exact: true }).fill('Durand');
	await page.locator('form.search-form').getByLabel('Date de naissance').fill('1980-03-12');
	await page.getByRole('button', { name: 'Rechercher' }).click();
	await page.getByRole('link', { name: 'Marie Durand' }).click();
	await step('Marie Durand');
	const fileRows = page.locator('table.user-appointments tbody tr');
	check('user page: the appointment booked then cancelled today listed, « Annulé par le service »',
		(await fileRows.count()) === 1 && (await fileRows.first().textContent()).includes('Annulé par le service'),
		(await page.locator('main').textContent()).slice(0, 400));
	await page.locator('summary', { hasText: 'Ajouter un proche' }).click();
	const rel = page.locator('details', { hasText: 'Ajouter un proche' }).locator('form');
	await rel.getByLabel('Nom', { exact: true }).fill('Durand');
	await rel.getByLabel('Prénom(s)').fill('Léo');
	await page.getByRole('button', { name: 'Ajouter le proche' }).click();
	await page.locator('ul.relatives').getByRole('link', { name: 'Léo Durand' }).waitFor({ timeout: 30000 });
	check('user page: the relative added and listed', true);
	await axe('usager et proches');
	// « Modifier la fiche »: every field filled in, a refusal next to
	// its field, then saved.
	const edit = page.locator('details', { hasText: 'Modifier la fiche' });
	await edit.locator('summary').click();
	const ef = edit.locator('form');
	check('edit: the record\'s fields filled in', (await ef.getByLabel('Prénom(s)').inputValue()) === 'Marie'
		&& (await ef.getByLabel('Date de naissance').inputValue()) === '1980-03-12');
	await axe('usager, modifier la fiche');
	await ef.getByLabel('Adresse e-mail').fill('pas-une-adresse');
	await ef.getByRole('button', { name: 'Enregistrer la fiche' }).click();
	await ef.locator('[aria-invalid="true"]').first().waitFor({ timeout: 30000 });
	check('edit: a wrong email refused next to its field', (await ef.getByLabel('Adresse e-mail').getAttribute('aria-invalid')) === 'true'
		&& /e-mail/.test(await ef.getByLabel('Adresse e-mail').evaluate((i) => document.getElementById(i.getAttribute('aria-describedby').split(' ').pop()).textContent)));
	await axe('usager, fiche refusée');
	await ef.getByLabel('Adresse e-mail').fill('marie.durand@exemple.fr');
	await ef.getByLabel('Téléphone').fill('06 11 22 33 44');
	await ef.getByLabel('Situation familiale').selectOption('marie');
	await ef.getByRole('button', { name: 'Enregistrer la fiche' }).click();
	await page.locator('main [role="status"]').filter({ hasText: 'Fiche enregistrée' }).waitFor({ timeout: 30000 });
	check('edit: saved, the new email shown', (await page.locator('main dl').first().textContent()).includes('marie.durand@exemple.fr'));
	await axe('usager, fiche enregistrée');
	// At the counter, Marie (no account) asks for reminders: ticked on
	// her record, the page says since when.
	check('reminders: « Non » until asked for', /Rappels\s*Non/.test(await page.locator('main dl').first().textContent()));
	await edit.locator('summary').click();
	await ef.getByLabel('L’usager souhaite recevoir les rappels de ses rendez-vous').check();
	await ef.getByRole('button', { name: 'Enregistrer la fiche' }).click();
	await page.locator('main [role="status"]').filter({ hasText: 'Fiche enregistrée' }).waitFor({ timeout: 30000 });
	await page.locator('main dl').first().filter({ hasText: 'Oui, demandés le' }).waitFor({ timeout: 30000 });
	check('reminders: recorded, with the day they were asked for',
		(await page.locator('main dl').first().textContent()).includes(`Oui, demandés le ${new Date().toLocaleDateString('fr-FR', { timeZone: 'Europe/Paris' })}`));
	await edit.locator('summary').click();
	check('reminders: the box ticked when the record is edited again', await ef.getByLabel('L’usager souhaite recevoir les rappels de ses rendez-vous').isChecked());
	await axe('usager, rappels demandés');

	// The day on a phone.
	await page.goBack();
	await page.setViewportSize(PHONE);
	await page.goto(`${srv.base}/#/agenda/jour/${new Date().toISOString().slice(0, 10)}`);
	await step(/^Agenda du /);
	check('phone (360 px): no sideways scrolling of the day', await noSideways(page));
	await axe('téléphone, agenda du jour');

	// On a phone, a first request at a service: the waiting list asks
	// the name, as a first booking does.
	if (org) {
		await page.goto(`${srv.base}/#/rendez-vous/${org}`);
		await step('Prendre rendez-vous');
		await page.getByRole('button', { name: /^Service social/ }).click();
		await page.getByRole('button', { name: /^Premier accueil social/ }).click();
		await page.getByRole('button', { name: /^MDS Nantes Nord/ }).click();
		await step('Premier accueil social : choisissez un jour et une heure');
		const first = page.locator('form.wait-first');
		await first.waitFor({ timeout: 30000 });
		await first.getByRole('button', { name: 'Me prévenir si une place se libère' }).click();
		await first.locator('[aria-invalid="true"]').first().waitFor({ timeout: 30000 });
		check('waiting list, first request without a name: said next to the field', (await first.getByLabel('Nom', { exact: true }).getAttribute('aria-invalid')) === 'true');
		await first.getByLabel('Nom', { exact: true }).fill('Martin');
		await first.getByLabel('Prénom(s)').fill('Alex');
		await first.getByRole('button', { name: 'Me prévenir si une place se libère' }).click();
		const said = page.locator('section.wait-offer [role="status"]');
		await said.filter({ hasText: /./ }).waitFor({ timeout: 30000 });
		check('waiting list, first request: noted, until when', /vous serez prévenu\(e\) par courriel.*jusqu’au/.test(await said.textContent()), await said.textContent());
		check('waiting list, first request: no sideways scrolling', await noSideways(page));
		await axe('téléphone, liste d’attente, première demande');
	}
	noUnexpectedErrors('agent');
	await context.close();
}

async function userBooking(browser, srv, t, org) {
	const { check, openPage } = t;
	const { context, page, axe, step, noUnexpectedErrors } = await openPage(browser, { viewport: PHONE, isMobile: true, hasTouch: true });
	const account = srv.accounts.candidate;
	// Without the link: from the sign-in page, by postcode.
	await page.goto(`${srv.base}/`);
	await step('Connexion');
	await page.getByRole('link', { name: 'Trouver le service' }).click();
	await step('Prendre rendez-vous avec un service');
	await axe('annuaire');
	const area = page.getByLabel('Code postal ou département');
	await area.fill('Nantes');
	await page.getByRole('button', { name: 'Rechercher' }).click();
	await page.waitForFunction(() => document.querySelector('input[name="area"]')?.getAttribute('aria-invalid') === 'true');
	const said = await page.evaluate(() => document.querySelector('input[name="area"]').closest('.field, div').textContent);
	check('directory: a town name refused beside the field, in French', /code postal/.test(said), said);
	await area.fill('44600');
	await page.getByRole('button', { name: 'Rechercher' }).click();
	const found = page.locator('.directory-results button.big-choice');
	await found.first().waitFor();
	check('directory: the demo organisation found at Saint-Nazaire\'s postcode, first, « Près de chez vous »',
		(await found.first().textContent()).includes('Solidarités Loire-Atlantique') && (await found.first().textContent()).includes('Près de chez vous'),
		await found.first().textContent());
	check('directory: no sideways scrolling', await noSideways(page));
	await axe('annuaire, résultats');
	await found.first().click();
	await step('Prendre rendez-vous');
	check('booking: the organisation\'s address reached', page.url().endsWith(`#/rendez-vous/${org}`), page.url());
	check('booking: the organisation named under the title', (await page.locator('.booking-org').textContent()).includes('Solidarités Loire-Atlantique'));
	check('booking (signed out, 360 px): services as large buttons',
		(await page.locator('button.big-choice').count()) === 3
		&& (await page.locator('button.big-choice').first().evaluate((b) => b.getBoundingClientRect().height)) >= 44);
	check('booking: no sideways scrolling', await noSideways(page));
	await axe('réservation, service');
	await page.getByRole('button', { name: 'Service social' }).click();
	await step('Prendre rendez-vous : Service social');
	await axe('réservation, motif');
	await page.getByRole('button', { name: /^Premier accueil social/ }).click();
	await step('Premier accueil social : où ?');
	await axe('réservation, lieu');
	await page.getByRole('button', { name: /^MDS Nantes Nord/ }).click();
	await step('Premier accueil social : choisissez un jour et une heure');
	const times = page.locator('button.slot-time');
	check('booking: free hours of a day as buttons', (await times.count()) >= 1);
	check('booking, hours: no sideways scrolling', await noSideways(page));
	check('booking signed out: the waiting list offered to account holders',
		(await page.locator('section.wait-offer').textContent()).includes('Avec un compte Créneau'));
	await axe('réservation, créneaux');
	const days = page.locator('a.day-choice');
	if (await days.count() > 1) {
		await days.nth(1).click();
		await page.locator('a.day-choice[aria-current="date"]').filter({ hasText: await days.nth(1).textContent() }).waitFor({ timeout: 30000 });
	}
	const chosen = await times.first().textContent();
	await times.first().click();
	await step('Identifiez-vous');
	check('identify: the slot held and said', /Premier accueil social : .* à \d\d:\d\d/.test(await page.locator('.booking-summary').textContent()));
	await axe('réservation, identification');
	await page.getByLabel('Adresse e-mail').fill(account.email);
	await page.getByLabel('Mot de passe', { exact: true }).fill(account.password);
	await page.getByRole('button', { name: 'Se connecter' }).click();
	await step('Choisir un nouveau mot de passe');
	await page.getByLabel('Mot de passe actuel').fill(account.password);
	await page.getByLabel('Nouveau mot de passe').fill(NEW_PASSWORD);
	await page.getByRole('button', { name: 'Changer le mot de passe' }).click();
	// A new account's first sign-in: the privacy policy accepted once.
	await step('Politique de confidentialité');
	await page.getByRole('button', { name: 'J’ai lu et j’accepte la politique de confidentialité' }).click();
	await step('Confirmez votre rendez-vous');
	check('after sign-in: back to the held slot', (await page.locator('.booking-summary').textContent()).includes(chosen));
	await axe('réservation, confirmation');
	await page.getByRole('button', { name: 'Confirmer le rendez-vous' }).click();
	await step('Vos coordonnées');
	await axe('réservation, coordonnées');
	await page.getByLabel('Nom', { exact: true }).fill('Lemoine');
	await page.getByLabel('Prénom(s)').fill('Paul');
	await page.getByRole('button', { name: 'Confirmer le rendez-vous' }).click();
	await step('Rendez-vous confirmé');
	check('confirmed: the instructions of the motif shown', (await page.locator('main').textContent()).includes('pièce d\'identité'));
	await axe('réservation, confirmée');
	await page.getByRole('link', { name: 'Voir mes rendez-vous' }).click();
	await step('Mes rendez-vous');
	const cards = page.locator('ul.cards li');
	check('Mes rendez-vous: the new appointment, « À venir »', (await cards.count()) === 1 && (await cards.first().textContent()).includes(chosen)
		&& (await cards.first().textContent()).includes('À venir'));
	check('Mes rendez-vous: the card names the motif and the place with its address',
		(await cards.first().locator('.appt-motif').textContent()) === 'Premier accueil social'
		&& /\S, .*\d/.test(await cards.first().locator('.appt-place').textContent()));
	check('Mes rendez-vous: no sideways scrolling', await noSideways(page));
	await axe('mes rendez-vous');
	await cards.first().getByRole('button', { name: /^Déplacer ce rendez-vous/ }).click();
	const moveTimes = cards.first().locator('.appt-move button.slot-time');
	await moveTimes.first().waitFor({ timeout: 30000 });
	check('Déplacer: free hours of the same motif and place as large buttons',
		(await moveTimes.count()) >= 1 && (await moveTimes.first().evaluate((b) => b.getBoundingClientRect().height)) >= 44);
	check('Déplacer: no sideways scrolling', await noSideways(page));
	await axe('mes rendez-vous, déplacer');
	const moveDays = cards.first().locator('.appt-move a.day-choice');
	if (await moveDays.count() > 1) {
		const last = moveDays.last();
		const label = await last.textContent();
		await last.click();
		await cards.first().locator('.appt-move a.day-choice[aria-current="date"]').filter({ hasText: label }).waitFor({ timeout: 30000 });
	}
	const newTime = await moveTimes.first().textContent();
	await moveTimes.first().click();
	const confirmMove = page.getByRole('button', { name: 'Confirmer le déplacement' });
	await confirmMove.waitFor({ timeout: 30000 });
	check('Déplacer: the new time asked to confirm', (await cards.first().locator('.appt-move').textContent()).includes(newTime));
	await axe('mes rendez-vous, confirmer le déplacement');
	await confirmMove.click();
	await page.locator('main [role="status"]').filter({ hasText: 'est déplacé' }).waitFor({ timeout: 30000 });
	check('moved by the user: the card shows the new time',
		(await cards.count()) === 1 && (await cards.first().locator('h3').textContent()).includes(newTime), await cards.first().textContent());
	await axe('mes rendez-vous, déplacé');
	await cards.first().getByRole('button', { name: /^Annuler ce rendez-vous/ }).click();
	await page.locator('main [role="status"]').filter({ hasText: 'est annulé' }).waitFor({ timeout: 30000 });
	check('cancelled by the user: listed under « Passés ou annulés »', (await page.locator('main').textContent()).includes("Annulé par l'usager"));
	await axe('mes rendez-vous, annulé');

	// « Mes proches »: added under the service's record, then edited.
	await page.getByRole('link', { name: /^Mes proches/ }).click();
	await step('Mes proches');
	check('Mes proches: one list, for the service booked with', (await page.locator('main h2').count()) === 1
		&& (await page.locator('main').textContent()).includes('Aucun proche enregistré'));
	await axe('mes proches, aucun');
	const add = page.locator('details', { hasText: 'Ajouter un proche' });
	await add.locator('summary').click();
	const af = add.locator('form');
	check('add a relative: the family name already there', (await af.getByLabel('Nom', { exact: true }).inputValue()) === 'Lemoine');
	await af.getByRole('button', { name: 'Ajouter le proche' }).click();
	await af.locator('[aria-invalid="true"]').first().waitFor({ timeout: 30000 });
	check('add a relative without a first name: said next to it', (await af.getByLabel('Prénom(s)').getAttribute('aria-invalid')) === 'true');
	await axe('mes proches, refusé');
	await af.getByLabel('Prénom(s)').fill('Jade');
	await af.getByLabel('Date de naissance').fill('2017-09-03');
	await af.getByRole('button', { name: 'Ajouter le proche' }).click();
	await page.locator('main [role="status"]').filter({ hasText: 'proche ajouté' }).waitFor({ timeout: 30000 });
	const rcard = page.locator('li.relative-card');
	check('relative added: listed with the birth date', (await rcard.count()) === 1 && (await rcard.first().textContent()).includes('Jade Lemoine')
		&& (await rcard.first().textContent()).includes('03/09/2017'));
	check('Mes proches: no sideways scrolling', await noSideways(page));
	await axe('mes proches, ajouté');
	await rcard.first().locator('summary').click();
	await rcard.first().getByLabel('Prénom(s)').fill('Jade Louise');
	await rcard.first().getByRole('button', { name: 'Enregistrer' }).click();
	await page.locator('main [role="status"]').filter({ hasText: 'enregistré' }).waitFor({ timeout: 30000 });
	check('relative edited: the new first names shown', (await page.locator('li.relative-card h3').first().textContent()) === 'Jade Louise Lemoine');
	await axe('mes proches, modifié');

	// The waiting list: under the free hours, for Jade; then on « Mes
	// rendez-vous », withdrawn.
	await page.goto(`${srv.base}/#/rendez-vous/${org}`);
	await step('Prendre rendez-vous');
	await page.getByRole('button', { name: /^Service social/ }).click();
	await page.getByRole('button', { name: /^Premier accueil social/ }).click();
	await page.getByRole('button', { name: /^MDS Nantes Nord/ }).click();
	await step('Premier accueil social : choisissez un jour et une heure');
	const offer = page.locator('section.wait-offer');
	await offer.getByRole('button', { name: 'Me prévenir si une place se libère' }).waitFor({ timeout: 30000 });
	check('waiting list: offered for the person or a relative', (await offer.getByRole('radio').count()) === 2);
	await offer.getByLabel('Jade Louise Lemoine').check();
	await offer.getByRole('button', { name: 'Me prévenir si une place se libère' }).click();
	await offer.locator('[role="status"]').filter({ hasText: /./ }).waitFor({ timeout: 30000 });
	check('waiting list: the request said, for Jade, until when',
		/Jade Louise Lemoine sera prévenu\(e\).*jusqu’au \d\d\/\d\d\/\d{4}/.test(await offer.locator('[role="status"]').textContent()),
		await offer.locator('[role="status"]').textContent());
	check('waiting list offer: no sideways scrolling', await noSideways(page));
	await axe('réservation, liste d’attente demandée');
	await page.goto(`${srv.base}/#/mes-rendez-vous`);
	await step('Mes rendez-vous');
	const wcard = page.locator('li.wait-card');
	await wcard.first().waitFor({ timeout: 30000 });
	check('Mes rendez-vous: the waiting list entry, for Jade, still waiting', (await wcard.count()) === 1
		&& (await wcard.first().textContent()).includes('Pour Jade Louise Lemoine') && (await wcard.first().textContent()).includes('En attente d’une place'),
		await wcard.first().textContent());
	await axe('mes rendez-vous, liste d’attente');
	await wcard.first().getByRole('button', { name: /^Ne plus attendre/ }).click();
	await page.locator('main [role="status"]').filter({ hasText: 'n’attend plus' }).waitFor({ timeout: 30000 });
	check('waiting list: withdrawn, the card gone', (await page.locator('li.wait-card').count()) === 0);
	noUnexpectedErrors('user');
	await context.close();
}

// A seat in the demo's weekly workshop, on a phone: the sessions with the
// seats left as large buttons, one held, the person signs in, confirms,
// and finds it in « Mes rendez-vous ».
async function workshopBooking(browser, srv, t, org) {
	const { check, openPage } = t;
	const { context, page, axe, step, noUnexpectedErrors } = await openPage(browser, { viewport: PHONE, isMobile: true, hasTouch: true });
	await page.goto(`${srv.base}/#/rendez-vous/${org}`);
	await step('Prendre rendez-vous');
	await page.getByRole('button', { name: 'Insertion' }).click();
	await step('Prendre rendez-vous : Insertion');
	await page.getByRole('button', { name: /^Atelier collectif recherche d'emploi/ }).click();
	await step('Atelier collectif recherche d\'emploi : où ?');
	await page.getByRole('button', { name: /^MDS Rezé/ }).click();
	await step('Atelier collectif recherche d\'emploi : choisissez une séance');
	const sessions = page.locator('button.session-choice');
	check('workshop: its sessions as large buttons, each with the seats left',
		(await sessions.count()) >= 1 && /\d+ places restantes/.test(await sessions.first().textContent())
		&& (await sessions.first().evaluate((b) => b.getBoundingClientRect().height)) >= 44, await page.locator('main').innerText());
	check('workshop sessions: no sideways scrolling', await noSideways(page));
	await axe('réservation, séances');
	const chosen = (await sessions.first().locator('.big-choice-title').textContent()).trim();
	await sessions.first().click();
	await step('Identifiez-vous');
	check('workshop: the session held and said', (await page.locator('.booking-summary').textContent()).includes(chosen.replace(/^\S+ /, '').slice(0, 6)),
		`${chosen} / ${await page.locator('.booking-summary').textContent()}`);
	await page.getByLabel('Adresse e-mail').fill(srv.accounts.candidate.email);
	await page.getByLabel('Mot de passe', { exact: true }).fill(NEW_PASSWORD);
	await page.getByRole('button', { name: 'Se connecter' }).click();
	await step('Confirmez votre rendez-vous');
	await page.getByRole('button', { name: 'Confirmer le rendez-vous' }).click();
	await step('Rendez-vous confirmé');
	check('workshop confirmed: its instructions shown', (await page.locator('main').textContent()).includes('Atelier en groupe'));
	await page.getByRole('link', { name: 'Voir mes rendez-vous' }).click();
	await step('Mes rendez-vous');
	check('Mes rendez-vous: the workshop listed, 2 h, « À venir »', (await page.locator('ul.cards li').filter({ hasText: chosen }).filter({ hasText: '2 h' }).filter({ hasText: 'À venir' }).count()) === 1,
		await page.locator('main').innerText());
	await axe('mes rendez-vous, atelier');
	noUnexpectedErrors('workshop');
	await context.close();
}

export async function apptJourneys(browser, t) {
	const srv = await startServer();
	let ok = false;
	try {
		const org = await adminJourney(browser, srv, t);
		await agentDay(browser, srv, t, org);
		if (org) {
			await userBooking(browser, srv, t, org);
			await workshopBooking(browser, srv, t, org);
		}
		ok = true;
		// Without an account, on a server with an SMTP server.
		await guestJourney(browser, t);
	} finally {
		await srv.stop(!ok);
	}
}


