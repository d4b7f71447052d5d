// candidate.mjs - the candidate's side of a booking, on a phone (390 px),
// on a server of its own (fresh demo data), axe-core on every new state:
// the Tilleuls manager books Camille an exam (through the API, as the
// school's pages would); Camille reads « Examen réservé » in her
// notifications, finds the exam in « Mes examens » with the centre's
// address, the school and Paris time, downloads the convocation (a PDF)
// and the calendar event; in « Mes mandats » the mandate names the school,
// the revocation dialog says the exam will be cancelled before she
// confirms, and afterwards the exam reads « Annulé » and the notification
// says why. Choosing a school is a search by name or postcode, not an id.
// The school's « Examens »: a convocation link per exam, the CSV export
// for French Excel, the printed list without menu or buttons.
import { onboard, startServer } from './lib.mjs';

// On a phone the menu folds behind « Menu »: open it when it is folded.
async function go(page, name) {
	const link = page.locator('header nav').getByRole('link', { name, exact: true });
	if (!(await link.isVisible()))
		await page.getByRole('button', { name: 'Menu' }).click();
	await link.click();
}

// A JSON call from the page, with its session and XSRF token.
const call = (page, method, path, body) => page.evaluate(async ([m, p, b]) => {
	const token = document.cookie.split(';').map((c) => c.trim().split('='))
		.find(([k]) => k === 'XSRF-TOKEN')?.[1] || '';
	const r = await fetch(p, { method: m, headers: { Accept: 'application/json', 'Content-Type': 'application/json', 'X-XSRF-TOKEN': decodeURIComponent(token) },
		body: b ? JSON.stringify(b) : undefined });
	return { status: r.status, body: await r.json().catch(() => ({})) };
}, [method, path, body]);

// The bytes of a download.
async function downloaded(dl) {
	const stream = await dl.createReadStream();
	const parts = [];
	for await (const part of stream)
		parts.push(part);
	return Buffer.concat(parts);
}

// The school books Camille a slot of department 44 open now; returns the
// exam id (0 when it failed).
async function bookCamille(page) {
	const cands = (await call(page, 'GET', '/api/v1/candidates')).body.candidates || [];
	const camille = cands.find((c) => c.last_name === 'Candidate');
	const slots = (await call(page, 'GET', '/api/v1/slots?department=44&category=B&limit=60')).body.slots || [];
	const slot = slots.find((s) => s.bookable_now);
	const basket = (await call(page, 'GET', '/api/v1/basket')).body.id;
	if (!camille || !slot || !basket)
		return 0;
	await call(page, 'POST', `/api/v1/baskets/${basket}/slots`, { slots: [{ slot_id: slot.id, candidate_id: camille.id }] });
	const v = await call(page, 'POST', `/api/v1/baskets/${basket}/validation`);
	return v.body.results?.[0]?.exam_id || 0;
}

export async function candidateJourneys(browser, { check, openPage }) {
	const srv = await startServer();
	let ok = false;
	try {
		const school = await openPage(browser, { acceptDownloads: true });
		await onboard(school.page, srv.base, srv.accounts['gestion@tilleuls.example']);
		const exam = await bookCamille(school.page);
		check('school: Camille booked an exam', exam > 0, String(exam));
		// « Examens »: the convocation of each exam, the list exported and printed.
		await go(school.page, 'Examens');
		await school.step('Examens');
		const item = school.page.locator('main li.exam').first();
		check('examens (school): a convocation link per booked exam',
			(await item.getByRole('link', { name: /Convocation de l’examen du .* \(PDF\)/ }).getAttribute('href')) === `/api/v1/exams/${exam}/convocation`);
		const [csv] = await Promise.all([school.page.waitForEvent('download', { timeout: 30000 }),
			school.page.getByRole('link', { name: 'Exporter la liste (CSV pour Excel)' }).click()]);
		const bytes = await downloaded(csv);
		check('examens (school): CSV for French Excel (BOM, « ; », French headers)',
			bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf && bytes.toString('utf8').includes('Date;Heure (Paris);Centre d\'examen'));
		await school.page.emulateMedia({ media: 'print' });
		check('examens (school): printed without menu or buttons',
			(await school.page.locator('header nav').isHidden()) && (await school.page.getByRole('button', { name: 'Imprimer la liste' }).isHidden()));
		await school.page.emulateMedia({ media: 'screen' });
		await school.axe('examens, convocation et export');

		const cand = await openPage(browser, { viewport: { width: 390, height: 844 }, acceptDownloads: true });
		const { page, axe, step } = cand;
		await onboard(page, srv.base, srv.accounts.candidate);
		const wide = () => page.evaluate(() => document.documentElement.scrollWidth);

		// Told in the application.
		await go(page, 'Notifications');
		await step('Notifications');
		check('candidate: « Examen réservé » in the notifications', (await page.locator('main').innerText()).includes('Examen réservé'));
		await axe('candidat (téléphone), notifications');

		// « Mes examens »: where, with whom, in which time zone; the documents.
		await go(page, 'Mes examens');
		await step('Mes examens');
		const card = page.locator('main ul.cards li').first();
		const text = await card.innerText();
		check('mes examens: the centre\'s address, the school and Paris time',
			text.includes('Adresse') && text.includes('Tilleuls') && text.includes('heure de Paris'), text);
		check('mes examens (390 px): no sideways scrolling', (await wide()) <= 390, String(await wide()));
		await axe('candidat (téléphone), mes examens');
		const [pdf] = await Promise.all([page.waitForEvent('download', { timeout: 30000 }),
			card.getByRole('link', { name: 'Télécharger la convocation (PDF)' }).click()]);
		const head = await downloaded(pdf);
		check('convocation: a PDF downloaded, named after the exam',
			head.subarray(0, 5).toString() === '%PDF-' && pdf.suggestedFilename() === `convocation-${exam}.pdf`, pdf.suggestedFilename());
		const ics = await page.evaluate(async (id) => (await fetch(`/api/v1/me/exams/${id}/calendar`)).text(), exam);
		check('calendar event: a VEVENT with its UID', ics.includes('BEGIN:VEVENT') && ics.includes(`UID:exam-${exam}@creneau`));

		// « Mes mandats »: the school by name; the revocation says its effect first.
		await go(page, 'Mes mandats');
		await step('Mes mandats');
		const cards = await page.locator('main ul.cards').innerText();
		check('mes mandats: the school named, not a hex id', cards.includes('Tilleuls') && !/[0-9a-f]{32}/.test(cards), cards);
		const search = page.getByLabel('Rechercher une auto-école');
		await search.fill('44300');
		const options = await page.getByLabel('Auto-école', { exact: true }).locator('option').allTextContents();
		check('choose a school: found by postcode, named', options.some((o) => o.includes('Tilleuls')), JSON.stringify(options));
		await search.fill('tilleuls');
		check('choose a school: found by name', (await page.getByLabel('Auto-école', { exact: true }).locator('option').count()) >= 1);
		await axe('candidat (téléphone), mes mandats');
		await page.getByRole('button', { name: 'Révoquer ce mandat…' }).first().click();
		const dlg = page.getByRole('dialog', { name: 'Révoquer ce mandat ?' });
		await dlg.waitFor({ timeout: 5000 });
		const said = await dlg.innerText();
		check('revocation dialog: says the booked exam will be cancelled, before confirming', said.includes('sera annulé'), said);
		check('revocation dialog: says the 30-day delay for an exam less than 7 days away', said.includes('30 jours'), said);
		await axe('candidat (téléphone), dialogue de révocation');
		await dlg.getByRole('button', { name: 'Révoquer le mandat' }).click();
		await page.locator('main [role="status"]').filter({ hasText: 'Mandat révoqué' }).waitFor({ timeout: 30000 });

		await go(page, 'Mes examens');
		await step('Mes examens');
		check('after the revocation: the exam reads « Annulé », no convocation offered',
			(await page.locator('main ul.cards li').first().innerText()).includes('Annulé')
			&& (await page.getByRole('link', { name: 'Télécharger la convocation (PDF)' }).count()) === 0);
		await go(page, 'Notifications');
		await step('Notifications');
		check('after the revocation: the notification says why the exam was cancelled',
			(await page.locator('main').innerText()).includes('avec la fin de votre mandat'));
		await axe('candidat (téléphone), notifications après révocation');
		cand.noUnexpectedErrors('candidate (phone)');
		school.noUnexpectedErrors('school manager');
		await school.context.close();
		await cand.context.close();
		ok = true;
	} finally {
		await srv.stop(!ok);
	}
}
