// supervision.mjs - the regional supervisor and the school administrator
// in the browser (run.mjs calls supervisionJourneys), on a server of
// their own, axe-core on every new page state: the Tilleuls manager has
// booked an exam; the supervisor sees the regional planning (table and
// chart, no candidate), asks to move the exam with a reason, and sees
// the request waiting; the exam has not moved; the Tilleuls
// administrator approves it in « Demandes à approuver »; the exam is on
// the new slot and the supervisor sees the request approved.
import { onboard, startServer } from './lib.mjs';

const menu = (page, name) => page.locator('header nav').getByRole('link', { name, exact: true });

// A JSON call from the page, with its session and CSRF token.
function apiCall(page, method, path, body) {
	return page.evaluate(async ([m, p, b]) => {
		const xsrf = (document.cookie.match(/(?:^|;\s*)XSRF-TOKEN=([^;]*)/) || [])[1] || '';
		const r = await fetch(p, {
			method: m,
			headers: { 'Content-Type': 'application/json', 'X-XSRF-TOKEN': decodeURIComponent(xsrf) },
			body: b === undefined ? undefined : JSON.stringify(b),
		});
		return { status: r.status, body: await r.json().catch(() => null) };
	}, [method, path, body]);
}

// The manager books one exam in department 44; returns { exam, slot }.
async function bookOne(page) {
	const { body: { candidates } } = await apiCall(page, 'GET', '/api/v1/candidates');
	const { body: { slots } } = await apiCall(page, 'GET', '/api/v1/slots?department=44&category=B');
	const slot = slots.find((s) => s.bookable_now);
	const cand = candidates.find((c) => c.category === 'B');
	const { body: basket } = await apiCall(page, 'GET', '/api/v1/basket');
	await apiCall(page, 'POST', `/api/v1/baskets/${basket.id}/slots`, { slots: [{ slot_id: slot.id, candidate_id: cand.id }] });
	const { body: v } = await apiCall(page, 'POST', `/api/v1/baskets/${basket.id}/validation`);
	return { exam: v.results[0].exam_id, slot: slot.id };
}

async function slotOfExam(page, id) {
	const { body } = await apiCall(page, 'GET', '/api/v1/exams');
	return (body.exams.find((e) => e.id === id) || {}).slot_id;
}

export async function supervisionJourneys(browser, t) {
	const { check, openPage } = t;
	const srv = await startServer();
	try {
		const m = await openPage(browser);
		await onboard(m.page, srv.base, srv.accounts['gestion@tilleuls.example']);
		const { exam, slot } = await bookOne(m.page);
		check('supervision: the manager booked an exam', exam > 0);

		// --- The supervisor: planning, then a request.
		const s = await openPage(browser, { viewport: { width: 1280, height: 900 } });
		await onboard(s.page, srv.base, srv.accounts['supervision@demo.example']);
		const links = await s.page.locator('header nav a').allTextContents();
		check('menu (regional_supervisor): Planning régional and Demandes de changement',
			links.includes('Planning régional') && links.includes('Demandes de changement') && !links.includes('Demandes à approuver'),
			JSON.stringify(links));
		await menu(s.page, 'Planning régional').click();
		await s.step('Planning régional');
		const planning = s.page.locator('main');
		await planning.locator('table.planning').first().waitFor();
		check('planning: a table for department 44 with the week’s counts in words',
			(await planning.locator('caption').first().textContent()).includes('Département 44')
			&& /Auto-école des Tilleuls \(démo\) : 1 examen/.test(await planning.locator('table.planning').first().textContent()));
		check('planning: a bar chart drawn as an image with every figure in its description',
			(await planning.locator('svg.chart-columns[role="img"]').count()) >= 1
			&& /place réservée/.test(await planning.locator('svg.chart-columns desc').first().textContent()));
		check('planning: no candidate shown', !/candidat/i.test(await planning.locator('table.planning').first().textContent()));
		await s.axe('planning régional');

		await menu(s.page, 'Demandes de changement').click();
		await s.step('Demandes de changement');
		const ask = s.page.getByRole('button', { name: /^Demander un changement pour l’examen du/ }).first();
		await ask.waitFor();
		await ask.click();
		const dialog = s.page.locator('dialog');
		await dialog.waitFor();
		await s.axe('demande de changement, dialogue');
		await dialog.getByRole('button', { name: 'Envoyer la demande' }).click();
		check('request: a move without its slot says which field, in French',
			(await dialog.locator('.error').allTextContents()).join(' ').includes('Choisissez la place'));
		const target = await dialog.getByLabel('Nouvelle place').locator('option').nth(1).getAttribute('value');
		await dialog.getByLabel('Nouvelle place').selectOption(target);
		await dialog.getByLabel('Motif').fill('Inspecteur indisponible ce jour-là');
		await dialog.getByRole('button', { name: 'Envoyer la demande' }).click();
		await s.page.locator('p[role="status"]').filter({ hasText: /Demande n° \d+ envoyée/ }).waitFor({ timeout: 30000 });
		check('request: sent, and waiting in « Mes demandes »',
			(await s.page.locator('.request-pending').count()) === 1
			&& (await s.page.locator('.request-pending').textContent()).includes('rien n’a changé'));
		await s.axe('demande envoyée');
		check('request: the exam has not moved before the approval', (await slotOfExam(m.page, exam)) === slot);

		// --- The administrator approves.
		const a = await openPage(browser, { viewport: { width: 1280, height: 900 } });
		await onboard(a.page, srv.base, srv.accounts['direction@tilleuls.example']);
		await menu(a.page, 'Demandes à approuver').click();
		await a.step('Demandes à approuver');
		await a.page.locator('.request-pending').waitFor();
		check('approvals: the request with its reason and no candidate',
			(await a.page.locator('.request-pending').textContent()).includes('Inspecteur indisponible'));
		await a.axe('demandes à approuver');
		await a.page.getByRole('button', { name: /^Approuver la demande n° / }).click();
		await a.page.locator('p[role="status"]').filter({ hasText: /approuvée : l’examen est maintenant le/ }).waitFor({ timeout: 30000 });
		check('approvals: the outcome in plain French, the request among the decided ones',
			(await a.page.locator('.request-approved').count()) === 1);
		await a.axe('demande approuvée');
		check('approvals: the exam is on the new slot', String(await slotOfExam(m.page, exam)) === String(target));

		// --- The supervisor sees it approved.
		await menu(s.page, 'Planning régional').click();
		await s.step('Planning régional');
		await menu(s.page, 'Demandes de changement').click();
		await s.step('Demandes de changement');
		await s.page.locator('.request-approved').waitFor({ timeout: 30000 });
		check('request: the supervisor sees it approved',
			(await s.page.locator('.request-approved').textContent()).includes('Approuvée : l’examen a été déplacé.'));
		await s.axe('demande approuvée, côté superviseur');

		m.noUnexpectedErrors('supervision: manager');
		s.noUnexpectedErrors('supervision: supervisor');
		a.noUnexpectedErrors('supervision: administrator');
		await Promise.all([m.context.close(), s.context.close(), a.context.close()]);
	} finally {
		await srv.stop();
	}
}
