// tenancy.mjs - client organisations in the browser (run.mjs calls
// tenancyJourneys; BROWSER_ONLY=tenancy), on a server of their own,
// axe-core on every new page state: the Tilleuls administrator, on a
// phone, sets the organisation's settings (a session rule weaker than
// the product's is refused next to its field), then exports all of its
// data (a short passphrase refused next to its field, the progress shown,
// the encrypted archive downloaded); the platform
// administrator sees the organisations, suspends the Tilleuls with a
// reason after a dialog that says what will happen, reads what a
// termination would do and cancels it with the keyboard; the
// administrator sees the suspension and its reason; the platform
// reactivates it, then terminates the Port and prepares its export for
// the public key the school gave, ready to hand over; past the grace
// period the retention run deletes the Port, shown « Supprimé le … »
// with its signed certificate to download.
import { generateKeyPairSync } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { NEW_PASSWORD, onboard, startServer, totp, waitHeading } from './lib.mjs';

// On a phone the menu folds behind « Menu »: open it when it is folded.
async function go(page, name) {
	const link = page.locator('header nav').getByRole('link', { name, exact: true });
	if (!(await link.isVisible()))
		await page.getByRole('button', { name: 'Menu' }).click();
	await link.click();
}

export async function tenancyJourneys(browser, t) {
	const { check, openPage } = t;
	// The jobs run, the export's every second.
	const srv = await startServer({ env: { CRENEAU_JOBS_ENABLED: 'on', CRENEAU_TENANCY_EXPORT_INTERVAL: '1' } });
	try {
		// --- The organisation's administrator, on a phone.
		const a = await openPage(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
		await onboard(a.page, srv.base, srv.accounts['direction@tilleuls.example']);
		const links = await a.page.locator('header nav a').allTextContents();
		check('menu (school_admin): « Réglages de l’organisme », not « Organismes clients »',
			links.includes('Réglages de l’organisme') && !links.includes('Organismes clients'), JSON.stringify(links));
		await go(a.page, 'Réglages de l’organisme');
		await a.step('Réglages de l’organisme');
		await a.axe('réglages de l’organisme');
		await a.page.getByLabel('Nom d’expéditeur des courriels').fill('Les Tilleuls');
		await a.page.getByLabel('Signature des courriels').fill('L’équipe des Tilleuls');
		const idle = a.page.getByLabel('Fermeture d’une session inactive (minutes)');
		await idle.fill('45');
		await a.page.getByRole('button', { name: 'Enregistrer les réglages' }).click();
		await a.page.locator('.field .error').filter({ hasText: /entre 5 et 30/ }).first().waitFor({ timeout: 30000 });
		check('settings: a session rule weaker than the product’s is refused next to its field, with the rule',
			(await idle.getAttribute('aria-invalid')) === 'true');
		await a.axe('réglages, erreur');
		await idle.fill('20');
		await a.page.getByRole('button', { name: 'Enregistrer les réglages' }).click();
		await a.page.locator('p[role="status"]').filter({ hasText: 'Réglages enregistrés' }).waitFor({ timeout: 30000 });
		check('settings: saved', true);
		// Its own Art. 30 register: its activities only, the operator
		// as processor, downloadable.
		await go(a.page, 'Registre de l’organisme');
		await a.step('Registre de l’organisme');
		await a.page.getByRole('heading', { name: /^Activités de traitement/ }).waitFor({ timeout: 30000 });
		const reg = await a.page.locator('main').textContent();
		check('register (school): the exam booking listed, the social services’ appointments not',
			reg.includes('Réservation des places d’examen') || reg.includes('Réservation des places d\'examen'),
			reg.slice(0, 300));
		check('register (school): no appointments activity', !reg.includes('Prise de rendez-vous auprès des services sociaux'));
		check('register (school): HTML and CSV downloads offered',
			(await a.page.getByRole('link', { name: /Télécharger le registre \(CSV/ }).count()) === 1);
		await a.axe('registre de l’organisme');

		// --- Export of everything, on the settings page.
		await go(a.page, 'Réglages de l’organisme');
		await a.step('Réglages de l’organisme');
		const exp = a.page.locator('section').filter({ has: a.page.getByRole('heading', { name: 'Exporter toutes les données' }) });
		await exp.waitFor();
		check('export: nothing asked yet', (await exp.textContent()).includes('Aucun export'));
		const pass = exp.getByLabel('Phrase de passe', { exact: true });
		await pass.fill('trop court');
		await exp.getByLabel('Phrase de passe, à nouveau').fill('trop court');
		await exp.getByRole('button', { name: 'Préparer l’export' }).click();
		await exp.locator('.field .error').filter({ hasText: /12 caractères/ }).first().waitFor({ timeout: 30000 });
		check('export: a short passphrase is refused next to its field', (await pass.getAttribute('aria-invalid')) === 'true');
		await pass.fill('correct cheval pile agrafe');
		await exp.getByLabel('Phrase de passe, à nouveau').fill('correct cheval pile agrafe');
		await exp.getByRole('button', { name: 'Préparer l’export' }).click();
		await exp.locator('.export-status').filter({ hasText: /En attente de préparation|En préparation|Prête/ }).waitFor({ timeout: 30000 });
		check('export: asked, its state shown', true);
		await a.axe('export demandé');
		const link = exp.getByRole('link', { name: /^Télécharger l’archive/ });
		await link.waitFor({ timeout: 90000 });
		check('export: ready, with its expiry and the manifest’s checksum',
			/Disponible jusqu’au .*SHA-256/s.test(await exp.textContent()));
		await a.axe('export prêt');
		const [download] = await Promise.all([
			a.page.waitForEvent('download', { timeout: 30000 }),
			link.click(),
		]);
		const archive = await readFile(await download.path());
		check('export: the archive downloads, encrypted (no name in clear)',
			download.suggestedFilename().endsWith('.creneau-export') &&
			archive.subarray(0, 14).toString('latin1') === 'CRENEAU-EXPORT' && !archive.includes('Directrice'),
			download.suggestedFilename());

		// --- The platform administrator.
		const p = await openPage(browser, { viewport: { width: 1280, height: 900 } });
		const ps = await onboard(p.page, srv.base, srv.accounts['plateforme@demo.example']);
		await go(p.page, 'Organismes clients');
		await p.step('Organismes clients');
		const row = p.page.locator('.tenants-table tbody tr').filter({ hasText: 'Tilleuls' });
		await row.first().waitFor();
		check('tenants: the Tilleuls listed, active', (await row.first().textContent()).includes('Actif'));
		await p.axe('organismes clients');
		await row.first().getByRole('button', { name: /^Résilier…/ }).click();
		const dlg = p.page.locator('dialog');
		await dlg.waitFor();
		check('terminate: the dialog says sessions end and data is deleted, for good',
			/sessions ouvertes se ferment/.test(await dlg.textContent()) && /définitif/.test(await dlg.textContent()));
		await p.axe('résiliation, dialogue');
		await p.page.keyboard.press('Escape');
		await dlg.waitFor({ state: 'detached' });
		check('terminate: cancelled with Escape, the organisation still active',
			(await row.first().textContent()).includes('Actif'));
		await row.first().getByRole('button', { name: /^Suspendre…/ }).click();
		await dlg.waitFor();
		await dlg.getByRole('button', { name: /^Suspendre / }).click();
		check('suspend: the reason is required',
			(await dlg.locator('.error').allTextContents()).join(' ').includes('Indiquez le motif'));
		await dlg.getByLabel('Motif').fill('Facture impayée');
		await dlg.getByRole('button', { name: /^Suspendre / }).click();
		await p.page.locator('p[role="status"]').filter({ hasText: 'fait' }).waitFor({ timeout: 30000 });
		check('suspend: the organisation shows suspended, with its reason',
			/Suspendu.*Facture impayée/s.test(await row.first().textContent()));
		await p.axe('organisme suspendu');
		// The operator's register as processor shows the client and
		// its state.
		await go(p.page, 'Registre de sous-traitant');
		await p.step('Registre de sous-traitant');
		const prow = p.page.locator('main table tbody tr').filter({ hasText: 'Tilleuls' });
		await prow.first().waitFor({ timeout: 30000 });
		check('processor register: the Tilleuls listed, suspended, with the exam booking',
			/Suspendu/.test(await prow.first().textContent()) && /examen/.test(await prow.first().textContent()));
		await p.axe('registre de sous-traitant');
		await go(p.page, 'Organismes clients');
		await row.first().waitFor();

		// --- The administrator sees it.
		await go(a.page, 'Notifications');
		await a.step('Notifications');
		await go(a.page, 'Réglages de l’organisme');
		await a.step('Réglages de l’organisme');
		await a.page.locator('main [role="alert"]').filter({ hasText: 'Organisme suspendu' }).waitFor({ timeout: 30000 });
		check('settings: the suspension and its reason shown to the organisation',
			(await a.page.locator('main').textContent()).includes('Facture impayée'));
		await a.axe('réglages, organisme suspendu');

		await row.first().getByRole('button', { name: /^Réactiver…/ }).click();
		await dlg.waitFor();
		await dlg.getByRole('button', { name: /^Réactiver / }).click();
		await p.page.locator('p[role="status"]').filter({ hasText: 'fait' }).last().waitFor({ timeout: 30000 });
		check('reactivate: active again', (await row.first().textContent()).includes('Actif'));

		// --- A termination, and the export handed over by public key.
		const port = p.page.locator('.tenants-table tbody tr').filter({ hasText: 'Port' });
		await port.first().getByRole('button', { name: /^Résilier…/ }).click();
		await dlg.waitFor();
		await dlg.getByLabel('Motif').fill('Fin du contrat');
		await dlg.getByRole('button', { name: /^Résilier / }).click();
		await p.page.locator('p[role="status"]').filter({ hasText: 'fait' }).last().waitFor({ timeout: 30000 });
		await port.first().getByRole('button', { name: /^Export des données…/ }).click();
		await dlg.waitFor();
		await dlg.locator('.export-status').filter({ hasText: 'En attente d’une phrase de passe' }).waitFor({ timeout: 30000 });
		check('termination: the export waits for the organisation’s key', true);
		await p.axe('export d’un organisme résilié');
		const jwk = generateKeyPairSync('x25519').publicKey.export({ format: 'jwk' });
		await dlg.getByLabel('Clé publique de l’organisme (conseillé)').fill(Buffer.from(jwk.x, 'base64url').toString('base64'));
		await dlg.getByRole('button', { name: 'Préparer l’export' }).click();
		await dlg.getByRole('link', { name: /^Télécharger l’archive/ }).waitFor({ timeout: 90000 });
		check('termination: the archive, sealed for the organisation’s public key, ready to hand over', true);
		await p.axe('export prêt à remettre');
		await dlg.getByRole('button', { name: 'Fermer' }).click();
		await dlg.waitFor({ state: 'detached' });

		// --- Past the grace period, the retention run deletes it (its
		// clock moved on: every session is over by then, so the platform
		// administrator signs in again), and the list offers the signed
		// certificate.
		const later = new Date(Date.now() + 32 * 86400000).toISOString().replace(/\.\d{3}Z$/, 'Z');
		const del = srv.run(['retention', 'run', '--at', later]);
		check('deletion: the retention run deletes the terminated organisation past its grace period',
			del.status === 0 && del.stdout.includes('terminated organisations'), del.stderr);
		await p.page.goto(`${srv.base}/`);
		await waitHeading(p.page, 'Connexion');
		await p.page.getByLabel('Adresse e-mail').fill('plateforme@demo.example');
		await p.page.getByLabel('Mot de passe', { exact: true }).fill(NEW_PASSWORD);
		await p.page.getByRole('button', { name: 'Se connecter' }).click();
		await waitHeading(p.page, 'Vérification en deux étapes');
		await p.page.getByLabel('Code à 6 chiffres').fill(totp(ps.secret, Date.now() + 30000));
		await p.page.getByRole('button', { name: 'Valider' }).click();
		await p.page.locator('main h1').filter({ hasNotText: 'Vérification en deux étapes' }).waitFor({ timeout: 30000 });
		await go(p.page, 'Organismes clients');
		const gone = p.page.locator('.tenants-table tbody tr').filter({ hasText: 'Port' });
		await gone.first().getByRole('link', { name: /^Certificat de suppression/ }).waitFor({ timeout: 30000 });
		check('deletion: « Supprimé le … » and its certificate offered', (await gone.first().textContent()).includes('Supprimé le'));
		const [certDl] = await Promise.all([
			p.page.waitForEvent('download'),
			gone.first().getByRole('link', { name: /^Certificat de suppression/ }).click(),
		]);
		const cert = JSON.parse(await readFile(await certDl.path(), 'utf8'));
		check('deletion: the certificate names the organisation and is signed',
			cert.kind === 'creneau.tenant_deletion' && /^[0-9a-f]{128}$/.test(cert.signature), JSON.stringify(cert).slice(0, 200));
		await p.axe('organisme supprimé');

		a.noUnexpectedErrors('tenancy: organisation administrator');
		p.noUnexpectedErrors('tenancy: platform administrator');
		await Promise.all([a.context.close(), p.context.close()]);
	} finally {
		await srv.stop();
	}
}
