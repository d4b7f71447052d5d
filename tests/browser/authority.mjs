// authority.mjs - browser journeys of the exam authority, the candidate's
// space and the DPO's rights requests, on a server of their own (fresh
// demo data), axe-core on every new page state:
//  1. the dispatcher imports a registry CSV with a bad line (the line's
//     error in a table), then a good one; publishes places with a bad
//     line (the error under that line) then good ones, withdraws one;
//     sets a coefficient; centres, schools and results pages;
//  2. the candidate (policy accepted at the first sign-in, no banner) revokes the
//     Tilleuls mandate (a dialog says the school loses access), and the
//     school's manager no longer sees Camille in GET /api/v1/candidates;
//     files a rights request;
//  3. the DPO registers a request received by mail (late, said in
//     words), verifies the identity before closing it; extends the
//     candidate's request with a reason (the candidate reads it), closes it;
//  4. a person without account, known to the registry: the DPO finds
//     their files by NEPH (an unknown NEPH refused next to the field),
//     downloads their data for an access request, and for an erasure
//     request erases their files (a confirmation asked first), which
//     closes the request.
import { readFile } from 'node:fs/promises';

import { onboard, startServer } from './lib.mjs';

const fieldError = (input) => input.evaluate((el) =>
	(el.getAttribute('aria-describedby') || '').split(' ').map((id) => document.getElementById(id))
		.filter((e) => e && e.getAttribute('role') === 'alert').map((e) => e.textContent).join(''));

const menu = (page, name) => page.locator('header nav').getByRole('link', { name, exact: true });

// GET path from the page, with its session: { status, body }.
const apiGet = (page, path) => page.evaluate(async (p) => {
	const r = await fetch(p, { headers: { Accept: 'application/json' } });
	return { status: r.status, body: await r.json().catch(() => ({})) };
}, path);

const csv = (name, text) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') });

async function dispatcher(browser, base, account, { check, openPage }) {
	const { context, page, axe, step, noUnexpectedErrors } = await openPage(browser);
	await onboard(page, base, account);
	const links = await page.locator('header nav a').allTextContents();
	check('menu (dispatcher): the seven exam-authority sections', ["Centres d'examen", 'Publier des places', 'Places publiées',
		'Registre des candidats', 'Coefficients', 'Auto-écoles', 'Résultats'].every((l) => links.includes(l)), JSON.stringify(links));

	// Registry: a bad line refused with its line number, then a good file.
	await menu(page, 'Registre des candidats').click();
	await step('Registre des candidats');
	await axe('registre des candidats');
	const head = 'neph;last_name;first_names;category;gearbox;email\n';
	const file = page.getByLabel('Fichier CSV du registre');
	await file.setInputFiles(csv('registre.csv', `${head}123456789012;Martin;Léa;B;manual;\n12;Durand;Paul;B;manual;\n`));
	await page.getByRole('button', { name: 'Importer le fichier' }).click();
	const errRows = page.locator('.errors-table tbody tr');
	await errRows.first().waitFor({ timeout: 30000 });
	check('registry import: the bad line listed with its line and column', (await errRows.count()) === 1
		&& /^3\s*NEPH/.test((await errRows.first().innerText()).trim()), await errRows.first().innerText());
	check('registry import: the refusal next to the file field', (await fieldError(file)).includes('aucun') || (await fieldError(file)).length > 0,
		await fieldError(file));
	await axe('registre, lignes en erreur');
	await file.setInputFiles(csv('registre.csv', `${head}123456789012;Martin;Léa;B;manual;\n123456789013;Durand;Paul;B;automatic;paul@exemple.fr\n`));
	await page.getByRole('button', { name: 'Importer le fichier' }).click();
	await page.locator('main [role="status"]').filter({ hasText: 'importé' }).waitFor({ timeout: 30000 });
	check('registry import: created counted', /Candidats créés\s*2/.test(await page.locator('.import-result').innerText()),
		await page.locator('.import-result').innerText());
	await axe('registre, import réussi');

	// Publishing: line 2 refused (inspector pseudonym), then published.
	await menu(page, 'Publier des places').click();
	await step('Publier des places');
	await page.getByLabel("Pseudonyme de l'inspecteur").fill('INSP-T-1');
	await page.getByLabel('Heure').fill('09:00');
	await page.getByRole('button', { name: 'Ajouter une place' }).click();
	const second = page.getByRole('group', { name: 'Place 2' });
	check('publish: a new line 30 minutes later, same inspector',
		(await second.getByLabel('Heure').inputValue()) === '09:30' && (await second.getByLabel("Pseudonyme de l'inspecteur").inputValue()) === 'INSP-T-1');
	await second.getByLabel("Pseudonyme de l'inspecteur").fill('INSP T 2');
	await page.getByRole('button', { name: 'Publier les places' }).click();
	const insp2 = second.getByLabel("Pseudonyme de l'inspecteur");
	await page.waitForFunction(() => document.querySelectorAll('main [aria-invalid="true"]').length > 0, null, { timeout: 30000 });
	check('publish: the refused line named under its field', (await fieldError(insp2)).startsWith('Place 2 :'), await fieldError(insp2));
	check('publish: nothing typed lost', (await page.getByRole('group', { name: 'Place 1' }).getByLabel("Pseudonyme de l'inspecteur").inputValue()) === 'INSP-T-1');
	await axe('publier, ligne refusée');
	await insp2.fill('INSP-T-2');
	await page.getByRole('button', { name: 'Publier les places' }).click();
	await step('Places publiées');
	check('publish: 2 places published, said on the list', (await page.locator('main [role="status"]').first().textContent()).startsWith('2 places publiées'));
	await axe('places publiées');
	const firstWithdraw = page.locator('main table').getByRole('button', { name: /^Retirer la place/ }).first();
	await firstWithdraw.click();
	const dlg = page.getByRole('dialog', { name: 'Retirer cette place ?' });
	await dlg.waitFor({ timeout: 5000 });
	await axe('places, retrait, dialogue');
	await dlg.getByRole('button', { name: 'Retirer la place' }).click();
	await page.locator('main [role="status"]').filter({ hasText: 'est retirée' }).waitFor({ timeout: 30000 });
	await page.getByLabel('État').selectOption('cancelled');
	await page.getByRole('button', { name: 'Filtrer' }).click();
	await page.locator('main [role="status"]').filter({ hasText: 'Liste mise à jour' }).waitFor({ timeout: 30000 });
	check('withdraw: the place listed as withdrawn', (await page.locator('main table tbody tr').count()) === 1
		&& (await page.locator('main table tbody tr').first().innerText()).includes('Retirée'));

	// Coefficients: a bad month refused next to its field, then set.
	await menu(page, 'Coefficients').click();
	await step('Coefficients');
	await page.getByLabel('Département').fill('44');
	await page.getByLabel('Places par ETP').fill('2,5');
	const month = page.getByLabel('Mois', { exact: true });
	await month.fill('2026-12');
	await page.getByLabel('Département').fill('999');
	await page.getByRole('button', { name: 'Enregistrer le coefficient' }).click();
	await page.waitForFunction(() => document.querySelectorAll('main [aria-invalid="true"]').length > 0, null, { timeout: 30000 });
	check('coefficient: a bad department refused next to it', (await fieldError(page.getByLabel('Département'))).length > 0,
		await page.locator('main form').innerText());
	await axe('coefficients, erreur');
	await page.getByLabel('Département').fill('44');
	await page.getByRole('button', { name: 'Enregistrer le coefficient' }).click();
	await page.locator('main [role="status"]').filter({ hasText: 'Coefficient enregistré' }).waitFor({ timeout: 30000 });
	check('coefficient: set and listed', /44\s*B\s*2026-12\s*2,5/.test(await page.locator('main table tbody').innerText()),
		await page.locator('main table tbody').innerText());
	await axe('coefficients');

	// Centres, schools, results.
	await menu(page, "Centres d'examen").click();
	await step("Centres d'examen");
	check('centres: the two demo centres listed', (await page.locator('main table tbody tr').count()) === 2);
	await axe("centres d'examen");
	await menu(page, 'Auto-écoles').click();
	await step('Auto-écoles');
	await page.getByLabel('Auto-école', { exact: true }).selectOption({ label: 'Auto-école des Tilleuls (démo)' });
	await page.getByRole('button', { name: 'Afficher' }).click();
	await page.locator('main h2').filter({ hasText: 'Tilleuls' }).waitFor({ timeout: 30000 });
	check('schools: the trainers of the school listed', (await page.getByRole('group', { name: /^Enseignant \d/ }).count()) >= 1);
	await axe('auto-écoles');
	await menu(page, 'Résultats').click();
	await step('Résultats');
	await page.getByLabel("Numéro de l'examen").fill('999999');
	await page.getByLabel('Réussi').check();
	await page.getByRole('button', { name: 'Enregistrer le résultat' }).click();
	await page.waitForFunction(() => document.querySelectorAll('main [aria-invalid="true"]').length > 0, null, { timeout: 30000 });
	check('result: an unknown exam refused next to its number', (await fieldError(page.getByLabel("Numéro de l'examen"))).includes("n'existe pas"));
	await axe('résultats, erreur');
	noUnexpectedErrors('dispatcher');
	await context.close();
}

async function candidateAndDpo(browser, base, accounts, { check, openPage }) {
	const school = await openPage(browser);
	await onboard(school.page, base, accounts['gestion@tilleuls.example']);
	const hasCamille = async () => JSON.stringify((await apiGet(school.page, '/api/v1/candidates')).body).includes('Camille');
	check('school manager: Camille listed while the mandate is active', await hasCamille());

	const cand = await openPage(browser);
	const { page, axe, step } = cand;
	await onboard(page, base, accounts.candidate);
	// The policy was accepted at the first sign-in (onboard): no banner
	// (the banner for a new version: policy.mjs).
	const banner = page.getByRole('region', { name: 'Politique de confidentialité mise à jour' });
	check('policy banner: none after the first sign-in’s acceptance', (await banner.count()) === 0);

	// Revoke the Tilleuls mandate.
	await menu(page, 'Mes mandats').click();
	await step('Mes mandats');
	await axe('mes mandats');
	const revoke = page.getByRole('button', { name: 'Révoquer ce mandat…' });
	await revoke.click();
	const dlg = page.getByRole('dialog', { name: 'Révoquer ce mandat ?' });
	await dlg.waitFor({ timeout: 5000 });
	check('revocation dialog: says the school loses access at once', (await dlg.textContent()).includes("perd aussitôt l'accès"));
	await axe('mes mandats, dialogue de révocation');
	await dlg.getByRole('button', { name: 'Révoquer le mandat' }).click();
	await page.locator('main [role="status"]').filter({ hasText: 'Mandat révoqué' }).waitFor({ timeout: 30000 });
	check('revoked: the mandate said revoked', (await page.locator('ul.cards').innerText()).includes('Révoqué'));
	await axe('mes mandats, révoqué');
	check('school manager: Camille gone from GET /api/v1/candidates after the revocation', !(await hasCamille()));
	school.noUnexpectedErrors('school manager');
	await school.context.close();

	// A rights request.
	await menu(page, 'Mes demandes').click();
	await step('Mes demandes');
	await page.getByLabel(/^Rectification/).check();
	await page.getByLabel('Précisions (facultatif)').fill('Mon adresse e-mail a changé.');
	await page.getByRole('button', { name: 'Envoyer la demande' }).click();
	await page.locator('main [role="status"]').filter({ hasText: 'Demande envoyée' }).waitFor({ timeout: 30000 });
	check('rights request: filed, with its due date', /au plus tard le/.test(await page.locator('ul.cards').innerText()));
	await axe('mes demandes');

	// Other pages of the space.
	for (const [link, title] of [['Mes examens', 'Mes examens'], ['Mes consentements', 'Mes consentements'], ['Rectifier mon nom', 'Rectifier mon nom']]) {
		await menu(page, link).click();
		await step(title);
		await axe(title.toLowerCase());
	}

	check('policy: acknowledged at the first sign-in (GET /api/v1/me)', (await apiGet(page, '/api/v1/me')).body.policy_update_pending === false);
	await menu(page, 'Mes demandes').click();
	await step('Mes demandes');
	check('policy banner: still none', (await banner.count()) === 0);

	// The DPO: a late request received by mail, identity first.
	const dpo = await openPage(browser);
	const dp = dpo.page;
	// The people's DPO (appointed by the platform) answers the candidate.
	await onboard(dp, base, accounts['dpo@demo.example']);
	await menu(dp, "Demandes d'exercice des droits").click();
	await dpo.step("Demandes d'exercice des droits");
	await dp.getByText('Enregistrer une demande reçue par courrier').click();
	await dp.getByLabel('Droit exercé').selectOption('access');
	await dp.getByLabel('Qui fait la demande').fill('Jean Martin, 3 rue des Lilas, 44000 Nantes');
	const d = new Date(Date.now() - 40 * 86400000);
	const p2 = (n) => String(n).padStart(2, '0');
	await dp.getByLabel('Reçue le').fill(`${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())}T10:00`);
	await dp.getByRole('button', { name: 'Enregistrer la demande' }).click();
	await dpo.step(/^Demande : Accès/);
	check('postal request: late, said in words', (await dp.locator('main .clock').first().textContent()).includes('En retard'));
	check('postal request: closing offered only after the identity check', (await dp.getByRole('button', { name: 'Clore la demande' }).count()) === 0);
	await dpo.axe('demande, identité à vérifier');
	await dp.getByRole('button', { name: "Confirmer l'identité du demandeur" }).click();
	await dp.locator('main [role="status"]').filter({ hasText: 'Identité vérifiée' }).waitFor({ timeout: 30000 });
	await dp.getByLabel('Réponse donnée à la personne').fill('Copie des données envoyée par courrier le jour même.');
	await dp.getByRole('button', { name: 'Clore la demande' }).click();
	await dp.locator('main [role="status"]').filter({ hasText: 'Demande close' }).waitFor({ timeout: 30000 });
	await dpo.axe('demande close');

	// The candidate's request: extended with a reason, then closed.
	await menu(dp, "Demandes d'exercice des droits").click();
	await dpo.step("Demandes d'exercice des droits");
	const rows = dp.locator('main table tbody tr');
	check('register: both requests, the closed one said « Traitée »', (await rows.count()) === 2
		&& (await dp.locator('main table').innerText()).includes('Traitée'), await dp.locator('main table').innerText());
	await dpo.axe("demandes d'exercice des droits");
	await dp.getByRole('link', { name: 'Rectification (art. 16)' }).click();
	await dpo.step(/^Demande : Rectification/);
	await dp.getByRole('button', { name: 'Prolonger le délai' }).click();
	await dp.waitForFunction(() => document.querySelectorAll('main [aria-invalid="true"]').length > 0, null, { timeout: 30000 });
	check('extension: refused without a reason, next to the field', (await fieldError(dp.getByLabel('Motif de la prolongation'))).length > 0);
	await dp.getByLabel('1 mois').check();
	await dp.getByLabel('Motif de la prolongation').fill('Plusieurs services doivent vérifier votre ancienne adresse.');
	await dp.getByRole('button', { name: 'Prolonger le délai' }).click();
	await dp.locator('main [role="status"]').filter({ hasText: 'Délai prolongé' }).waitFor({ timeout: 30000 });
	await dpo.axe('demande prolongée');
	await menu(page, 'Mes examens').click();
	await menu(page, 'Mes demandes').click();
	await step('Mes demandes');
	check('candidate: reads the extension reason', (await page.locator('ul.cards').innerText()).includes('Plusieurs services doivent vérifier'));
	await dp.getByLabel('Réponse donnée à la personne').fill('Adresse e-mail corrigée.');
	await dp.getByRole('button', { name: 'Clore la demande' }).click();
	await dp.locator('main [role="status"]').filter({ hasText: 'Demande close' }).waitFor({ timeout: 30000 });
	check('DPO: the request closed with its answer', (await dp.locator('main').innerText()).includes('Adresse e-mail corrigée.'));

	// A person without account, known to the registry (Thomas, NEPH
	// 000130400014): access, then erasure, by NEPH.
	const registryRequest = async (kind, heading) => {
		await menu(dp, "Demandes d'exercice des droits").click();
		await dpo.step("Demandes d'exercice des droits");
		await dp.getByText('Enregistrer une demande reçue par courrier').click();
		await dp.getByLabel('Droit exercé').selectOption(kind);
		await dp.getByLabel('Qui fait la demande').fill('Mme Thomas, reçue au guichet avec sa pièce d’identité');
		await dp.getByRole('button', { name: 'Enregistrer la demande' }).click();
		await dpo.step(heading);
		check(`registry person (${kind}): no NEPH asked before the identity check`, (await dp.getByLabel('NEPH de la personne').count()) === 0);
		await dp.getByRole('button', { name: "Confirmer l'identité du demandeur" }).click();
		await dp.locator('main [role="status"]').filter({ hasText: 'Identité vérifiée' }).waitFor({ timeout: 30000 });
	};
	await registryRequest('access', /^Demande : Accès/);
	const nephInput = dp.getByLabel('NEPH de la personne');
	await nephInput.fill('999999999999');
	await dp.getByRole('button', { name: 'Télécharger ses données' }).click();
	await dp.waitForFunction(() => document.querySelectorAll('main [aria-invalid="true"]').length > 0, null, { timeout: 30000 });
	check('registry access: an unknown NEPH refused next to the field', (await fieldError(nephInput)).includes('Aucun dossier'), await fieldError(nephInput));
	await dpo.axe("demande d'accès, NEPH inconnu");
	await nephInput.fill('000130400014');
	const [download] = await Promise.all([
		dp.waitForEvent('download', { timeout: 30000 }),
		dp.getByRole('button', { name: 'Télécharger ses données' }).click(),
	]);
	const copy = await readFile(await download.path(), 'utf8');
	check('registry access: the copy downloaded (HTML) with the person\'s file', download.suggestedFilename() === 'donnees-registre.html'
		&& copy.includes('Thomas') && copy.includes('000130400014') && copy.includes('Durée de conservation'), download.suggestedFilename());
	await dp.locator('main [role="status"]').filter({ hasText: 'Copie téléchargée' }).waitFor({ timeout: 30000 });
	await dpo.axe("demande d'accès, copie téléchargée");

	await registryRequest('erasure', /^Demande : Effacement/);
	check('registry erasure: closing as done not offered by default', await dp.getByLabel('Demande refusée (motif dans la réponse)').isChecked());
	await dp.getByLabel('NEPH de la personne').fill('000130400014');
	await dp.getByRole('button', { name: 'Effacer ses dossiers du registre et clore' }).click();
	await dp.locator('main form [role="alert"]').filter({ hasText: 'Cochez la confirmation' }).waitFor({ timeout: 30000 });
	check('registry erasure: a confirmation asked first', true);
	await dp.getByLabel('Je confirme l’effacement définitif de ses dossiers du registre').check();
	await dp.getByRole('button', { name: 'Effacer ses dossiers du registre et clore' }).click();
	await dp.locator('main [role="status"]').filter({ hasText: 'Dossiers du registre effacés' }).waitFor({ timeout: 30000 });
	const after = await dp.locator('main').innerText();
	check('registry erasure: the request closed as done, the answer says what was erased', after.includes('Traitée')
		&& after.includes('clé qui chiffrait'), after);
	await dpo.axe("demande d'effacement, dossiers effacés");
	// The access request's NEPH finds nothing any more.
	await menu(dp, "Demandes d'exercice des droits").click();
	await dpo.step("Demandes d'exercice des droits");
	// Open requests come first: the access request still open.
	await dp.getByRole('link', { name: 'Accès aux données (art. 15)' }).first().click();
	await dpo.step(/^Demande : Accès/);
	await dp.getByLabel('NEPH de la personne').fill('000130400014');
	await dp.getByRole('button', { name: 'Télécharger ses données' }).click();
	await dp.waitForFunction(() => document.querySelectorAll('main [aria-invalid="true"]').length > 0, null, { timeout: 30000 });
	check('registry erasure: the NEPH finds no file any more', (await fieldError(dp.getByLabel('NEPH de la personne'))).includes('Aucun dossier'));
	dpo.noUnexpectedErrors('DPO (demandes)');
	await dpo.context.close();
	cand.noUnexpectedErrors('candidate (espace)');
	await cand.context.close();
}

// Runs the journeys with run.mjs's check and openPage on a server of
// their own.
export async function authorityJourneys(browser, helpers) {
	const srv = await startServer();
	let ok = false;
	try {
		await dispatcher(browser, srv.base, srv.accounts.dispatcher, helpers);
		await candidateAndDpo(browser, srv.base, srv.accounts, helpers);
		ok = true;
	} finally {
		await srv.stop(!ok);
	}
}
