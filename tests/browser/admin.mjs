// admin.mjs - browser journeys of the school administrator's
// « Personnel » and the DPO's « Rapports de conservation », on a server
// of their own (fresh demo data), axe-core on every new page state:
//  1. the school administrator lists the staff (roles in French, last
//     sign-in, second factor); a form with errors next to its fields (and
//     the API's refusal of a used email next to the email); creates a
//     trainer account whose temporary password is shown once (copy
//     button, then hidden for good) and works; deactivates the school
//     manager signed in elsewhere (a dialog says every session ends: her
//     open page is signed out); ends the new trainer's sessions (signed
//     out too); gives the trainer a temporary grant (refused without a
//     permission or with a past end), which the trainer then holds;
//  2. the DPO opens the purge reports: none yet, then after a run of the
//     retention engine (`creneau retention run` on the server's
//     database) the run with its rules under the register's French
//     labels.
import { NEW_PASSWORD, onboard, startServer, totp, waitHeading } from './lib.mjs';

const fieldError = (input) => input.evaluate((el) =>
	(el.getAttribute('aria-describedby') || '').split(' ').map((id) => document.getElementById(id))
		.filter((e) => e && e.getAttribute('role') === 'alert').map((e) => e.textContent).join(''));

const menu = (page, name) => page.locator('header nav').getByRole('link', { name, exact: true });

// A call from the page, with its session and CSRF token: { status, body }.
const apiCall = (page, method, path, body) => page.evaluate(async ([m, p, b]) => {
	const xsrf = (document.cookie.match(/(?:^|;\s*)XSRF-TOKEN=([^;]*)/) || [])[1] || '';
	const r = await fetch(p, {
		method: m,
		headers: { Accept: 'application/json', 'Content-Type': 'application/json', 'X-XSRF-TOKEN': decodeURIComponent(xsrf) },
		body: b === undefined ? undefined : JSON.stringify(b),
	});
	return { status: r.status, body: await r.json().catch(() => ({})) };
}, [method, path, body]);

// The value of an <input type="datetime-local"> hours from now.
function localInputIn(hours) {
	const d = new Date(Date.now() + hours * 3600 * 1000);
	const p = (n) => String(n).padStart(2, '0');
	return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

// Signs in again an account onboarded with secret at step: password,
// then a TOTP code of a later 30-second step than the last one used (the
// server refuses a code twice).
async function signInAgain(page, base, email, secret, lastStep) {
	while (Math.floor(Date.now() / 30000) <= lastStep)
		await new Promise((r) => setTimeout(r, 500));
	await page.goto(`${base}/`);
	await waitHeading(page, 'Connexion');
	await page.getByLabel('Adresse e-mail').fill(email);
	await page.getByLabel('Mot de passe', { exact: true }).fill(NEW_PASSWORD);
	await page.getByRole('button', { name: 'Se connecter' }).click();
	await waitHeading(page, 'Vérification en deux étapes');
	await page.getByLabel('Code à 6 chiffres').fill(totp(secret));
	await page.getByRole('button', { name: 'Valider' }).click();
	await page.locator('main h1').filter({ hasNotText: 'Vérification' }).waitFor({ timeout: 30000 });
}

async function staff(browser, srv, { check, openPage }) {
	const { base, accounts } = srv;
	const { context, page, errors, axe, step, noUnexpectedErrors } = await openPage(browser, { viewport: { width: 1280, height: 900 } });
	await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
	await onboard(page, base, accounts.school_admin);
	const links = await page.locator('header nav a').allTextContents();
	check('menu (school_admin): « Personnel » listed', links.includes('Personnel'), JSON.stringify(links));
	await menu(page, 'Personnel').click();
	await step('Personnel');
	const rows = page.locator('table.staff-table tbody tr');
	const row = (email) => rows.filter({ hasText: email });
	check('Personnel: the school\'s accounts listed (manager, trainer, DPO, oneself)',
		(await row('gestion@tilleuls.example').count()) === 1 && (await row('formation@tilleuls.example').count()) === 1
		&& (await row('dpo@tilleuls.example').count()) === 1 && (await row(accounts.school_admin.email).count()) === 1);
	const trainerRow = await row('formation@tilleuls.example').innerText();
	check('Personnel: roles in French, never signed in, no second factor yet',
		trainerRow.includes('Enseignant(e) de la conduite') && trainerRow.includes('Jamais') && trainerRow.includes('Non activée'), trainerRow);
	const selfRow = await row(accounts.school_admin.email).innerText();
	check('Personnel: oneself marked, with a last sign-in, second factor on, no action on oneself',
		selfRow.includes('Votre compte') && !selfRow.includes('Jamais') && selfRow.includes('Activée')
		&& (await row(accounts.school_admin.email).getByRole('button').count()) === 0, selfRow);
	check('Personnel: no account of another school, no candidate account',
		!(await page.locator('table.staff-table').innerText()).includes('port.example') && (await row('candidat@demo.example').count()) === 0);
	await axe('personnel');

	// The form's own checks, next to each field; nothing typed lost.
	const name = page.getByLabel('Nom et prénom');
	const email = page.getByLabel('Adresse e-mail professionnelle');
	await email.fill('pas-une-adresse');
	await page.getByRole('button', { name: 'Créer le compte' }).click();
	await page.waitForFunction(() => document.querySelectorAll('main [aria-invalid="true"]').length >= 2, null, { timeout: 5000 });
	check('new account: the missing name said next to « Nom et prénom »', (await fieldError(name)).includes('nom'), await fieldError(name));
	check('new account: the bad email said next to its field', (await fieldError(email)).includes('forme'), await fieldError(email));
	check('new account: no role chosen, said in the role group',
		(await page.locator('fieldset.field').filter({ hasText: 'Rôle' }).locator('[role="alert"]').textContent()).includes('au moins un rôle'));
	check('new account: what was typed kept', (await email.inputValue()) === 'pas-une-adresse');
	const offered = await page.locator('fieldset.field').filter({ hasText: 'Rôle' }).locator('input[type="checkbox"]')
		.evaluateAll((l) => l.map((i) => i.value));
	check('new account: only the school\'s staff roles offered (the DPO comes from the platform)', JSON.stringify(offered) === JSON.stringify(['school_manager', 'trainer', 'school_admin']),
		JSON.stringify(offered));
	check('new account: says the DPO is appointed by the platform',
		(await page.locator('fieldset.field').filter({ hasText: 'Rôle' }).innerText()).includes('désigné(e) par la plateforme'));
	await axe('personnel, erreurs du formulaire');

	// The API's refusal (email already used) lands next to the email.
	await name.fill('Lucie Moniteur');
	await email.fill('gestion@tilleuls.example');
	await page.getByLabel(/^Enseignant\(e\) de la conduite/).check();
	await page.getByRole('button', { name: 'Créer le compte' }).click();
	await page.waitForFunction(() => document.querySelector('main input[name="email"]')?.getAttribute('aria-invalid') === 'true', null, { timeout: 30000 });
	check('new account: an email already used refused next to the email field', (await fieldError(email)).length > 0, await fieldError(email));

	// A trainer account: its temporary password, once.
	await email.fill('lucie.moniteur@tilleuls.example');
	await page.getByRole('button', { name: 'Créer le compte' }).click();
	const panel = page.locator('.password-panel');
	await panel.getByRole('heading', { name: 'Compte créé pour Lucie Moniteur' }).waitFor({ timeout: 30000 });
	const pwInput = panel.getByLabel('Mot de passe provisoire de Lucie Moniteur');
	const temp = await pwInput.inputValue();
	check('new account: the temporary password shown in a labelled read-only field', temp.length >= 12 && (await pwInput.getAttribute('readonly')) !== null, temp);
	check('new account: focus on the panel\'s heading', await page.evaluate(() => document.activeElement?.textContent === 'Compte créé pour Lucie Moniteur'));
	const panelText = await panel.innerText();
	check('new account: says it is shown once and to hand it over privately',
		panelText.includes('qu’une seule fois') && panelText.includes('en main propre') && panelText.includes('jamais par e-mail'), panelText);
	await panel.getByRole('button', { name: 'Copier le mot de passe' }).click();
	await panel.getByRole('status').filter({ hasText: 'copié' }).waitFor({ timeout: 5000 });
	check('new account: « Copier » puts the password on the clipboard', (await page.evaluate(() => navigator.clipboard.readText())) === temp);
	check('new account: listed at once, trainer, never signed in',
		/Enseignant\(e\) de la conduite[\s\S]*Jamais/.test(await row('lucie.moniteur@tilleuls.example').innerText()));
	check('new account: no temporary grant before its second factor',
		(await row('lucie.moniteur@tilleuls.example').getByRole('button', { name: /^Habilitation temporaire/ }).count()) === 0
		&& (await row('lucie.moniteur@tilleuls.example').innerText()).includes('après activation du second facteur'));
	check('new account: the form emptied for the next one', (await name.inputValue()) === '' && (await email.inputValue()) === '');
	await axe('personnel, mot de passe provisoire');
	await panel.getByRole('button', { name: /le masquer/ }).click();
	check('new account: once hidden, the password is nowhere on the page',
		!(await page.locator('main').innerText()).includes(temp) && (await page.locator('input.temp-password').count()) === 0);
	await page.reload();
	await step('Personnel');
	check('new account: not shown again after a reload', !(await page.locator('main').innerText()).includes(temp));

	// The password works: Lucie signs in and enrols.
	const lucie = await openPage(browser);
	const lucieAccount = { email: 'lucie.moniteur@tilleuls.example', password: temp };
	const { secret } = await onboard(lucie.page, base, lucieAccount);
	const lucieStep = Math.floor(Date.now() / 30000);
	check('new account: the temporary password signs in (then changed, TOTP enrolled)',
		secret.length > 0 && (await lucie.page.locator('main h1').textContent()) === 'Accueil');

	// Deactivation of the school manager, signed in elsewhere.
	const manager = await openPage(browser);
	await onboard(manager.page, base, accounts['gestion@tilleuls.example']);
	await page.reload();
	await step('Personnel');
	const managerName = (await row('gestion@tilleuls.example').locator('.staff-name').textContent()).trim();
	await row('gestion@tilleuls.example').getByRole('button', { name: /^Désactiver/ }).click();
	const dialog = page.getByRole('dialog', { name: `Désactiver le compte de ${managerName} ?` });
	await dialog.waitFor({ timeout: 5000 });
	check('deactivation dialog: says every session ends at once', (await dialog.innerText()).includes('Toutes ses sessions ouvertes se terminent immédiatement'));
	check('deactivation dialog: focus on « Annuler »', await page.evaluate(() => document.activeElement?.textContent === 'Annuler'));
	await axe('personnel, désactivation');
	await page.keyboard.press('Escape');
	await dialog.waitFor({ state: 'detached', timeout: 5000 });
	check('deactivation dialog: Escape closes it, nothing done', (await row('gestion@tilleuls.example').innerText()).includes('Actif'));
	await row('gestion@tilleuls.example').getByRole('button', { name: /^Désactiver/ }).click();
	await dialog.getByRole('button', { name: 'Désactiver le compte' }).click();
	await page.locator('main [role="status"]').filter({ hasText: 'est désactivé' }).waitFor({ timeout: 30000 });
	const managerRow = await row('gestion@tilleuls.example').innerText();
	check('deactivated: the row says so, with no action left', managerRow.includes('Désactivé')
		&& (await row('gestion@tilleuls.example').getByRole('button').count()) === 0, managerRow);
	await axe('personnel, compte désactivé');
	await menu(manager.page, 'Candidats').click();
	await waitHeading(manager.page, 'Connexion');
	check('deactivated: the manager\'s open page is signed out at its next step',
		(await manager.page.locator('main').innerText()).includes('reconnectez-vous'));
	check('deactivated: the manager\'s session is refused (401)', (await manager.page.evaluate(async () => (await fetch('/api/v1/me')).status)) === 401);
	await manager.context.close();

	// Ending the new trainer's sessions.
	await row('lucie.moniteur@tilleuls.example').getByRole('button', { name: /^Fermer les sessions/ }).click();
	await page.locator('main [role="status"]').filter({ hasText: 'fermée' }).waitFor({ timeout: 30000 });
	check('sessions ended: how many, said in words', /1 session de Lucie Moniteur fermée/.test(await page.locator('main [role="status"]').first().textContent()));
	const lucieMe = await lucie.page.evaluate(async () => (await fetch('/api/v1/me')).status);
	check('sessions ended: the trainer\'s page is refused (401)', lucieMe === 401, String(lucieMe));

	// A temporary grant: the trainer may read the connection journal.
	const org = (await apiCall(page, 'GET', '/api/v1/me')).body.org_id;
	await row('lucie.moniteur@tilleuls.example').getByRole('button', { name: /^Habilitation temporaire/ }).click();
	const grant = page.getByRole('dialog', { name: 'Habilitation temporaire pour Lucie Moniteur' });
	await grant.waitFor({ timeout: 5000 });
	check('grant dialog: says the grant ends by itself', (await grant.innerText()).includes('prend fin d’elle-même'));
	const perm = grant.getByLabel('Permission');
	const until = grant.getByLabel('Fin de l’habilitation');
	await until.fill(localInputIn(-2));
	await grant.getByRole('button', { name: 'Accorder l’habilitation' }).click();
	await page.waitForFunction(() => document.querySelectorAll('dialog [aria-invalid="true"]').length >= 2, null, { timeout: 5000 });
	check('grant: no permission chosen, said next to « Permission »', (await fieldError(perm)).includes('permission'), await fieldError(perm));
	check('grant: an end in the past, said next to the end', (await fieldError(until)).includes('futur'), await fieldError(until));
	await axe('personnel, habilitation, erreurs');
	await perm.selectOption('journal.read');
	await until.fill(localInputIn(48));
	await grant.getByRole('button', { name: 'Accorder l’habilitation' }).click();
	await grant.waitFor({ state: 'detached', timeout: 30000 });
	const granted = await page.locator('main [role="status"]').first().textContent();
	check('grant: recorded, with its end, ending by itself',
		granted.includes('Consulter le journal des connexions') && granted.includes('Lucie Moniteur') && granted.includes('fin d’elle-même'), granted);
	await axe('personnel, habilitation accordée');
	const lent = await apiCall(page, 'POST', `/api/v1/orgs/${org}/accounts/${(await apiCall(page, 'GET', `/api/v1/orgs/${org}/accounts`)).body.accounts
		.find((a) => a.email === 'lucie.moniteur@tilleuls.example').id}/grants`, { permission: 'audit.read', expires_at: new Date(Date.now() + 3600e3).toISOString().replace(/\.\d{3}Z$/, 'Z') });
	check('grant: a permission of the DPO is refused, with its rule (403 permission_not_grantable)', lent.status === 403 && lent.body.code === 'permission_not_grantable', JSON.stringify(lent));
	const dpoMade = await apiCall(page, 'POST', `/api/v1/orgs/${org}/accounts`, { display_name: 'Dana Déléguée', email: 'dana@tilleuls.example', roles: ['dpo'] });
	check('new account: the DPO role refused to the school administrator (403 role_not_grantable)', dpoMade.status === 403 && dpoMade.body.code === 'role_not_grantable', JSON.stringify(dpoMade));
	for (let i = errors.length - 1; i >= 0; i--) // that refusal's console error was expected
		if (/status of 403/.test(errors[i]))
			errors.splice(i, 1);
	await signInAgain(lucie.page, base, lucieAccount.email, secret, lucieStep);
	const journal = await apiCall(lucie.page, 'GET', `/api/v1/orgs/${org}/journal`);
	check('grant: the trainer now reads the connection journal', journal.status === 200, String(journal.status));
	lucie.noUnexpectedErrors('new trainer');
	await lucie.context.close();

	noUnexpectedErrors('school administrator (Personnel)');
	await context.close();
}

async function purgeReports(browser, srv, { check, openPage }) {
	const { context, page, axe, step, noUnexpectedErrors } = await openPage(browser, { viewport: { width: 1280, height: 900 } });
	await onboard(page, srv.base, srv.accounts['dpo@tilleuls.example']);
	await menu(page, 'Rapports de conservation').click();
	await step('Rapports de conservation');
	const before = (await apiCall(page, 'GET', '/api/v1/purge-reports')).body.reports || [];
	if (!before.length) {
		check('purge reports: none yet, said in words', (await page.locator('main').innerText()).includes('Aucune exécution'));
		await axe('rapports de conservation, vides');
	}
	const run = srv.run(['retention', 'run']);
	check('retention run against the server\'s database', run.status === 0, run.stderr);
	await page.reload();
	await step('Rapports de conservation');
	const runs = page.locator('main table').first().locator('tbody tr');
	check('purge reports: the run listed', (await runs.count()) === before.length + 1, String(await runs.count()));
	const reg = (await apiCall(page, 'GET', '/api/v1/register')).body;
	const label = (id) => (reg.retention_rules.find((r) => r.id === id) || {}).label;
	const detail = page.locator('details.purge-run').first();
	check('purge reports: the latest run open', await detail.evaluate((d) => d.open));
	const detailText = await detail.innerText();
	check('purge reports: rules under the register\'s French labels, not their ids',
		detailText.includes(label('audit_trail')) && detailText.includes(label('host_data')) && !/\baudit_trail\b|\bhost_data\b/.test(detailText),
		detailText.slice(0, 400));
	check('purge reports: each rule\'s state in words (applied, legal hold)', detailText.includes('Appliquée') && detailText.includes('Conservation légale'));
	check('purge reports: counts per category of data', (await detail.locator('table').nth(1).locator('tbody tr').count()) > 0);
	await axe('rapports de conservation');
	noUnexpectedErrors('DPO (purge reports)');
	await context.close();
}

// Runs the journeys with run.mjs's check and openPage on a server of
// their own.
export async function adminJourneys(browser, helpers) {
	const srv = await startServer();
	let ok = false;
	try {
		await staff(browser, srv, helpers);
		await purgeReports(browser, srv, helpers);
		ok = true;
	} finally {
		await srv.stop(!ok);
	}
}
