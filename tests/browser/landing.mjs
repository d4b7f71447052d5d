// landing.mjs - where each demo role lands after signing in, and every
// page of every demo role on a 390×844 phone (run.mjs calls
// landingJourneys; BROWSER_ONLY=landing runs it alone), on a server of
// its own:
//  - each role's first page is the one made for it (its heading) and
//    shows the role's own data; the Tilleuls manager (before the
//    trainer) entrusts Hugo Bernard to the trainer and books him an exam,
//    which the trainer's « Accueil » then lists among the coming exams of
//    their candidates;
//  - at 390 px wide, no page of the role's menu is wider than the screen
//    (document.documentElement.scrollWidth <= 390) and no table hides a
//    column off the screen (every cell within 390 px: rows are cards);
//    the offenders are listed by role and page.
import { onboard, startServer } from './lib.mjs';

const PHONE = { width: 390, height: 844 };

// A JSON call from the page, with its session and XSRF token.
const call = (page, method, path, body) => page.evaluate(async ([m, p, b]) => {
	const token = document.cookie.split(';').map((c) => c.trim().split('='))
		.find(([k]) => k === 'XSRF-TOKEN')?.[1] || '';
	const r = await fetch(p, { method: m, headers: { Accept: 'application/json', 'Content-Type': 'application/json', 'X-XSRF-TOKEN': decodeURIComponent(token) },
		body: b ? JSON.stringify(b) : undefined });
	return { status: r.status, body: await r.json().catch(() => ({})) };
}, [method, path, body]);

// The school manager entrusts Hugo Bernard to Fanny Formatrice and books
// him a slot of department 44 open now (through the API, as the school's
// pages would). Returns the exam id (0 when it failed).
async function examForTrainer(page) {
	const trainers = (await call(page, 'GET', '/api/v1/trainers')).body.trainers || [];
	const fanny = trainers.find((x) => x.display_name === 'Fanny Formatrice');
	const cands = (await call(page, 'GET', '/api/v1/candidates')).body.candidates || [];
	const hugo = cands.find((c) => c.last_name === 'Bernard');
	const slots = (await call(page, 'GET', '/api/v1/slots?department=44&category=B&limit=60')).body.slots || [];
	const slot = slots.find((x) => x.bookable_now);
	const basket = (await call(page, 'GET', '/api/v1/basket')).body.id;
	if (!fanny || !hugo || !slot || !basket)
		return 0;
	if ((await call(page, 'PUT', `/api/v1/candidates/${hugo.id}/trainer`, { trainer: fanny.id })).status !== 200)
		return 0;
	await call(page, 'POST', `/api/v1/baskets/${basket}/slots`, { slots: [{ slot_id: slot.id, candidate_id: hugo.id }] });
	const v = await call(page, 'POST', `/api/v1/baskets/${basket}/validation`);
	return v.body.results?.[0]?.exam_id || 0;
}

// [account, landing heading, texts the landing must show, what the
// account does afterwards (may be absent)]
const ROLES = [
	['repartition@demo.example', 'Accueil', ['Places publiées aujourd’hui', 'Registre des candidats', 'Publier des places']],
	['dpo@demo.example', 'Accueil', ['Demandes d’exercice des droits en cours', 'Violations à notifier', 'Rapports de conservation']],
	['direction@tilleuls.example', 'Accueil', ['Demandes à approuver', 'Personnel', 'comptes actifs sur']],
	['gestion@tilleuls.example', 'Ma journée', ['Quotas de'], examForTrainer],
	['formation@tilleuls.example', 'Accueil', ['Prochains examens de vos candidats', '1 examen à venir', 'Hugo Bernard', 'Nantes-Rezé', 'Mes candidats']],
	['candidat@demo.example', 'Accueil', ['Mes prochains examens', 'Mes mandats', 'Auto-école des Tilleuls']],
	['famille@demo.example', 'Accueil', ['Mon dossier']],
	['as.martin@solidarites44.example', /^Agenda/, ['Agenda']],
	['supervision@demo.example', null, []],
	['validation@enfance-pluriel.example', null, []],
	['plateforme@demo.example', null, []],
	['admin.rdv@solidarites44.example', null, []],
];

export async function landingJourneys(browser, t) {
	const { check, openPage } = t;
	const srv = await startServer();
	const wide = [];
	const hidden = [];
	try {
		for (const [email, heading, texts, after] of ROLES) {
			const account = srv.accounts[email];
			if (!check(`landing: demo account ${email} exists`, Boolean(account)))
				continue;
			const p = await openPage(browser, { viewport: PHONE });
			const { page } = p;
			await onboard(page, srv.base, account);
			if (heading) {
				await p.step(heading);
				const main = await page.locator('main').innerText();
				const missing = texts.filter((x) => !main.includes(x));
				check(`landing (${email}): « ${heading} » shows ${texts.join(', ')}`, missing.length === 0, `missing ${missing.join(', ')} in: ${main.slice(0, 600)}`);
				await p.axe(`accueil ${email}`);
				if (email === 'formation@tilleuls.example') {
					// The trainer prints the convocation from the list.
					const link = page.locator('main a.convocation').first();
					const href = await link.getAttribute('href');
					const head = await page.evaluate(async (u) => {
						const r = await fetch(u, { credentials: 'same-origin' });
						const b = new Uint8Array(await r.arrayBuffer());
						return `${r.status} ${r.headers.get('content-type')} ${String.fromCharCode(...b.slice(0, 4))}`;
					}, href);
					check('landing (trainer): the convocation of the coming exam is a PDF', head === '200 application/pdf %PDF', head);
				}
			}
			// Every page of the menu, on the phone.
			const hrefs = await page.locator('header nav a[data-section]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
			for (const href of hrefs) {
				await page.goto(`${srv.base}/${href}`);
				await page.locator('main h1').first().waitFor({ timeout: 30000 });
				// Let a page's second load (its lists) arrive.
				await page.waitForLoadState('networkidle').catch(() => {});
				const w = await page.evaluate(() => document.documentElement.scrollWidth);
				if (w > PHONE.width)
					wide.push(`${email} ${href}: ${w} px`);
				// No column of a table off the screen (scrolled away inside
				// its frame): every cell within the phone's width.
				const off = await page.evaluate((max) => [...document.querySelectorAll('.table-wrap tbody th, .table-wrap tbody td')]
					.filter((c) => c.getBoundingClientRect().right > max + 1).length, PHONE.width);
				if (off)
					hidden.push(`${email} ${href}: ${off} cells`);
			}
			if (after)
				check(`landing (${email}): Hugo Bernard entrusted to the trainer and booked an exam`, (await after(page)) > 0);
			p.noUnexpectedErrors(`landing ${email}`);
			await p.context.close();
		}
		check('phone: no page of any demo role wider than 390 px', wide.length === 0, wide.join('; '));
		check('phone: no table cell of any page beyond the screen (no hidden column)', hidden.length === 0, hidden.join('; '));
	} finally {
		await srv.stop();
	}
}
