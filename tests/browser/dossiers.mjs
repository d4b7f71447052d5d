// dossiers.mjs - the encrypted dossiers in the browser (run.mjs calls
// dossierJourneys), on a server of their own, axe-core on every new page
// state: the association's validator creates a key pair in the browser
// (the private key downloaded and stored only wrapped under the
// passphrase); a family fills in its profile, picks a real PDF, which is
// encrypted in the page for the validator key and sent, then submits;
// the server's files never hold a byte run of the PDF; the validator
// opens the dossier, decrypts the PDF in the page (its SHA-256 equals the
// file's), validates; the ciphertext is then gone from the database and
// its write-ahead log, and the family sees the decision.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { onboard, startServer } from './lib.mjs';

const menu = (page, name) => page.locator('header nav').getByRole('link', { name, exact: true });

// A small but real PDF (one page, one line of text), with a marker.
export const MARKER = 'HANDIPAUSE-PDF-MARKER-3e8b1c';
function pdf() {
	const text = `BT /F1 18 Tf 72 720 Td (${MARKER}) Tj ET`;
	const objs = [
		'<< /Type /Catalog /Pages 2 0 R >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
		`<< /Length ${text.length} >>\nstream\n${text}\nendstream`,
		'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
	];
	let out = '%PDF-1.4\n';
	const offsets = [];
	objs.forEach((o, i) => {
		offsets.push(out.length);
		out += `${i + 1} 0 obj\n${o}\nendobj\n`;
	});
	const xref = out.length;
	out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n`;
	for (const off of offsets)
		out += `${String(off).padStart(10, '0')} 00000 n \n`;
	out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
	return Buffer.from(out, 'latin1');
}

// Whether the server's database, its write-ahead log or its log holds
// needle (a string).
function serverHolds(dir, needle) {
	return ['creneau.db', 'creneau.db-wal', 'server.log'].some((f) => {
		const p = join(dir, f);
		return existsSync(p) && readFileSync(p).includes(Buffer.from(needle));
	});
}

export async function dossierJourneys(browser, t) {
	const { check, openPage } = t;
	const srv = await startServer();
	try {
		// --- The validator creates a key.
		const v = await openPage(browser, { acceptDownloads: true });
		await onboard(v.page, srv.base, srv.accounts['validation@enfance-pluriel.example']);
		await menu(v.page, 'Dossiers à valider').click();
		await v.step('Dossiers à valider');
		await v.axe('Dossiers à valider, no key yet');
		await v.page.getByLabel('Phrase de passe', { exact: true }).fill('une phrase de passe assez longue');
		await v.page.getByLabel('Phrase de passe, à nouveau').fill('une phrase de passe assez longue');
		const dl = v.page.waitForEvent('download', { timeout: 60000 });
		await v.page.getByRole('button', { name: 'Créer ma clé' }).click();
		const file = await dl;
		const wrapped = JSON.parse(readFileSync(await file.path(), 'utf8'));
		check('dossiers: the downloaded private key is wrapped (PBKDF2-SHA256, AES-GCM), no JWK in clear',
			wrapped.kdf === 'PBKDF2-SHA256' && wrapped.iterations >= 600000 && wrapped.cipher === 'A256GCM' && !('d' in wrapped),
			JSON.stringify(Object.keys(wrapped)));
		await v.page.getByText('Clé déverrouillée pour cette page').waitFor({ timeout: 60000 });
		await v.axe('Dossiers à valider, key unlocked');

		// --- The family: profile, a real PDF encrypted in the page.
		const f = await openPage(browser);
		await onboard(f.page, srv.base, srv.accounts['famille@demo.example']);
		await menu(f.page, 'Mon dossier').click();
		await f.step('Mon dossier');
		await f.axe('Mon dossier, empty');
		await f.page.getByLabel('Nom et prénom de l’adulte responsable ou du bénévole').fill('Florence Famille');
		await f.page.getByLabel('Besoins de l’enfant (famille seulement)').fill('Besoin d’un accompagnement calme');
		await f.page.getByRole('button', { name: 'Enregistrer le profil' }).click();
		await f.page.getByText('Profil enregistré.').waitFor();
		const bytes = pdf();
		let sent = null;
		f.page.on('request', (r) => {
			if (r.method() === 'POST' && r.url().endsWith('/documents'))
				sent = JSON.parse(r.postData());
		});
		await f.page.getByLabel('Fichier (PDF ou image)').setInputFiles({ name: 'attestation.pdf', mimeType: 'application/pdf', buffer: bytes });
		await f.page.getByRole('button', { name: 'Chiffrer et envoyer la pièce' }).click();
		await f.page.getByText('Pièce chiffrée et envoyée').waitFor();
		check('dossiers: the browser sent a JWE (RSA-OAEP-256, A256GCM) and no plaintext',
			sent && sent.jwe.recipients.length === 1 && !JSON.stringify(sent).includes(MARKER)
			&& Buffer.from(sent.jwe.protected, 'base64url').toString() === '{"alg":"RSA-OAEP-256","enc":"A256GCM"}');
		await f.axe('Mon dossier, one document');
		await f.page.getByRole('button', { name: 'Envoyer mon dossier à l’association' }).click();
		await f.page.getByText('Dossier envoyé.').waitFor();
		check('dossiers: no byte run of the PDF in the database, its log or the server log',
			!serverHolds(srv.dir, MARKER) && !serverHolds(srv.dir, bytes.subarray(0, 400).toString('latin1')));
		const needle = sent.jwe.ciphertext.slice(40, 100);
		check('dossiers: the ciphertext is stored until the decision', serverHolds(srv.dir, needle));
		// A backup taken now, restored elsewhere with the keys, holds the
		// ciphertext and still no byte of the PDF.
		const backup = join(srv.dir, 'apres-envoi.backup');
		const made = srv.run(['backup', backup]);
		mkdirSync(join(srv.dir, 'restored'));
		const back = srv.run(['restore', backup], {
			CRENEAU_STORE_PATH: join(srv.dir, 'restored', 'creneau.db'),
			CRENEAU_KEYS_MASTER_KEY_FILE: join(srv.dir, 'master.key'),
			CRENEAU_KEYS_KEYSTORE: join(srv.dir, 'keys.db'),
			CRENEAU_AUDIT_SIGNING_KEY_FILE: join(srv.dir, 'audit-signing.key'),
		});
		check('dossiers: a backup restored elsewhere holds the ciphertext, never the PDF',
			made.status === 0 && back.status === 0 && serverHolds(join(srv.dir, 'restored'), needle)
			&& !serverHolds(join(srv.dir, 'restored'), MARKER) && !readFileSync(backup).includes(Buffer.from(MARKER)),
			`${made.stderr}${back.stderr}`);

		// --- A second validator joins after the document was sent: her
		// key cannot open it until the first gives it access, in his
		// browser (the server never holds a document key in clear).
		const w = await openPage(browser, { acceptDownloads: true });
		await onboard(w.page, srv.base, srv.accounts['validation2@enfance-pluriel.example']);
		await menu(w.page, 'Dossiers à valider').click();
		await w.page.getByLabel('Phrase de passe', { exact: true }).fill('une autre phrase de passe longue');
		await w.page.getByLabel('Phrase de passe, à nouveau').fill('une autre phrase de passe longue');
		const dl2 = w.page.waitForEvent('download', { timeout: 60000 });
		await w.page.getByRole('button', { name: 'Créer ma clé' }).click();
		await dl2;
		await w.page.getByText('Clé déverrouillée pour cette page').waitFor({ timeout: 60000 });
		// A new page forgets the key: a wrong passphrase is refused.
		await w.page.reload();
		await menu(w.page, 'Dossiers à valider').click();
		await w.page.getByLabel('Phrase de passe de votre clé').fill('ce n’est pas la bonne phrase');
		await w.page.getByRole('button', { name: 'Déverrouiller ma clé' }).click();
		await w.page.getByText('Phrase de passe incorrecte.').waitFor({ timeout: 60000 });
		await w.axe('Dossiers à valider, wrong passphrase');
		await w.page.getByLabel('Phrase de passe de votre clé').fill('une autre phrase de passe longue');
		await w.page.getByRole('button', { name: 'Déverrouiller ma clé' }).click();
		await w.page.getByText('Clé déverrouillée pour cette page').waitFor({ timeout: 60000 });
		await w.page.getByRole('button', { name: /Examiner le dossier/ }).click();
		await w.page.getByRole('button', { name: /Ouvrir : / }).click();
		await w.page.getByText('Cette pièce n’a pas été chiffrée pour votre clé.').waitFor();
		check('dossiers: a key made after the upload cannot open the document yet', true);

		await v.page.getByRole('button', { name: 'Actualiser la liste' }).click();
		await v.page.getByText('Liste actualisée.').waitFor();
		await v.axe('Dossiers à valider, a colleague’s key');
		await v.page.getByRole('button', { name: /Donner accès aux dossiers ouverts/ }).click();
		await v.page.getByText('1 pièce rendue lisible').waitFor({ timeout: 60000 });
		await w.page.getByRole('button', { name: /Ouvrir : / }).click();
		const digest2 = await w.page.locator('code.doc-digest').textContent({ timeout: 30000 });
		check('dossiers: once given access, the second validator decrypts the PDF in her page',
			digest2 === createHash('sha256').update(bytes).digest('hex'), digest2);
		check('dossiers: giving access sent no document key or byte in clear to the server',
			!serverHolds(srv.dir, MARKER));
		w.noUnexpectedErrors('second validator');
		await w.context.close();

		// --- The validator decrypts it in the page and validates.
		await v.page.getByRole('button', { name: 'Actualiser la liste' }).click();
		await v.page.getByText('Liste actualisée.').waitFor();
		await v.page.getByRole('button', { name: /Examiner le dossier/ }).click();
		await v.page.getByRole('button', { name: /Ouvrir : / }).click();
		const digest = await v.page.locator('code.doc-digest').textContent({ timeout: 30000 });
		check('dossiers: the PDF decrypted in the validator’s page has the bytes of the file',
			digest === createHash('sha256').update(bytes).digest('hex'), digest);
		await v.axe('Dossier opened, PDF decrypted');
		await v.page.getByRole('button', { name: 'Enregistrer la décision' }).click();
		await v.page.getByText('Décision enregistrée').waitFor();
		check('dossiers: validated, the ciphertext is gone from the database and its log',
			!serverHolds(srv.dir, needle));
		await v.axe('Dossiers à valider, after the decision');
		// Revoking a colleague's key asks for a second click first.
		await v.page.getByRole('button', { name: /^Révoquer la clé n° / }).click();
		await v.page.getByRole('button', { name: /^Confirmer la révocation/ }).click();
		await v.page.getByText('Aucune autre clé en vigueur.').waitFor();
		check('dossiers: a revoked key leaves the keys in force', true);

		await menu(f.page, 'Notifications').click();
		await menu(f.page, 'Mon dossier').click();
		await f.page.getByText('Validé. Vos pièces ont été détruites.').waitFor();
		await f.axe('Mon dossier, validated');
		v.noUnexpectedErrors('validator');
		f.noUnexpectedErrors('family');
		await v.context.close();
		await f.context.close();
	} finally {
		await srv.stop();
	}
}
