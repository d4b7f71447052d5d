// jwe-fixture.mjs - makes tests/fixtures/dossier-chromium.jwe.json: a
// document encrypted by Chromium with the page's own code (web/js/jose.js)
// for the test key tests/fixtures/dossier-test-key.pem, which
// tests/unit/test_dossier_interop.c opens with OpenSSL. Run it again
// (`node tests/browser/jwe-fixture.mjs`) when jose.js changes.
import { createPublicKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, root } from './lib.mjs';

export const PLAINTEXT = 'Pièce d’essai chiffrée par Chromium pour Créneau.\n';

const fixtures = join(root, 'tests', 'fixtures');
const pem = readFileSync(join(fixtures, 'dossier-test-key.pem'), 'utf8');
const jwk = createPublicKey(pem).export({ format: 'jwk' });
const browser = await launchBrowser();
try {
	const page = await browser.newPage();
	// localhost is a secure context: Web Crypto is there. Nothing listens:
	// the two files are served from here.
	await page.route('http://localhost/**', (route) => {
		const url = new URL(route.request().url());
		if (url.pathname === '/js/jose.js')
			return route.fulfill({ contentType: 'text/javascript', body: readFileSync(join(root, 'web', 'js', 'jose.js')) });
		return route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>fixture</title>' });
	});
	await page.goto('http://localhost/');
	const jwe = await page.evaluate(async ([key, text]) => {
		const m = await import('/js/jose.js');
		const fp = await m.fingerprint(key);
		return m.encryptDocument(new TextEncoder().encode(text), [{ jwk: key, fingerprint: fp }]);
	}, [{ kty: jwk.kty, n: jwk.n, e: jwk.e }, PLAINTEXT]);
	writeFileSync(join(fixtures, 'dossier-chromium.jwe.json'), `${JSON.stringify(jwe)}\n`);
	writeFileSync(join(fixtures, 'dossier-chromium.txt'), PLAINTEXT);
	console.log(`jwe-fixture: written by ${browser.version()}`);
} finally {
	await browser.close();
}
