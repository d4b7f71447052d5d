// provider.mjs - a real OpenID provider (npm oidc-provider) on loopback
// for the OIDC sign-in tests, started by tests/integration/test_oidc.c.
//
// Environment: PORT, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI (one or more,
// space-separated; the first one's site gets the logout). Prints "ready"
// once it listens. The login step has no form: whoever signs in is the
// subject set last by POST /test/next?sub=S[&acr=A][&amr=M][&email=E]
// (email: what userinfo says, by default S@fournisseur.test), and
// consent is given at once (the tests are about the relying party).
// POST /test/mode?m=M makes the next ID token a forged one, once:
// "wrong-nonce", "other-key" (signed by a key outside the JWKS, under
// the same kid), "expired"; "" turns it off.
import { generateKeyPairSync, sign } from 'node:crypto';
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const rsa = () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const key = rsa();
const otherKey = rsa();
const jwk = { ...key.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256', use: 'sig' };

let next = { sub: 'personne', acr: undefined, amr: undefined };
const emails = new Map();
const redirects = process.env.REDIRECT_URI.split(' ');
let mode = '';

const provider = new Provider(issuer, {
	clients: [{
		client_id: process.env.CLIENT_ID,
		client_secret: process.env.CLIENT_SECRET,
		redirect_uris: redirects,
		post_logout_redirect_uris: [redirects[0].replace(/\/api\/.*$/, '/')],
		grant_types: ['authorization_code'],
		response_types: ['code'],
		token_endpoint_auth_method: 'client_secret_basic',
	}],
	jwks: { keys: [jwk] },
	acrValues: ['eidas1', 'eidas2', 'eidas3'],
	claims: { openid: ['sub', 'acr', 'amr'], email: ['email'] },
	features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
	interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
	async findAccount(ctx, sub) {
		return { accountId: sub, claims: () => ({ sub, email: emails.get(sub) || `${sub}@fournisseur.test` }) };
	},
	async loadExistingGrant(ctx) {
		const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
		grant.addOIDCScope('openid email');
		await grant.save();
		return grant;
	},
});

const b64 = (x) => Buffer.from(typeof x === 'string' ? x : JSON.stringify(x)).toString('base64url');

// Re-signs the ID token of a token answer as mode says.
function forge(idToken) {
	const [, payload] = idToken.split('.');
	const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
	let signer = key;
	if (mode === 'wrong-nonce')
		claims.nonce = 'un-autre-nonce';
	else if (mode === 'expired') {
		claims.iat -= 7200;
		claims.exp = claims.iat + 600;
	} else if (mode === 'other-key')
		signer = otherKey;
	const input = `${b64({ alg: 'RS256', kid: 'k1', typ: 'JWT' })}.${b64(claims)}`;
	return `${input}.${sign('sha256', Buffer.from(input), signer).toString('base64url')}`;
}

provider.use(async (ctx, nextMw) => {
	if (ctx.method === 'POST' && ctx.path === '/test/next') {
		next = { sub: ctx.query.sub, acr: ctx.query.acr || undefined, amr: ctx.query.amr ? ctx.query.amr.split(',') : undefined };
		if (ctx.query.email)
			emails.set(ctx.query.sub, ctx.query.email);
		ctx.body = { ok: true };
		return;
	}
	if (ctx.method === 'POST' && ctx.path === '/test/mode') {
		mode = ctx.query.m || '';
		ctx.body = { ok: true };
		return;
	}
	if (ctx.method === 'GET' && ctx.path.startsWith('/interaction/')) {
		const { prompt } = await provider.interactionDetails(ctx.req, ctx.res);
		const result = prompt.name === 'login'
			? { login: { accountId: next.sub, acr: next.acr, amr: next.amr } }
			: { consent: {} };
		await provider.interactionFinished(ctx.req, ctx.res, result, { mergeWithLastSubmission: false });
		ctx.respond = false;
		return;
	}
	await nextMw();
	if (ctx.path === '/token' && mode && ctx.body && ctx.body.id_token) {
		ctx.body = { ...ctx.body, id_token: forge(ctx.body.id_token) };
		mode = '';
	}
});

provider.listen(port, '127.0.0.1', () => console.log('ready'));
