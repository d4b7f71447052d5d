// run.mjs - the web UI in a real browser (Debian's Chromium through
// playwright-core): sign-in with a demo temporary password, password
// change, TOTP enrolment, recovery codes, "Mon compte", sessions, sign-out,
// with axe-core on every page state. Prints "browser: N passed, N failed"
// last and exits non-zero on any failure.
import { spawn, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, existsSync, readFileSync, createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const bin = resolve(root, process.env.CRENEAU_BIN || 'build/creneau');
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const axePath = join(here, 'node_modules', 'axe-core', 'axe.min.js');

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

function freePort() {
	return new Promise((res, rej) => {
		const s = createServer();
		s.once('error', rej);
		s.listen(0, '127.0.0.1', () => {
			const { port } = s.address();
			s.close(() => res(port));
		});
	});
}

// RFC 4648 base32 (no padding needed) to bytes.
function base32(s) {
	const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
	let bits = 0, value = 0;
	const out = [];
	for (const c of s.replace(/=+$/, '').toUpperCase()) {
		const v = abc.indexOf(c);
		if (v < 0)
			throw new Error(`bad base32 character ${c}`);
		value = (value << 5) | v;
		bits += 5;
		if (bits >= 8) {
			out.push((value >>> (bits - 8)) & 0xff);
			bits -= 8;
		}
	}
	return Buffer.from(out);
}

// RFC 6238 TOTP, HMAC-SHA1, 30 s steps, 6 digits.
function totp(secretB32, at = Date.now()) {
	const counter = Buffer.alloc(8);
	counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
	const mac = createHmac('sha1', base32(secretB32)).update(counter).digest();
	const off = mac[mac.length - 1] & 0x0f;
	const n = (mac.readUInt32BE(off) & 0x7fffffff) % 1000000;
	return String(n).padStart(6, '0');
}

async function waitHealthy(base, proc) {
	for (let i = 0; i < 100; i++) {
		if (proc.exitCode !== null)
			throw new Error(`server exited with ${proc.exitCode}`);
		try {
			const r = await fetch(`${base}/healthz`);
			if (r.ok)
				return;
		} catch { /* not yet */ }
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error('server did not answer /healthz within 10 s');
}

async function main() {
	if (!existsSync(bin))
		throw new Error(`${bin} missing: run make first`);
	const dir = mkdtempSync(join(tmpdir(), 'creneau-browser-'));
	const env = { ...process.env, CRENEAU_STORE_PATH: join(dir, 'creneau.db') };
	for (const k of Object.keys(env))
		if (k.startsWith('CRENEAU_') && k !== 'CRENEAU_STORE_PATH')
			delete env[k];
	env.CRENEAU_STORE_PATH = join(dir, 'creneau.db');

	const demo = spawnSync(bin, ['demo-data'], { cwd: root, env, encoding: 'utf8' });
	const line = (demo.stdout + demo.stderr).split('\n').find((l) => /\bschool_admin\b/.test(l));
	if (demo.status !== 0 || !line)
		throw new Error(`demo-data failed (${demo.status}): ${demo.stderr}`);
	const [, email, tempPw] = line.trim().split(/\s+/);

	const port = await freePort();
	const base = `http://127.0.0.1:${port}`;
	const log = createWriteStream(join(dir, 'server.log'));
	const server = spawn(bin, ['serve'], {
		cwd: root,
		env: { ...env, CRENEAU_HTTP_LISTEN: `127.0.0.1:${port}`, CRENEAU_HTTP_WEB_DIR: join(root, 'web'), CRENEAU_JOBS_ENABLED: 'off' },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	server.stdout.pipe(log);
	server.stderr.pipe(log);
	let browser;
	try {
		await waitHealthy(base, server);
		browser = await chromium.launch({
			executablePath: chromiumPath,
			headless: true,
			args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
				'--disable-background-networking', '--disable-component-update', '--disable-sync',
				'--disable-dev-shm-usage'],
		});
		await journey(browser, base, email, tempPw);
	} finally {
		if (browser)
			await browser.close().catch(() => {});
		server.kill('SIGTERM');
		await new Promise((r) => (server.exitCode !== null ? r() : server.once('exit', r)));
		if (failed > 0 || process.env.KEEP_TMP)
			console.log(`server log kept in ${join(dir, 'server.log')}`);
		else
			rmSync(dir, { recursive: true, force: true });
	}
}

async function journey(browser, base, email, tempPw) {
	const context = await browser.newContext({ locale: 'fr-FR' });
	const page = await context.newPage();
	const pageErrors = [];
	page.on('console', (m) => {
		if (m.type() === 'error')
			pageErrors.push(m.text());
	});
	page.on('pageerror', (e) => pageErrors.push(String(e)));
	const axeSource = readFileSync(axePath, 'utf8');

	// axe-core on the current state: serious or critical findings fail.
	// page.addScriptTag({ path }) inserts an inline <script>, which the
	// page's CSP refuses (checked below), so the same file is run with
	// page.evaluate instead: outside the CSP, which stays on for the app.
	async function axe(state) {
		if (!(await page.evaluate(() => typeof window.axe === 'object')))
			await page.evaluate(axeSource);
		const res = await page.evaluate(async () =>
			// eslint-disable-next-line no-undef
			(await axe.run(document, { resultTypes: ['violations'] })).violations.map((v) => ({
				id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help,
			})));
		const bad = res.filter((v) => v.impact === 'serious' || v.impact === 'critical');
		check(`axe (${state}): no serious or critical violation`, bad.length === 0,
			bad.map((v) => `${v.id} [${v.impact}] x${v.nodes}: ${v.help}`).join('; '));
	}
	async function step(title) {
		const h1 = page.locator('main h1');
		await h1.filter({ hasText: title }).waitFor({ timeout: 10000 });
		const focused = await page.evaluate(() => document.activeElement?.tagName === 'H1');
		check(`"${title}": heading shown and focused`, focused);
	}
	const fieldError = (input) => input.evaluate((el) =>
		(el.getAttribute('aria-describedby') || '').split(' ').map((id) => document.getElementById(id))
			.filter((e) => e && e.getAttribute('role') === 'alert').map((e) => e.textContent).join(''));

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
	pageErrors.length = 0; // that refusal's console error was expected
	await axe('connexion');

	// 2. A wrong password: the French problem detail, in an alert.
	await page.getByLabel('Adresse e-mail').fill(email);
	await page.getByLabel('Mot de passe', { exact: true }).fill('pas le bon mot de passe');
	await page.getByRole('button', { name: 'Se connecter' }).click();
	const alert = page.locator('form [role="alert"]').filter({ hasText: 'incorrect' });
	await alert.first().waitFor({ timeout: 10000 });
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
	await page.waitForFunction(() => document.querySelector('input[name="new_password"]')?.getAttribute('aria-invalid') === 'true', null, { timeout: 10000 });
	const npErr = await fieldError(nw);
	check('weak password: French error next to "Nouveau mot de passe"', npErr.length > 0, npErr);
	check('weak password: nothing typed lost', (await cur.inputValue()) === tempPw && (await nw.inputValue()) === 'motdepasse');
	await axe('nouveau mot de passe, erreur');

	// 5. A good one: on to the enrolment, whose secret Node reads from the
	// API answer the page received.
	const newPw = 'Quatre chevaux galopent sous la pluie 1987';
	await nw.fill(newPw);
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
	await page.waitForFunction(() => document.querySelector('input[name="code"]')?.getAttribute('aria-invalid') === 'true', null, { timeout: 10000 });
	check('wrong code: French error next to the code field', (await fieldError(code)).includes('incorrect'));
	await axe('enrôlement, erreur');
	await code.fill(totp(secret));
	await page.getByRole('button', { name: 'Confirmer' }).click();
	await step('Vos codes de secours');
	const codes = await page.locator('ol.codes li').allTextContents();
	check('ten recovery codes shown', codes.length === 10, String(codes.length));
	await axe('codes de secours');
	await page.getByRole('button', { name: /continuer/ }).click();

	// 7. Mon compte.
	await step('Mon compte');
	const account = await page.locator('dl.account').textContent();
	check('Mon compte: name shown', account.includes('Nadia Directrice'), account);
	check('Mon compte: email shown', account.includes(email));
	check('Mon compte: role in French', account.includes("Direction d'auto-école"), account);
	const sessions = page.locator('ul.sessions li');
	check('Mes sessions: the current session listed with "Fermer"',
		(await sessions.count()) >= 1 && (await sessions.filter({ hasText: 'Cette session' }).getByRole('button', { name: /Fermer/ }).count()) === 1);
	await axe('mon compte');

	// 8. Sign out: back to Connexion, and the API no longer knows us.
	await page.getByRole('button', { name: 'Se déconnecter' }).click();
	await step('Connexion');
	check('signed out: notice shown', (await page.locator('main [role="status"]').textContent()).includes('déconnecté'));
	const after = await page.evaluate(async () => (await fetch('/api/v1/me')).status);
	check('signed out: /api/v1/me answers 401', after === 401, String(after));
	await axe('déconnecté');

	// Errors the app itself caused (a CSP refusal shows up here). The
	// wrong-password and wrong-code steps log their 401/422 fetches.
	const unexpected = pageErrors.filter((e) => !/status of (401|422)/.test(e));
	check('no unexpected console error or CSP refusal', unexpected.length === 0, unexpected.join(' | '));
	await context.close();
}

const started = Date.now();
try {
	await main();
} catch (err) {
	check('browser journey ran to the end', false, err && err.stack ? err.stack : String(err));
}
console.log(`browser: ${passed} passed, ${failed} failed (${((Date.now() - started) / 1000).toFixed(1)} s)`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
