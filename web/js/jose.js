// jose.js - end-to-end encryption of dossier documents with the Web Crypto
// API (docs/threat-model.md). Nothing here talks to the server.
//
// A document becomes a JWE in JSON serialisation (RFC 7516 §7.2.1): a
// fresh AES-256-GCM content key per document (enc A256GCM), wrapped with
// RSA-OAEP-256 for each validator key in force (alg RSA-OAEP-256), each
// recipient named by the key's fingerprint in "kid". Any JOSE library
// opens it with a validator's private key.
//
// A validator's key pair is made here (RSA-OAEP 3072 bits, SHA-256). The
// private key leaves the browser only encrypted under the validator's
// passphrase: PBKDF2-SHA256, WRAP_ITERATIONS iterations, 16-byte random
// salt, then AES-256-GCM (12-byte random IV) over its PKCS#8 form.

export const WRAP_ITERATIONS = 600000; // PBKDF2-SHA256 (OWASP 2023)

const enc = new TextEncoder();

export function b64url(bytes) {
	let s = '';
	const b = new Uint8Array(bytes);
	for (let i = 0; i < b.length; i += 0x8000)
		s += String.fromCharCode(...b.subarray(i, i + 0x8000));
	return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function unb64url(s) {
	const t = s.replace(/-/g, '+').replace(/_/g, '/');
	const bin = atob(t + '='.repeat((4 - (t.length % 4)) % 4));
	const out = new Uint8Array(bin.length);
	for (let i = 0; i < bin.length; i++)
		out[i] = bin.charCodeAt(i);
	return out;
}

export async function sha256Hex(bytes) {
	const d = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
	return [...d].map((x) => x.toString(16).padStart(2, '0')).join('');
}

// The key's pinned fingerprint: SHA-256 (hex) of its RFC 7638 form.
export function fingerprint(jwk) {
	return sha256Hex(enc.encode(`{"e":"${jwk.e}","kty":"RSA","n":"${jwk.n}"}`));
}

// "ab12 cd34 …": the fingerprint as people compare it.
export function groups(fp) {
	return fp.match(/.{1,4}/g).join(' ');
}

const RSA = { name: 'RSA-OAEP', hash: 'SHA-256' };

// Encrypts bytes for keys ([{ jwk, fingerprint }]); refuses a key whose
// fingerprint is not the one the server pinned.
export async function encryptDocument(bytes, keys) {
	if (!keys.length)
		throw new Error('Aucune clé de validation en vigueur : l’association doit d’abord en créer une.');
	const prot = b64url(enc.encode('{"alg":"RSA-OAEP-256","enc":"A256GCM"}'));
	const cek = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt']);
	const raw = await crypto.subtle.exportKey('raw', cek);
	const iv = crypto.getRandomValues(new Uint8Array(12));
	const sealed = new Uint8Array(await crypto.subtle.encrypt(
		{ name: 'AES-GCM', iv, additionalData: enc.encode(prot), tagLength: 128 }, cek, bytes));
	const recipients = [];
	for (const k of keys) {
		if (await fingerprint(k.jwk) !== k.fingerprint)
			throw new Error('Une clé de validation ne correspond pas à son empreinte : envoi annulé.');
		const pub = await crypto.subtle.importKey('jwk',
			{ kty: 'RSA', n: k.jwk.n, e: k.jwk.e, alg: 'RSA-OAEP-256', ext: true }, RSA, false, ['encrypt']);
		const ek = await crypto.subtle.encrypt({ name: 'RSA-OAEP' }, pub, raw);
		recipients.push({ header: { kid: k.fingerprint }, encrypted_key: b64url(ek) });
	}
	return {
		protected: prot,
		recipients,
		iv: b64url(iv),
		ciphertext: b64url(sealed.subarray(0, sealed.length - 16)),
		tag: b64url(sealed.subarray(sealed.length - 16)),
	};
}

// Opens jwe with privateKey (a CryptoKey) held for fingerprint fp.
export async function decryptDocument(jwe, privateKey, fp) {
	const r = (jwe.recipients || []).find((x) => x.header && x.header.kid === fp);
	if (!r)
		throw new Error('Cette pièce n’a pas été chiffrée pour votre clé.');
	const raw = await crypto.subtle.decrypt({ name: 'RSA-OAEP' }, privateKey, unb64url(r.encrypted_key));
	const cek = await crypto.subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, ['decrypt']);
	const ct = unb64url(jwe.ciphertext);
	const tag = unb64url(jwe.tag);
	const both = new Uint8Array(ct.length + tag.length);
	both.set(ct);
	both.set(tag, ct.length);
	return new Uint8Array(await crypto.subtle.decrypt(
		{ name: 'AES-GCM', iv: unb64url(jwe.iv), additionalData: enc.encode(jwe.protected), tagLength: 128 },
		cek, both));
}

async function passKey(passphrase, salt, iterations, usage) {
	const base = await crypto.subtle.importKey('raw', enc.encode(passphrase), 'PBKDF2', false, ['deriveKey']);
	return crypto.subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
		base, { name: 'AES-GCM', length: 256 }, false, [usage]);
}

// A new validator key pair: { jwk (public), wrapped (text), privateKey }.
export async function newValidatorKey(passphrase) {
	const pair = await crypto.subtle.generateKey(
		{ ...RSA, modulusLength: 3072, publicExponent: new Uint8Array([1, 0, 1]) }, true, ['encrypt', 'decrypt']);
	const pub = await crypto.subtle.exportKey('jwk', pair.publicKey);
	const pkcs8 = await crypto.subtle.exportKey('pkcs8', pair.privateKey);
	const salt = crypto.getRandomValues(new Uint8Array(16));
	const iv = crypto.getRandomValues(new Uint8Array(12));
	const k = await passKey(passphrase, salt, WRAP_ITERATIONS, 'encrypt');
	const ct = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, k, pkcs8);
	const wrapped = JSON.stringify({
		v: 1, kdf: 'PBKDF2-SHA256', iterations: WRAP_ITERATIONS, cipher: 'A256GCM',
		salt: b64url(salt), iv: b64url(iv), ciphertext: b64url(ct),
	});
	return { jwk: { kty: 'RSA', n: pub.n, e: pub.e, alg: 'RSA-OAEP-256' }, wrapped, privateKey: pair.privateKey };
}

// The private key of wrapped (the text newValidatorKey made), opened with
// passphrase; not extractable. Throws on a wrong passphrase.
export async function unwrapValidatorKey(wrapped, passphrase) {
	const w = JSON.parse(wrapped);
	if (w.v !== 1 || w.kdf !== 'PBKDF2-SHA256' || w.cipher !== 'A256GCM')
		throw new Error('Format de clé inconnu.');
	const k = await passKey(passphrase, unb64url(w.salt), w.iterations, 'decrypt');
	let pkcs8;
	try {
		pkcs8 = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: unb64url(w.iv) }, k, unb64url(w.ciphertext));
	} catch {
		throw new Error('Phrase de passe incorrecte.');
	}
	return crypto.subtle.importKey('pkcs8', pkcs8, RSA, false, ['decrypt']);
}
