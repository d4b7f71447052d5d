// lib.mjs - what the browser test (run.mjs) and the screenshots
// (screenshots.mjs) share: the real binary on a free port with the demo
// data, Debian's Chromium, TOTP codes, axe-core, and the onboarding of a
// demo account (temporary password, new password, TOTP enrolment).
import { spawn, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, existsSync, readFileSync, readdirSync, createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const here = dirname(fileURLToPath(import.meta.url));
export const root = resolve(here, '..', '..');
const bin = resolve(root, process.env.CRENEAU_BIN || 'build/creneau');
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const axePath = join(here, 'node_modules', 'axe-core', 'axe.min.js');

// The password every onboarded demo account gets (long and hard to guess
// enough for the server's strength check).
export const NEW_PASSWORD = 'Quatre chevaux galopent sous la pluie 1987';

export function freePort() {
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
export function totp(secretB32, at = Date.now()) {
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

// Creates a fresh database with the demo data in a temporary directory
// and serves it (and web/) on a free loopback port. Returns { base,
// accounts, stop, run }: accounts maps a role name to the { email, password }
// demo-data printed; stop(keep) ends the server and removes the directory
// unless keep is set (then it says where the server log is). Each account
// is also under its email (several school managers share a role name).
// opts.env: more CRENEAU_ variables for the server (e.g. a shorter basket),
// or a function of the server's base URL that returns them.
// run(args) runs the binary on the same database (see below).
export async function startServer(opts = {}) {
	if (!existsSync(bin))
		throw new Error(`${bin} missing: run make first`);
	const dir = mkdtempSync(join(tmpdir(), 'creneau-browser-'));
	const env = { ...process.env };
	for (const k of Object.keys(env))
		if (k.startsWith('CRENEAU_'))
			delete env[k];
	env.CRENEAU_STORE_PATH = join(dir, 'creneau.db');

	const demo = spawnSync(bin, ['demo-data'], { cwd: root, env, encoding: 'utf8' });
	const accounts = {};
	for (const l of (demo.stdout + demo.stderr).split('\n')) {
		const m = /^\s+([a-z_]+)\s+(\S+@\S+)\s+(\S+)\s*$/.exec(l);
		if (m)
			accounts[m[1]] = { email: m[2], password: m[3] };
		// Also by email: demo-data prints several accounts of one role.
		if (m)
			accounts[m[2]] = { email: m[2], password: m[3] };
	}
	if (demo.status !== 0 || !accounts.school_admin)
		throw new Error(`demo-data failed (${demo.status}): ${demo.stderr}`);

	// opts.port: a port chosen beforehand (another server names it).
	const port = opts.port || await freePort();
	const base = `http://127.0.0.1:${port}`;
	const log = createWriteStream(join(dir, 'server.log'));
	const server = spawn(bin, ['serve'], {
		cwd: root,
		env: { ...env, CRENEAU_HTTP_LISTEN: `127.0.0.1:${port}`, CRENEAU_HTTP_WEB_DIR: join(root, 'web'), CRENEAU_JOBS_ENABLED: 'off', ...(typeof opts.env === 'function' ? opts.env(base) : opts.env || {}) },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	server.stdout.pipe(log);
	server.stderr.pipe(log);
	async function stop(keep) {
		server.kill('SIGTERM');
		await new Promise((r) => (server.exitCode !== null ? r() : server.once('exit', r)));
		if (keep || process.env.KEEP_TMP)
			console.log(`server log kept in ${join(dir, 'server.log')}`);
		else
			rmSync(dir, { recursive: true, force: true });
	}
	try {
		await waitHealthy(base, server);
	} catch (err) {
		await stop(true);
		throw err;
	}
	// Runs a `creneau` command against this server's database (e.g.
	// ['retention', 'run']): { status, stdout, stderr }.
	// extra: variables added for this command (e.g. another store path).
	const run = (args, extra = {}) => spawnSync(bin, args, { cwd: root, env: { ...env, ...extra }, encoding: 'utf8' });
	// dir: the server's own directory (its database, write-ahead log and
	// log), for the tests that look under the server.
	return { base, accounts, stop, run, dir };
}

// A real SMTP server (Debian's aiosmtpd) on a free loopback port, writing
// into a Maildir: { env, next(to, text), stop }. env holds the server's
// [smtp] variables (delivery every second); next waits (30 s at most) for
// an email to `to` containing text that was not returned before, and
// gives its decoded "Subject\n\nbody" (Python's email parser).
export async function startSmtp() {
	const dir = mkdtempSync(join(tmpdir(), 'creneau-smtp-'));
	const port = await freePort();
	const proc = spawn('/usr/bin/python3', ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${port}`,
		'-c', 'aiosmtpd.handlers.Mailbox', join(dir, 'mail')], { stdio: 'ignore' });
	const seen = new Set();
	const decode = (path) => spawnSync('/usr/bin/python3', ['-c',
		'import sys\nfrom email import policy\nfrom email.parser import BytesParser\n'
		+ "m = BytesParser(policy=policy.default).parse(open(sys.argv[1], 'rb'))\n"
		+ "b = m.get_body(preferencelist=('plain',))\n"
		+ "sys.stdout.write('%s\\n%s\\n\\n%s' % (m['to'], m['subject'], b.get_content() if b else ''))\n", path],
	{ encoding: 'utf8' }).stdout;
	async function next(to, text) {
		const box = join(dir, 'mail', 'new');
		for (let i = 0; i < 300; i++) {
			const names = existsSync(box) ? readdirSync(box).filter((n) => !n.startsWith('.') && !seen.has(n)) : [];
			for (const n of names) {
				const m = decode(join(box, n));
				if (m.split('\n')[0].includes(to) && m.includes(text)) {
					seen.add(n);
					return m;
				}
			}
			await new Promise((r) => setTimeout(r, 100));
		}
		throw new Error(`no email to ${to} with "${text}"`);
	}
	async function stop() {
		proc.kill('SIGTERM');
		await new Promise((r) => (proc.exitCode !== null ? r() : proc.once('exit', r)));
		rmSync(dir, { recursive: true, force: true });
	}
	const env = {
		CRENEAU_SMTP_URL: `smtp://127.0.0.1:${port}`, CRENEAU_SMTP_FROM: 'noreply@creneau.test',
		CRENEAU_SMTP_STARTTLS: 'off', CRENEAU_SMTP_INTERVAL: '1', CRENEAU_JOBS_ENABLED: 'on',
	};
	return { env, next, stop };
}

export function launchBrowser() {
	return chromium.launch({
		executablePath: chromiumPath,
		headless: true,
		args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
			'--disable-background-networking', '--disable-component-update', '--disable-sync',
			'--disable-dev-shm-usage', '--lang=fr-FR'],
	});
}

let axeText = null;

// Runs axe-core on page's current state and returns its serious and
// critical findings as one line each (an empty list when there are none).
// page.addScriptTag({ path }) inserts an inline <script>, which the page's
// CSP refuses, so the same file is run with page.evaluate instead:
// outside the CSP, which stays on for the app.
export async function axeFindings(page) {
	if (axeText === null)
		axeText = readFileSync(axePath, 'utf8');
	if (!(await page.evaluate(() => typeof window.axe === 'object')))
		await page.evaluate(axeText);
	const res = await page.evaluate(async () =>
		// eslint-disable-next-line no-undef
		(await axe.run(document, { resultTypes: ['violations'] })).violations.map((v) => ({
			id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help,
		})));
	return res.filter((v) => v.impact === 'serious' || v.impact === 'critical')
		.map((v) => `${v.id} [${v.impact}] x${v.nodes}: ${v.help}`);
}

// The value of an <input type="datetime-local"> hours ago (local time:
// Node's time zone, which the browser it starts shares).
export function localInputHoursAgo(hours) {
	const d = new Date(Date.now() - hours * 3600 * 1000);
	const p = (n) => String(n).padStart(2, '0');
	return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

// Waits for the page's h1 to read title (a string or a RegExp).
export function waitHeading(page, title, timeout = 30000) {
	return page.locator('main h1').filter({ hasText: title }).waitFor({ timeout });
}

// Signs account in from the sign-in page and goes through the first
// sign-in: temporary password changed to NEW_PASSWORD, then for staff the
// TOTP enrolment and the recovery codes, then the privacy policy accepted
// (a new account's first sign-in). Ends on the role's first page
// ("Accueil"; "Ma journée" for a school manager, "Agenda…" for an agent,
// "Mon compte" for the others). Returns
// { secret, codes } (both empty for an account without TOTP).
export async function onboard(page, base, account) {
	await page.goto(`${base}/`);
	await waitHeading(page, 'Connexion');
	await page.getByLabel('Adresse e-mail').fill(account.email);
	await page.getByLabel('Mot de passe', { exact: true }).fill(account.password);
	await page.getByRole('button', { name: 'Se connecter' }).click();
	await waitHeading(page, 'Choisir un nouveau mot de passe');
	await page.getByLabel('Mot de passe actuel').fill(account.password);
	await page.getByLabel('Nouveau mot de passe').fill(NEW_PASSWORD);
	const enrolResp = page.waitForResponse((r) => r.url().endsWith('/api/v1/me/mfa/enrolment'), { timeout: 30000 })
		.catch(() => null);
	await page.getByRole('button', { name: 'Changer le mot de passe' }).click();
	await page.locator('main h1').filter({ hasText: /Activer|Politique de confidentialité|Mon compte|Accueil/ }).waitFor({ timeout: 30000 });
	if (await page.locator('main h1').filter({ hasText: /Politique de confidentialité|Mon compte|Accueil/ }).count()) {
		await acceptPolicyOnce(page);
		return { secret: '', codes: [] };
	}
	const enrolment = await (await enrolResp).json();
	const secret = new URL(enrolment.otpauth_uri).searchParams.get('secret');
	await page.getByLabel('Code à 6 chiffres').fill(totp(secret));
	await page.getByRole('button', { name: 'Confirmer' }).click();
	await waitHeading(page, 'Vos codes de secours');
	const codes = await page.locator('ol.codes li').allTextContents();
	await page.getByRole('button', { name: /continuer/ }).click();
	await acceptPolicyOnce(page);
	return { secret, codes };
}

const LANDING = /^(Accueil|Mon compte|Ma journée|Agenda\b.*)$/;

// A new account's first sign-in asks it to accept the privacy policy
// once (app.js): accepted here when asked; ends on the role's first page.
async function acceptPolicyOnce(page) {
	await page.locator('main h1').filter({ hasText: /^(Politique de confidentialité|Accueil|Mon compte|Ma journée|Agenda\b.*)$/ }).waitFor({ timeout: 30000 });
	if (await page.locator('main h1').filter({ hasText: 'Politique de confidentialité' }).count())
		await page.getByRole('button', { name: 'J’ai lu et j’accepte la politique de confidentialité' }).click();
	await waitHeading(page, LANDING);
}
