// contacts.mjs - « Contacts », the organisation's customers and
// suppliers (seed 003), in the browser (run.mjs calls contactsJourneys;
// BROWSER_ONLY=contacts), on a server of its own, axe-core on every
// state: the Tilleuls administrator adds a contact with a wrong email
// (refused next to its field), fixes it, imports a CSV with one wrong
// line (the line listed, nothing imported), then a good one (the count
// shown), is told before sending that a document over the limit is too
// big, attaches a small PDF and downloads it back byte for byte, exports
// the CSV, deletes a contact after a second click, searches; the same
// page at 390×844 is no wider than the screen, and there a document is
// deleted with the keyboard alone.
import { readFile } from 'node:fs/promises';
import { onboard, startServer } from './lib.mjs';

// On a phone the menu folds behind « Menu »: open it when it is folded.
async function go(page, name) {
	const link = page.locator('header nav').getByRole('link', { name, exact: true });
	if (!(await link.isVisible()))
		await page.getByRole('button', { name: 'Menu' }).click();
	await link.click();
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');

export async function contactsJourneys(browser, t) {
	const { check, openPage } = t;
	const srv = await startServer();
	try {
		const a = await openPage(browser, { viewport: { width: 1280, height: 900 }, acceptDownloads: true });
		const { page } = a;
		await onboard(page, srv.base, srv.accounts['direction@tilleuls.example']);
		const links = await page.locator('header nav a').allTextContents();
		check('menu (school_admin): « Contacts »', links.includes('Contacts'), JSON.stringify(links));
		await go(page, 'Contacts');
		await a.step('Contacts');
		await a.axe('contacts');
		const rows = page.locator('.contacts-table tbody tr');
		const before = await rows.count();

		// --- A contact with a wrong email, then fixed.
		const form = page.locator('form.contact-form');
		await form.getByLabel('Raison sociale').fill('Garage Martin');
		await form.getByLabel('Nom du contact (facultatif)').fill('Paul Martin');
		const email = form.getByLabel('Adresse e-mail (facultative)');
		await email.fill('pas-une-adresse');
		await form.getByLabel('SIRET (facultatif)').fill('732 829 320 00074');
		await form.getByRole('button', { name: 'Ajouter le contact' }).click();
		await form.locator('.field .error').filter({ hasText: /\S/ }).first().waitFor({ timeout: 30000 });
		check('add: a wrong email is refused next to its field',
			(await email.getAttribute('aria-invalid')) === 'true', await form.locator('.field .error').allTextContents().then((x) => x.join(' | ')));
		check('add: nothing added', (await rows.count()) === before);
		await a.axe('contact, erreur');
		await email.fill('paul@garage-martin.example');
		await form.getByRole('button', { name: 'Ajouter le contact' }).click();
		await page.locator('p[role="status"]').filter({ hasText: 'Contact « Garage Martin » ajouté' }).waitFor({ timeout: 30000 });
		await rows.filter({ hasText: 'Garage Martin' }).first().waitFor();
		check('add: listed with its email', (await rows.filter({ hasText: 'paul@garage-martin.example' }).count()) === 1);
		check('add: the form is empty again', (await form.getByLabel('Raison sociale').inputValue()) === '');
		await a.axe('contact ajouté');

		// --- Change it.
		await rows.filter({ hasText: 'Garage Martin' }).getByRole('button', { name: 'Modifier Garage Martin' }).click();
		check('edit: the form holds the contact', (await form.getByLabel('Nom du contact (facultatif)').inputValue()) === 'Paul Martin');
		await form.getByLabel('Téléphone (facultatif)').fill('02 40 00 00 00');
		await form.getByRole('button', { name: 'Enregistrer les modifications' }).click();
		await page.locator('p[role="status"]').filter({ hasText: 'modifié' }).waitFor({ timeout: 30000 });
		check('edit: the new phone is listed', (await rows.filter({ hasText: '02 40 00 00 00' }).count()) === 1);

		// --- Import: one wrong line, nothing imported; then a good file.
		const imp = page.locator('form.import-form');
		const csvInput = imp.getByLabel('Fichier CSV de contacts');
		await csvInput.setInputFiles({ name: 'contacts.csv', mimeType: 'text/csv',
			buffer: Buffer.from('type;raison_sociale;nom_contact;email\nclient;Boulangerie Roux;Anne Roux;anne@roux.example\nfournisseur;Scierie Blanc;;pas-une-adresse\n') });
		await imp.getByRole('button', { name: 'Importer le fichier' }).click();
		const errs = page.locator('.errors-table tbody tr');
		await errs.first().waitFor({ timeout: 30000 });
		const errText = await errs.first().textContent();
		check('import: the wrong line is listed with its column', (await errs.count()) === 1 && /3/.test(errText) && /e-mail/i.test(errText), errText);
		check('import: the refusal is shown next to the file field', (await csvInput.getAttribute('aria-invalid')) === 'true');
		check('import: nothing imported', (await rows.filter({ hasText: 'Boulangerie Roux' }).count()) === 0);
		await a.axe('import, erreurs');
		await csvInput.setInputFiles({ name: 'contacts.csv', mimeType: 'text/csv',
			buffer: Buffer.from('type;raison_sociale;nom_contact;email\nclient;Boulangerie Roux;Anne Roux;anne@roux.example\nfournisseur;Scierie Blanc;;contact@scierie-blanc.example\n') });
		await imp.getByRole('button', { name: 'Importer le fichier' }).click();
		await page.locator('p[role="status"]').filter({ hasText: '2 contact(s) ajouté(s)' }).waitFor({ timeout: 30000 });
		check('import: the count shown', /Contacts importés\s*2/.test(await page.locator('.import-result').innerText()));
		await rows.filter({ hasText: 'Scierie Blanc' }).first().waitFor();
		check('import: both listed', (await rows.count()) === before + 3);
		await a.axe('import réussi');

		// --- Documents of the Garage: the limit said, a big file refused
		// before it is sent, a small PDF attached and downloaded back.
		await rows.filter({ hasText: 'Garage Martin' }).getByRole('button', { name: 'Documents de Garage Martin' }).click();
		const docs = page.locator('section').filter({ has: page.getByRole('heading', { name: 'Documents de « Garage Martin »' }) });
		await docs.waitFor({ timeout: 30000 });
		check('documents: focus on their heading', await page.evaluate(() => document.activeElement?.id === 'contact-docs-title'));
		check('documents: the limit is said before any upload', (await docs.textContent()).includes('1 Mo au plus'));
		await a.axe('documents, aucun');
		const fileInput = docs.getByLabel('Photo ou PDF');
		let uploads = 0;
		const countUploads = (r) => { if (r.method() === 'POST' && r.url().includes('/documents')) uploads++; };
		page.on('request', countUploads);
		await fileInput.setInputFiles({ name: 'gros.pdf', mimeType: 'application/pdf', buffer: Buffer.concat([PDF, Buffer.alloc(1000 * 1000)]) });
		await docs.getByRole('button', { name: 'Joindre le document' }).click();
		await docs.locator('.field .error').filter({ hasText: /dépasse la limite de 1 Mo par document/ }).waitFor({ timeout: 30000 });
		check('documents: a file over the limit is refused in French, next to the field, before it is sent',
			(await fileInput.getAttribute('aria-invalid')) === 'true' && uploads === 0);
		await a.axe('document trop gros');
		await fileInput.setInputFiles({ name: 'devis.pdf', mimeType: 'application/pdf', buffer: PDF });
		await docs.getByRole('button', { name: 'Joindre le document' }).click();
		await page.locator('p[role="status"]').filter({ hasText: 'Document « devis.pdf » joint' }).waitFor({ timeout: 30000 });
		page.off('request', countUploads);
		const docs2 = page.locator('section').filter({ has: page.getByRole('heading', { name: 'Documents de « Garage Martin »' }) });
		const docRow = docs2.locator('.docs-table tbody tr').filter({ hasText: 'devis.pdf' });
		await docRow.waitFor({ timeout: 30000 });
		check('documents: listed as a PDF', (await docRow.textContent()).includes('PDF'));
		await a.axe('document joint');
		const [dl] = await Promise.all([
			page.waitForEvent('download', { timeout: 30000 }),
			docRow.getByRole('link', { name: /^Télécharger/ }).click(),
		]);
		const back = await readFile(await dl.path());
		check('documents: downloaded back byte for byte', Buffer.compare(back, PDF) === 0, `${back.length} bytes`);

		// --- Export as CSV.
		const [csvDl] = await Promise.all([
			page.waitForEvent('download', { timeout: 30000 }),
			page.getByRole('link', { name: 'Exporter en CSV' }).click(),
		]);
		const csv = (await readFile(await csvDl.path())).toString('utf8');
		check('export: a CSV with the French headers and every contact',
			csv.includes('raison_sociale') && csv.includes('Garage Martin') && csv.includes('Scierie Blanc') && csv.includes('Boulangerie Roux'),
			csv.slice(0, 200));

		// --- Delete, after a second click.
		const del = rows.filter({ hasText: 'Boulangerie Roux' }).locator('button.danger');
		check('delete: the button names the contact', (await del.textContent()) === 'Supprimer Boulangerie Roux', await del.textContent());
		await del.click();
		await page.locator('p[role="status"]').filter({ hasText: 'Cliquez de nouveau' }).waitFor({ timeout: 30000 });
		const armed = await del.textContent();
		check('delete: the first click only asks to confirm',
			armed.includes('Confirmer la suppression') && (await rows.filter({ hasText: 'Boulangerie Roux' }).count()) === 1, armed);
		await a.axe('suppression à confirmer');
		await del.click();
		await page.locator('p[role="status"]').filter({ hasText: 'Contact « Boulangerie Roux » supprimé' }).waitFor({ timeout: 30000 });
		check('delete: gone from the list', (await rows.filter({ hasText: 'Boulangerie Roux' }).count()) === 0);
		await a.axe('contact supprimé');

		// --- Search.
		await page.getByLabel('Rechercher (raison sociale ou nom du contact)').fill('scierie');
		await page.getByRole('button', { name: 'Rechercher', exact: true }).click();
		await page.locator('p[role="status"]').filter({ hasText: 'Recherche « scierie »' }).waitFor({ timeout: 30000 });
		check('search: only the matching contact listed', (await rows.count()) === 1 && (await rows.first().textContent()).includes('Scierie Blanc'));

		// --- The same page on a phone.
		await page.setViewportSize({ width: 390, height: 844 });
		await page.getByLabel('Rechercher (raison sociale ou nom du contact)').fill('');
		await page.getByRole('button', { name: 'Rechercher', exact: true }).click();
		await page.locator('p[role="status"]').filter({ hasText: 'Tous les contacts' }).waitFor({ timeout: 30000 });
		await rows.filter({ hasText: 'Garage Martin' }).getByRole('button', { name: 'Documents de Garage Martin' }).click();
		await page.locator('.docs-table').waitFor({ timeout: 30000 });
		const w = await page.evaluate(() => document.documentElement.scrollWidth);
		check('phone: the page is no wider than 390 px', w <= 390, `${w} px`);
		const off = await page.evaluate(() => [...document.querySelectorAll('.table-wrap tbody th, .table-wrap tbody td')]
			.filter((c) => c.getBoundingClientRect().right > 391).length);
		check('phone: no table cell beyond the screen (rows are cards)', off === 0, `${off} cells`);
		await a.axe('contacts sur téléphone');
		// The document deleted with the keyboard alone: Enter twice.
		const docDel = page.locator('.docs-table tbody tr').filter({ hasText: 'devis.pdf' }).locator('button.danger');
		await docDel.focus();
		await page.keyboard.press('Enter');
		await page.locator('p[role="status"]').filter({ hasText: 'Cliquez de nouveau' }).waitFor({ timeout: 30000 });
		await page.keyboard.press('Enter');
		await page.locator('p[role="status"]').filter({ hasText: 'Document « devis.pdf » supprimé' }).waitFor({ timeout: 30000 });
		check('documents: deleted with the keyboard after a second press, focus on their heading',
			(await page.locator('.contact-docs').textContent()).includes('Aucun document')
			&& await page.evaluate(() => document.activeElement?.id === 'contact-docs-title'));
		await a.axe('document supprimé');
		a.noUnexpectedErrors('contacts');
		await a.context.close();
	} finally {
		await srv.stop();
	}
}
