// run.mjs - the web UI in a real browser (Debian's Chromium through
// playwright-core), against the real binary with the demo data, axe-core
// on every page state:
//  1. a school administrator: sign-in with the temporary password,
//     password change, TOTP enrolment, recovery codes, "Mon compte"
//     (changing the authenticator app after the password and code),
//     menu by role, sessions, sign-out; then signs in again with a
//     recovery code (and cannot use it twice);
//  2. the DPO: register, breaches (open one, its 72-hour clock, the CNIL
//     text and the notice, marked done; a late one), audit search and
//     integrity check, connection journal, keyboard-only menu, phone menu;
//  3. a candidate: "Mes données" (JSON and HTML downloads), erasure
//     dialog (focus kept inside, Escape closes), erasure;
//  4. « Mot de passe oublié » with a real SMTP server (pwreset.mjs), and
//     « Créer un compte » then « Relier mon dossier » (signup.mjs);
//  5. sign-in through a real OpenID provider (oidc.mjs);
//  6. the journeys of school.mjs, authority.mjs, supervision.mjs,
//     admin.mjs, appt.mjs and candidate.mjs (the candidate on a phone).
// BROWSER_ONLY=candidate runs candidate.mjs alone, BROWSER_ONLY=appt
// the appointment journeys alone, and so on for school, signup, tenancy,
// contacts,
// partner and dossiers
// (quicker checks).
// Prints "browser: N passed, N failed" last and exits non-zero on any
// failure.
import { readFileSync } from 'node:fs';
import { axeFindings, launchBrowser, localInputHoursAgo, NEW_PASSWORD, onboard, startServer, totp } from './lib.mjs';
import { authorityJourneys } from './authority.mjs';
import { schoolJourneys } from './school.mjs';
import { supervisionJourneys } from './supervision.mjs';
import { tenancyJourneys } from './tenancy.mjs';
import { contactsJourneys } from './contacts.mjs'; // a tenant's customers and suppliers, their documents
import { dossierJourneys } from './dossiers.mjs';
import { pauseJourneys } from './pauses.mjs';
import { adminJourneys } from './admin.mjs'; // Personnel, purge reports
import { apptJourneys } from './appt.mjs'; // appointments: agents, users, configuration
import { guestJourney } from './appt_guest.mjs'; // booking without an account
import { pwresetJourneys } from './pwreset.mjs'; // « Mot de passe oublié »
import { signupJourneys } from './signup.mjs'; // « Créer un compte », « Relier mon dossier »
import { oidcJourneys } from './oidc.mjs'; // sign-in through an OpenID provider
import { candidateJourneys } from './candidate.mjs';
import { partnerJourneys } from './partner.mjs';
import { remoteJourneys } from './remote.mjs';
import { landingJourneys } from './landing.mjs'; // each role's landing page, every page on a phone
import { policyJourneys } from './policy.mjs'; // the policy accepted once, then a small banner for changes

let passed = 0;
let failed = 0;
function check(name, ok, detail = '') {
	if (ok) {
		passed++;
		console.log(`ok   ${name}`);
	} else {
		failed++;
		console.log(`FAIL ${name}${detail ? `: ${detail}` : ''}`);
	}
	return ok;
}

// A page with its helpers: axe(state) runs axe-core (serious or critical
// findings fail), step(title) waits for the h1 and checks it has focus,
// errors collects console errors and uncaught exceptions.
async function openPage(browser, options = {}) {
	const context = await browser.newContext({ locale: 'fr-FR', ...options });
	const page = await context.newPage();
	const errors = [];
	const garbage = [];
	page.on('console', (m) => {
		if (m.type() === 'error')
			errors.push(m.text());
	});
	page.on('pageerror', (e) => errors.push(String(e)));
	// Also notes any "null", "undefined", "NaN" or "[object" the state shows.
	async function axe(state) {
		const bad = await axeFindings(page);
		check(`axe (${state}): no serious or critical violation`, bad.length === 0, bad.join('; '));
		const text = await page.locator('body').innerText();
		const m = /.{0,40}(\bnull\b|\bundefined\b|\[object |\bNaN\b).{0,20}/s.exec(text);
		if (m)
			garbage.push(`${state}: ${m[0]}`);
	}
	async function step(title) {
		const h1 = page.locator('main h1');
		await h1.filter({ hasText: title }).waitFor({ timeout: 30000 });
		const focused = await page.evaluate(() => document.activeElement?.tagName === 'H1');
		const name = title instanceof RegExp ? `${title.source.replace(/^\^/, '')}…` : title;
		check(`"${name}": heading shown and focused`, focused);
	}
	// Errors the app itself caused (a CSP refusal shows up here); the
	// refused steps log their 401/404/422 fetches, which are expected.
	function noUnexpectedErrors(who) {
		const unexpected = errors.filter((e) => !/status of (401|404|422)/.test(e));
		check(`${who}: no unexpected console error or CSP refusal`, unexpected.length === 0, unexpected.join(' | '));
		check(`${who}: no "null", "undefined", "NaN" or "[object" shown on any page`, garbage.length === 0, garbage.join(' | '));
	}
	return { context, page, errors, axe, step, noUnexpectedErrors };
}

// The text of the error line(s) an input's aria-describedby points to.
const fieldError = (input) => input.evaluate((el) =>
	(el.getAttribute('aria-describedby') || '').split(' ').map((id) => document.getElementById(id))
		.filter((e) => e && e.getAttribute('role') === 'alert').map((e) => e.textContent).join(''));

const menuLinks = (page) => page.locator('header nav a').allTextContents();
const menu = (page, name) => page.locator('header nav').getByRole('link', { name, exact: true });

async function fill(page, email, password) {
	await page.getByLabel('Adresse e-mail').fill(email);
	await page.getByLabel('Mot de passe', { exact: true }).fill(password);
	await page.getByRole('button', { name: 'Se connecter' }).click();
}

// ------------------------------------------------- 1. school administrator

async function firstSignIn(browser, base, account) {
	const { email, password: tempPw } = account;
	const { context, page, errors, axe, step, noUnexpectedErrors } = await openPage(browser);

	// 1. Sign-in page, headers of the static page.
	const first = await page.goto(`${base}/`);
	const headers = first.headers();
	check('index served as text/html with charset', headers['content-type'] === 'text/html; charset=utf-8', headers['content-type']);
	check('index carries the CSP', (headers['content-security-policy'] || '').includes("script-src 'self'"));
	check('index has Cache-Control: no-cache', headers['cache-control'] === 'no-cache', headers['cache-control']);
	await step('Connexion');
	const injected = await page.addScriptTag({ content: 'window.__injected = 1;' })
		.then(() => page.evaluate(() => window.__injected === 1), () => false);
	check('CSP refuses an inline script injected into the page', !injected);
	errors.length = 0; // that refusal's console error was expected
	check('signed out: no menu', await page.locator('header nav').isHidden());
	check('landmarks: one header, one main, one footer',
		(await page.locator('body > header').count()) === 1 && (await page.locator('main').count()) === 1
		&& (await page.locator('body > footer').count()) === 1);
	await axe('connexion');

	// 2. A wrong password: the French problem detail, in an alert.
	await fill(page, email, 'pas le bon mot de passe');
	const alert = page.locator('form [role="alert"]').filter({ hasText: 'incorrect' });
	await alert.first().waitFor({ timeout: 30000 });
	check('wrong password: French error shown', (await alert.first().textContent()).includes('Adresse e-mail ou mot de passe incorrect'));
	check('wrong password: email kept', (await page.getByLabel('Adresse e-mail').inputValue()) === email);
	await axe('connexion, erreur');

	// 3. Sign in with the keyboard only: Tab to each field, Enter submits.
	await page.getByLabel('Adresse e-mail').fill('');
	await page.getByLabel('Mot de passe', { exact: true }).fill('');
	await page.locator('main h1').focus();
	await page.keyboard.press('Tab');
	await page.keyboard.type(email);
	await page.keyboard.press('Tab');
	await page.keyboard.type(tempPw);
	await page.keyboard.press('Enter');
	await step('Choisir un nouveau mot de passe');
	const cookies = await context.cookies();
	check('session cookie __Host-creneau set (Secure, HttpOnly) on http://127.0.0.1',
		cookies.some((c) => c.name === '__Host-creneau' && c.secure && c.httpOnly));
	await axe('nouveau mot de passe');

	// 4. A refused new password: the API's detail next to the field.
	const cur = page.getByLabel('Mot de passe actuel');
	const nw = page.getByLabel('Nouveau mot de passe');
	await cur.fill(tempPw);
	await nw.fill('motdepasse');
	await page.getByRole('button', { name: 'Changer le mot de passe' }).click();
	await page.waitForFunction(() => document.querySelector('input[name="new_password"]')?.getAttribute('aria-invalid') === 'true', null, { timeout: 30000 });
	const npErr = await fieldError(nw);
	check('weak password: French error next to "Nouveau mot de passe"', npErr.length > 0, npErr);
	check('weak password: nothing typed lost', (await cur.inputValue()) === tempPw && (await nw.inputValue()) === 'motdepasse');
	await axe('nouveau mot de passe, erreur');

	// 5. A good one: on to the enrolment, whose secret Node reads from the
	// API answer the page received.
	await nw.fill(NEW_PASSWORD);
	const enrolResp = page.waitForResponse((r) => r.url().endsWith('/api/v1/me/mfa/enrolment'));
	await page.getByRole('button', { name: 'Changer le mot de passe' }).click();
	const enrolment = await (await enrolResp).json();
	await step("Activer l'application d'authentification");
	const secret = new URL(enrolment.otpauth_uri).searchParams.get('secret');
	check('enrolment: QR code drawn as inline SVG', (await page.locator('.qr svg path').count()) === 1);
	check('enrolment: secret shown for typing by hand', (await page.locator('#totp-secret').textContent()) === secret);
	await axe('enrôlement');

	// 6. A wrong code, then the right one.
	const code = page.getByLabel('Code à 6 chiffres');
	const good = totp(secret);
	const wrong = good.replace(/^./, (d) => String((Number(d) + 5) % 10));
	await code.fill(wrong);
	await page.getByRole('button', { name: 'Confirmer' }).click();
	await page.waitForFunction(() => document.querySelector('input[name="code"]')?.getAttribute('aria-invalid') === 'true', null, { timeout: 30000 });
	check('wrong code: French error next to the code field', (await fieldError(code)).includes('incorrect'));
	await axe('enrôlement, erreur');
	await code.fill(totp(secret));
	await page.getByRole('button', { name: 'Confirmer' }).click();
	await step('Vos codes de secours');
	let codes = await page.locator('ol.codes li').allTextContents();
	check('ten recovery codes shown', codes.length === 10, String(codes.length));
	await axe('codes de secours');
	await page.getByRole('button', { name: /continuer/ }).click();

	// 7. A new account accepts the privacy policy once, then no banner;
	// Accueil (staff and approvals), Mon compte, and the menu of a
	// school administrator.
	await step('Politique de confidentialité');
	check('first sign-in: the policy to read, linked', (await page.getByRole('link', { name: /Lire la politique de confidentialité/ }).getAttribute('href')) === '/confidentialite.html');
	check('first sign-in: no banner on the acceptance step', (await page.locator('#policy-banner').count()) === 0);
	await axe('politique à accepter');
	await page.getByRole('button', { name: 'J’ai lu et j’accepte la politique de confidentialité' }).click();
	await step('Accueil');
	check('first sign-in: the acceptance recorded, no banner after it', (await page.locator('#policy-banner').count()) === 0
		&& (await page.evaluate(async () => (await (await fetch('/api/v1/me')).json()).policy_update_pending)) === false);
	const home = await page.locator('main').innerText();
	check('Accueil (school_admin): the approvals and the staff', home.includes('Demandes à approuver') && /comptes? actifs? sur/.test(home), home);
	await axe('accueil (direction)');
	await menu(page, 'Mon compte').click();
	await step('Mon compte');
	const account_ = await page.locator('dl.account').textContent();
	check('Mon compte: name shown', account_.includes('Nadia Directrice'), account_);
	check('Mon compte: email shown', account_.includes(email));
	check('Mon compte: role in French', account_.includes("Direction d'auto-école"), account_);
	const sessions = page.locator('ul.sessions li');
	check('Mes sessions: the current session listed with "Fermer"',
		(await sessions.count()) >= 1 && (await sessions.filter({ hasText: 'Cette session' }).getByRole('button', { name: /Fermer/ }).count()) === 1);
	const links = await menuLinks(page);
	const expected = ['Accueil', 'Mon compte', 'Mes données', 'Journal des connexions', 'Personnel', 'Réglages de l’organisme', 'Contacts', 'Registre de l’organisme',
		'Demandes à approuver', 'Notifications', 'Applications autorisées'];
	check(`menu (school_admin): ${expected.join(', ')} only`, JSON.stringify(links) === JSON.stringify(expected), JSON.stringify(links));
	check('menu: the current page marked aria-current',
		(await page.locator('header nav a[aria-current="page"]').textContent()) === 'Mon compte');
	await axe('mon compte');

	// 7b. Changing the authenticator app from « Mon compte »: the
	// password and the current code are asked first (a session alone is
	// not enough); then the new app, its first code, new recovery codes.
	await page.getByRole('button', { name: 'Changer d’application d’authentification' }).click();
	await page.getByRole('heading', { name: 'Changer d’application d’authentification' }).waitFor({ timeout: 30000 });
	const proofPw = page.getByLabel('Mot de passe actuel');
	const proofCode = page.getByLabel('Code actuel de votre application d’authentification');
	check('change of app: password and current code asked first', (await proofPw.count()) === 1 && (await proofCode.count()) === 1);
	check('change of app: focus on the password', await proofPw.evaluate((el) => el === document.activeElement));
	await axe('mon compte, preuve demandée');
	const nextCode = totp(secret, Date.now() + 30000); // the enrolment used this step's
	await proofPw.fill('pas le bon mot de passe');
	await proofCode.fill(nextCode);
	await page.getByRole('button', { name: 'Continuer' }).click();
	await page.waitForFunction(() => document.querySelector('.security-panel input[name="password"]')?.getAttribute('aria-invalid') === 'true', null, { timeout: 30000 });
	check('change of app: a wrong password refused next to its field', (await fieldError(proofPw)).includes('incorrect'), await fieldError(proofPw));
	await axe('mon compte, preuve refusée');
	await proofPw.fill(NEW_PASSWORD);
	const reEnrolResp = page.waitForResponse((r) => r.url().endsWith('/api/v1/me/mfa/enrolment'));
	await page.getByRole('button', { name: 'Continuer' }).click();
	const reEnrolment = await (await reEnrolResp).json();
	await page.getByRole('heading', { name: 'Activer la nouvelle application' }).waitFor({ timeout: 30000 });
	const secret2 = new URL(reEnrolment.otpauth_uri).searchParams.get('secret');
	check('change of app: a new secret', secret2 && secret2 !== secret);
	await axe('mon compte, nouvelle application');
	await page.getByLabel('Code à 6 chiffres de la nouvelle application').fill(totp(secret2));
	await page.getByRole('button', { name: 'Confirmer' }).click();
	await page.getByRole('heading', { name: 'Vos nouveaux codes de secours' }).waitFor({ timeout: 30000 });
	codes = await page.locator('ol.codes li').allTextContents();
	check('change of app: ten new recovery codes', codes.length === 10, String(codes.length));
	await page.getByRole('button', { name: 'J’ai noté mes codes' }).click();
	check('change of app: done, and said so', (await page.locator('main [role="status"]').first().textContent()).includes('a été changée'));
	await axe('mon compte, application changée');

	// A DPO page typed in the address bar: not for this role.
	await page.goto(`${base}/#/registre`);
	await step('Page introuvable');
	check('DPO page refused to a school administrator (no register shown)', (await page.locator('table').count()) === 0);
	await menu(page, 'Journal des connexions').click();
	await step('Journal des connexions');
	check('journal (school_admin): this sign-in listed', (await page.locator('main table tbody tr').filter({ hasText: 'Connexion (mot de passe accepté)' }).count()) >= 1);
	await axe('journal des connexions (direction)');
	await menu(page, 'Mon compte').click();
	await step('Mon compte');

	// 8. Sign out: back to Connexion, and the API no longer knows us.
	await page.getByRole('button', { name: 'Se déconnecter' }).click();
	await step('Connexion');
	check('signed out: notice shown', (await page.locator('main [role="status"]').textContent()).includes('déconnecté'));
	const after = await page.evaluate(async () => (await fetch('/api/v1/me')).status);
	check('signed out: /api/v1/me answers 401', after === 401, String(after));
	check('signed out: menu gone', await page.locator('header nav').isHidden());
	await axe('déconnecté');

	// 9. Signing in again without the phone: a recovery code.
	await fill(page, email, NEW_PASSWORD);
	await step('Vérification en deux étapes');
	await page.getByRole('button', { name: 'Utiliser un code de secours' }).click();
	await step('Connexion avec un code de secours');
	await axe('code de secours');
	const rc = page.getByLabel('Code de secours');
	await rc.fill('AAAA-BBBB-CCCC');
	await page.getByRole('button', { name: 'Valider' }).click();
	await page.waitForFunction(() => document.querySelector('input[name="code"]')?.getAttribute('aria-invalid') === 'true', null, { timeout: 30000 });
	check('wrong recovery code: French error next to the field', (await fieldError(rc)).includes('incorrect'), await fieldError(rc));
	check('wrong recovery code: what was typed kept', (await rc.inputValue()) === 'AAAA-BBBB-CCCC');
	await axe('code de secours, erreur');
	await rc.fill(codes[0]);
	await page.getByRole('button', { name: 'Valider' }).click();
	await step('Accueil');
	check('signed in with a recovery code: notice says it is spent',
		(await page.locator('main .notice').first().textContent()).includes('code de secours'));
	await axe('mon compte après code de secours');
	await page.getByRole('button', { name: 'Se déconnecter' }).click();
	await step('Connexion');
	await fill(page, email, NEW_PASSWORD);
	await step('Vérification en deux étapes');
	await page.getByRole('button', { name: 'Utiliser un code de secours' }).click();
	await page.getByLabel('Code de secours').fill(codes[0]);
	await page.getByRole('button', { name: 'Valider' }).click();
	await page.waitForFunction(() => document.querySelector('input[name="code"]')?.getAttribute('aria-invalid') === 'true', null, { timeout: 30000 });
	check('a recovery code serves once only', (await fieldError(page.getByLabel('Code de secours'))).includes('déjà servi'));
	await page.getByRole('button', { name: "Utiliser plutôt l'application d'authentification" }).click();
	await step('Vérification en deux étapes');

	noUnexpectedErrors('school administrator');
	await context.close();
}

// ------------------------------------------------------------------ 2. DPO

async function breachFormFill(page, values) {
	for (const [label, v] of Object.entries(values))
		await page.getByLabel(label, { exact: true }).fill(v);
}

async function dpoConsole(browser, base, account) {
	const { context, page, axe, step, noUnexpectedErrors } = await openPage(browser, { viewport: { width: 1280, height: 900 } });
	await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
	await onboard(page, base, account);
	await step('Accueil');
	const home = await page.locator('main').innerText();
	check('Accueil (dpo): rights requests, breaches and retention reports', ['Demandes d’exercice des droits en cours', 'Violations à notifier', 'Rapports de conservation'].every((t) => home.includes(t)), home);
	await menu(page, 'Mon compte').click();
	await step('Mon compte');
	const links = await menuLinks(page);
	check('menu (dpo): the eight DPO sections and Notifications, in order', JSON.stringify(links) === JSON.stringify(['Accueil', 'Mon compte', 'Mes données',
		'Registre des traitements', 'Violations de données', "Piste d'audit", 'Journal des connexions', "Demandes d'exercice des droits", 'Rapports de conservation', 'Notifications']), JSON.stringify(links));

	// Keyboard only: Tab from the top of the page reaches the menu, with a
	// visible focus ring; Enter follows the link.
	await page.evaluate(() => document.activeElement.blur());
	let reached = false;
	// (« Mon compte » has its security buttons and sessions to pass.)
	for (let i = 0; i < 12 && !reached; i++) {
		await page.keyboard.press('Tab');
		reached = await page.evaluate(() => document.activeElement?.textContent === 'Registre des traitements');
	}
	const ring = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
	check('keyboard: Tab reaches « Registre des traitements » in the menu', reached);
	check('keyboard: the focused link shows a focus ring', ring !== 'none', ring);
	await page.keyboard.press('Enter');

	// Register.
	await step('Registre des traitements');
	check('register: the processing activities listed', (await page.locator('details.activity').count()) >= 5);
	check('register: categories and retention rules as tables', (await page.locator('main table').count()) === 2
		&& (await page.locator('main table').first().locator('tbody tr').count()) >= 10);
	await page.locator('details.activity summary').first().click();
	check('register: an activity opens on its purposes and legal basis',
		/Finalités[\s\S]*Base légale[\s\S]*Art\. 6/.test(await page.locator('details.activity').first().textContent()));
	const exports = await page.evaluate(async () => Promise.all([...document.querySelectorAll('ul.downloads a')].map(async (a) => {
		const r = await fetch(a.href);
		return `${r.status} ${r.headers.get('content-type')}`;
	})));
	check('register: HTML and CSV exports downloadable', exports.length === 2
		&& exports[0] === '200 text/html; charset=utf-8' && exports[1] === '200 text/csv; charset=utf-8', exports.join(', '));
	await axe('registre');

	// Breaches: none yet; open one with nothing filled, then properly.
	await menu(page, 'Violations de données').click();
	await step('Violations de données');
	check('breaches: none yet', (await page.locator('main').textContent()).includes('Aucune violation inscrite.'));
	await axe('violations, liste vide');
	await page.getByRole('link', { name: 'Déclarer une violation' }).click();
	await step('Déclarer une violation de données');
	await axe('déclarer une violation');
	await page.getByRole('button', { name: "Ouvrir l'incident" }).click();
	await page.waitForFunction(() => document.querySelectorAll('main [aria-invalid="true"]').length >= 5, null, { timeout: 5000 });
	check('breach form: every missing Art. 33(3) item flagged next to its field',
		(await fieldError(page.getByLabel('Nature de la violation'))).includes('obligatoire')
		&& (await page.locator('main [aria-invalid="true"]').count()) === 6);
	check('breach form: focus on the first field in error',
		await page.evaluate(() => document.activeElement?.getAttribute('name') === 'nature'));
	await axe('déclarer une violation, erreurs');
	const nature = 'Perte de confidentialité : un export de la liste des candidats a été envoyé par erreur à un destinataire extérieur.';
	await breachFormFill(page, {
		'Nature de la violation': nature,
		'Catégories de personnes concernées': 'Candidats au permis de conduire',
		'Nombre approximatif de personnes concernées': '120',
		'Catégories de données concernées': 'Identité, coordonnées, numéros NEPH',
		"Nombre approximatif d'enregistrements concernés": '340',
		'Conséquences probables': 'Hameçonnage ciblé des candidats.',
		'Mesures prises ou envisagées': 'Demande de suppression au destinataire, information des candidats.',
	});
	await page.getByLabel(/^Risque élevé/).check();
	await page.getByRole('button', { name: "Ouvrir l'incident" }).click();
	await step(/^Violation constatée le/);
	check('breach opened: notice shown', (await page.locator('main [role="status"]').first().textContent()).includes('Incident ouvert'));
	const clock = page.locator('.clock-box .clock');
	check('72-hour clock: « À notifier, il reste 71 h »', /À notifier, il reste 7[12] h\./.test(await clock.textContent()), await clock.textContent());
	check('72-hour clock: badge word and drawing beside the colour',
		(await clock.locator('.badge').textContent()).trim() === 'À notifier' && (await clock.locator('.badge svg').count()) === 1);
	check('breach: the contact defaults to the DPO of the register', (await page.locator('main').textContent()).includes('dpo@resapermis.example'));
	await axe('violation ouverte');

	// The CNIL text, copied; the notice to the people.
	await page.getByRole('button', { name: 'Générer le texte de notification' }).click();
	const cnil = page.getByLabel('Texte de la notification à la CNIL');
	await cnil.waitFor({ timeout: 5000 });
	const cnilText = await cnil.inputValue();
	check('CNIL text generated from the facts', cnilText.includes(nature) && /CNIL|notification/i.test(cnilText), cnilText.slice(0, 200));
	await page.getByRole('button', { name: 'Copier le texte' }).click();
	await page.locator('.text-panel [role="status"]').filter({ hasText: /copi/ }).waitFor({ timeout: 5000 });
	const copied = await page.evaluate(() => navigator.clipboard.readText().catch(() => ''));
	check('CNIL text: « Copier le texte » puts it in the clipboard', copied === cnilText);
	await axe('texte de notification CNIL');
	await page.getByRole('button', { name: "Générer l'avis aux personnes" }).click();
	const notice = page.getByLabel('Avis aux personnes concernées');
	await notice.waitFor({ timeout: 5000 });
	check('notice to the people generated (high risk)', (await notice.inputValue()).length > 100);

	// Marked notified, people informed.
	await page.getByRole('button', { name: 'Marquer comme notifiée à la CNIL' }).click();
	await page.locator('main > [role="status"]').filter({ hasText: 'Notification à la CNIL enregistrée' }).waitFor({ timeout: 5000 });
	check('marked notified: « Notifiée » with the date', /^Notifiée à la CNIL le /.test(await clock.locator('.clock-text').textContent())
		&& (await clock.locator('.badge').textContent()).trim() === 'Notifiée');
	check('marked notified: focus on the confirmation', await page.evaluate(() => document.activeElement?.getAttribute('role') === 'status'));
	await page.getByRole('button', { name: 'Marquer les personnes comme informées' }).click();
	await page.locator('main > [role="status"]').filter({ hasText: 'Information des personnes enregistrée' }).waitFor({ timeout: 5000 });
	check('marked people informed', (await page.locator('main').textContent()).includes('Personnes informées le'));

	// An update of the facts.
	await page.getByText("Modifier les faits de l'incident").click();
	await page.getByLabel('Mesures prises ou envisagées', { exact: true }).fill('Destinataire joint : fichier supprimé, attestation reçue.');
	await page.getByRole('button', { name: 'Enregistrer les modifications' }).click();
	await page.locator('main > [role="status"]').filter({ hasText: 'Modifications enregistrées' }).waitFor({ timeout: 5000 });
	check('breach updated: the new measures shown', (await page.locator('main').textContent()).includes('attestation reçue'));
	await axe('violation notifiée');

	// A late one: discovered 80 hours ago, low risk.
	await menu(page, 'Violations de données').click();
	await step('Violations de données');
	await page.getByRole('link', { name: 'Déclarer une violation' }).click();
	await step('Déclarer une violation de données');
	await breachFormFill(page, {
		'Date et heure de la constatation': localInputHoursAgo(80),
		'Nature de la violation': 'Perte de disponibilité : le planning a été inaccessible pendant une journée.',
		'Catégories de personnes concernées': 'Enseignants de la conduite',
		'Catégories de données concernées': 'Plannings',
		'Conséquences probables': 'Leçons reportées.',
		'Mesures prises ou envisagées': 'Restauration depuis la sauvegarde.',
	});
	await page.getByLabel(/^Risque faible/).check();
	await page.getByRole('button', { name: "Ouvrir l'incident" }).click();
	await step(/^Violation constatée le/);
	check('late breach: « En retard de 8 h »', /^En retard de [89] h/.test(await clock.locator('.clock-text').textContent()), await clock.textContent());
	check('late breach: « En retard » badge', (await clock.locator('.badge').textContent()).trim() === 'En retard');
	check('low risk: no notice to the people offered', (await page.getByRole('button', { name: "Générer l'avis aux personnes" }).count()) === 0);
	await axe('violation en retard');
	await menu(page, 'Violations de données').click();
	await step('Violations de données');
	const items = page.locator('ul.incidents > li');
	check('breach list: both incidents, the late one first', (await items.count()) === 2
		&& /En retard de [89] h/.test(await items.nth(0).textContent()) && (await items.nth(1).textContent()).includes('Notifiée'));
	check('breach list: summary in words', (await page.locator('main .summary').textContent()) === '2 incidents : 1 à notifier, dont 1 en retard.',
		await page.locator('main .summary').textContent());
	await axe('violations, liste');

	// Audit: search, then the integrity check.
	await menu(page, "Piste d'audit").click();
	await step("Piste d'audit");
	await axe("piste d'audit");
	await page.getByLabel('Action', { exact: true }).fill('breach.open');
	await page.getByRole('button', { name: 'Rechercher' }).click();
	await page.locator('main [role="status"]').filter({ hasText: 'trouvée' }).waitFor({ timeout: 5000 });
	const rows = page.locator('main table tbody tr');
	check('audit search: the two openings found, named in French', (await rows.count()) === 2
		&& (await rows.first().textContent()).includes('Violation de données inscrite')
		&& (await rows.first().textContent()).includes('Dominique Délégué'), await rows.first().textContent());
	await axe("piste d'audit, résultats");
	await page.getByRole('button', { name: "Vérifier l'intégrité" }).click();
	const verdict = page.locator('.verify-result');
	await verdict.filter({ hasText: 'intacte' }).waitFor({ timeout: 30000 });
	check('audit verification: chain intact, entries counted', /Piste d’audit intacte\. [\d  ]+ entrées vérifiées/.test(await verdict.textContent()),
		await verdict.textContent());
	await axe("piste d'audit, vérification");

	// Connection journal.
	await menu(page, 'Journal des connexions').click();
	await step('Journal des connexions');
	check('journal (dpo): sign-ins of the organisation listed', (await page.locator('main table tbody tr').count()) >= 2);
	await axe('journal des connexions');

	// On a phone: the menu behind a « Menu » button; Escape closes it.
	await page.setViewportSize({ width: 390, height: 844 });
	const toggle = page.getByRole('button', { name: 'Menu' });
	check('phone: menu folded behind « Menu »', (await toggle.isVisible()) && !(await menu(page, 'Registre des traitements').isVisible()));
	await toggle.click();
	check('phone: « Menu » opens it (aria-expanded)', (await toggle.getAttribute('aria-expanded')) === 'true'
		&& (await menu(page, 'Registre des traitements').isVisible()));
	await axe('téléphone, menu ouvert');
	await menu(page, 'Registre des traitements').focus();
	await page.keyboard.press('Escape');
	check('phone: Escape folds the menu and focus returns to « Menu »', (await toggle.getAttribute('aria-expanded')) === 'false'
		&& (await page.evaluate(() => document.activeElement?.textContent === 'Menu')));
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
	check('phone: no sideways scrolling of the page', overflow);
	await axe('téléphone, journal');

	noUnexpectedErrors('DPO');
	await context.close();
}

// ------------------------------------------------------------ 3. candidate

async function myData(browser, base, account) {
	const { context, page, axe, step, noUnexpectedErrors } = await openPage(browser, { acceptDownloads: true });
	await onboard(page, base, account);
	await step('Accueil');
	const links = await menuLinks(page);
	check('menu (candidate): Accueil, Mon compte, Mes données, the candidate\'s space and Notifications', JSON.stringify(links) === JSON.stringify(['Accueil', 'Mon compte', 'Mes données',
		'Mes mandats', 'Mes examens', 'Relier mon dossier', 'Mes rendez-vous', 'Mes consentements', 'Mes demandes', 'Rectifier mon nom', 'Mon dossier', 'Pauses',
		'Notifications']), JSON.stringify(links));
	await menu(page, 'Mes données').click();
	await step('Mes données');
	check('Mes données: what is held, by category', (await page.locator('main table tbody tr').count()) >= 2);
	await axe('mes données');

	const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /JSON/ }).click()]);
	const data = JSON.parse(readFileSync(await json.path(), 'utf8'));
	check('download: my data as JSON, with my email and each item\'s purposes',
		json.suggestedFilename() === 'mes-donnees-creneau.json' && JSON.stringify(data).includes(account.email)
		&& Array.isArray(data.items) && data.items.every((it) => it.purposes && it.retention), json.suggestedFilename());
	const [html] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /récapitulatif lisible/ }).click()]);
	const htmlText = readFileSync(await html.path(), 'utf8');
	check('download: the readable HTML summary', html.suggestedFilename() === 'mes-donnees-creneau.html' && /<html/i.test(htmlText)
		&& !/<script/i.test(htmlText));

	// The erasure dialog: focus inside, kept there, Escape closes.
	const erase = page.getByRole('button', { name: 'Effacer mon compte…' });
	await erase.click();
	const dialog = page.getByRole('dialog', { name: 'Effacer définitivement votre compte ?' });
	await dialog.waitFor({ timeout: 5000 });
	check('erasure dialog: says what is erased and what is kept',
		/Ce qui est effacé[\s\S]*clé de chiffrement[\s\S]*Ce qui est conservé[\s\S]*journal des connexions/.test(await dialog.textContent()));
	check('erasure dialog: focus on the password', await page.evaluate(() => document.activeElement?.getAttribute('name') === 'password'));
	let inside = true;
	for (let i = 0; i < 6; i++) {
		await page.keyboard.press(i < 4 ? 'Tab' : 'Shift+Tab');
		inside = inside && await page.evaluate(() => Boolean(document.activeElement?.closest('dialog')));
	}
	check('erasure dialog: Tab and Shift+Tab stay inside it', inside);
	await axe('effacement, dialogue');
	await page.keyboard.press('Escape');
	await dialog.waitFor({ state: 'detached', timeout: 5000 });
	check('erasure dialog: Escape closes it, focus back on its button',
		await page.evaluate(() => document.activeElement?.textContent === 'Effacer mon compte…'));
	await erase.click();
	await dialog.waitFor({ timeout: 5000 });
	const pw = dialog.getByLabel('Mot de passe actuel');
	await pw.fill('pas le bon mot de passe');
	await dialog.getByRole('button', { name: 'Effacer définitivement mon compte' }).click();
	await page.waitForFunction(() => document.querySelector('dialog input[name="password"]')?.getAttribute('aria-invalid') === 'true', null, { timeout: 30000 });
	check('erasure: a wrong password refused next to the field, dialog still open',
		(await fieldError(pw)).length > 0 && (await dialog.isVisible()), await fieldError(pw));
	await axe('effacement, erreur');
	await pw.fill(NEW_PASSWORD);
	await dialog.getByRole('button', { name: 'Effacer définitivement mon compte' }).click();
	await step('Votre compte a été effacé');
	check('erased: what is kept and why', (await page.locator('ul.kept').textContent()).includes('Journal des connexions'));
	check('erased: no menu any more', await page.locator('header nav').isHidden());
	const me = await page.evaluate(async () => (await fetch('/api/v1/me')).status);
	check('erased: /api/v1/me answers 401', me === 401, String(me));
	await axe('compte effacé');
	await page.getByRole('button', { name: 'Retour à la connexion' }).click();
	await step('Connexion');
	await fill(page, account.email, NEW_PASSWORD);
	await page.locator('form [role="alert"]').filter({ hasText: 'incorrect' }).first().waitFor({ timeout: 30000 });
	check('erased: the account cannot sign in any more', true);

	noUnexpectedErrors('candidate');
	await context.close();
}

// school.mjs's journeys with a server of their own.
async function schoolAlone(browser, t) {
	const srv = await startServer();
	try {
		await schoolJourneys(browser, srv, t);
	} finally {
		await srv.stop();
	}
}

async function main() {
	// BROWSER_ONLY=appt, candidate, dossiers, pauses, tenancy, partner, signup or
	// school runs only those journeys (appt-guest: booking without an
	// account alone, which appt also runs).
	const only = {
		appt: apptJourneys, 'appt-guest': guestJourney, candidate: candidateJourneys, dossiers: dossierJourneys, pauses: pauseJourneys, tenancy: tenancyJourneys, contacts: contactsJourneys,
		partner: partnerJourneys, remote: remoteJourneys, signup: signupJourneys, school: schoolAlone, landing: landingJourneys, policy: policyJourneys,
	}[process.env.BROWSER_ONLY];
	if (only) {
		const browser = await launchBrowser();
		try {
			await only(browser, { check, openPage });
		} finally {
			await browser.close().catch(() => {});
		}
		return;
	}
	const srv = await startServer();
	let browser;
	try {
		browser = await launchBrowser();
		// First: the others end on refused passwords, which hold this
		// address's later password attempts back for a while.
		await schoolJourneys(browser, srv, { check, openPage });
		await firstSignIn(browser, srv.base, srv.accounts.school_admin);
		await dpoConsole(browser, srv.base, srv.accounts['dpo@tilleuls.example']);
		await myData(browser, srv.base, srv.accounts.candidate);
		await authorityJourneys(browser, { check, openPage }); // authority.mjs: dispatcher, candidate's space, rights requests
		await supervisionJourneys(browser, { check, openPage }); // supervision.mjs: regional supervisor, approvals
		await tenancyJourneys(browser, { check, openPage }); // tenancy.mjs: client organisations, their settings
		await contactsJourneys(browser, { check, openPage }); // contacts.mjs: customers and suppliers, import, documents
		await dossierJourneys(browser, { check, openPage }); // dossiers.mjs: encrypted dossiers, validator
		await pauseJourneys(browser, { check, openPage }); // pauses.mjs: a family asks for a pause, a volunteer accepts
		await adminJourneys(browser, { check, openPage }); // admin.mjs: school administrator's staff, DPO's purge reports
		await apptJourneys(browser, { check, openPage }); // appt.mjs: agent's day, online booking on a phone, configuration
		await pwresetJourneys(browser, { check, openPage }); // pwreset.mjs: the link by email, a new password
		await signupJourneys(browser, { check, openPage }); // signup.mjs: sign-up by email, the registry file linked
		await oidcJourneys(browser, { check, openPage }); // oidc.mjs: a real OpenID provider
		await candidateJourneys(browser, { check, openPage }); // candidate.mjs: booked, told, convocation, revocation (phone)
		await partnerJourneys(browser, { check, openPage }); // partner.mjs: consent page, authorised applications
		await remoteJourneys(browser, { check, openPage }); // remote.mjs: a school's instance booking through a remote authority
		await landingJourneys(browser, { check, openPage }); // landing.mjs: each role's landing page, every page at 390 px
		await policyJourneys(browser, { check, openPage }); // policy.mjs: accepted at the first sign-in, a small banner for a new version
	} finally {
		if (browser)
			await browser.close().catch(() => {});
		await srv.stop(failed > 0);
	}
}

const started = Date.now();
try {
	await main();
} catch (err) {
	check('browser journey ran to the end', false, err && err.stack ? err.stack : String(err));
}
console.log(`browser: ${passed} passed, ${failed} failed (${((Date.now() - started) / 1000).toFixed(1)} s)`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
