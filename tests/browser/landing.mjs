// landing.mjs - where each demo role lands after signing in, and every
// page of every demo role on a 390×844 phone (run.mjs calls
// landingJourneys; BROWSER_ONLY=landing runs it alone), on a server of
// its own:
//  - each role's first page is the one made for it (its heading) and
//    shows the role's own data;
//  - at 390 px wide, no page of the role's menu is wider than the screen
//    (document.documentElement.scrollWidth <= 390) and no table hides a
//    column off the screen (every cell within 390 px: rows are cards);
//    the offenders are listed by role and page.
import { onboard, startServer } from './lib.mjs';

const PHONE = { width: 390, height: 844 };

// [account, landing heading, texts the landing must show]
const ROLES = [
	['repartition@demo.example', 'Accueil', ['Places publiées aujourd’hui', 'Registre des candidats', 'Publier des places']],
	['dpo@demo.example', 'Accueil', ['Demandes d’exercice des droits en cours', 'Violations à notifier', 'Rapports de conservation']],
	['direction@tilleuls.example', 'Accueil', ['Demandes à approuver', 'Personnel', 'comptes actifs sur']],
	['formation@tilleuls.example', 'Accueil', ['Mes candidats']],
	['candidat@demo.example', 'Accueil', ['Mes prochains examens', 'Mes mandats', 'Auto-école des Tilleuls']],
	['famille@demo.example', 'Accueil', ['Mon dossier']],
	['gestion@tilleuls.example', 'Ma journée', ['Quotas de']],
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
		for (const [email, heading, texts] of ROLES) {
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
			p.noUnexpectedErrors(`landing ${email}`);
			await p.context.close();
		}
		check('phone: no page of any demo role wider than 390 px', wide.length === 0, wide.join('; '));
		check('phone: no table cell of any page beyond the screen (no hidden column)', hidden.length === 0, hidden.join('; '));
	} finally {
		await srv.stop();
	}
}
