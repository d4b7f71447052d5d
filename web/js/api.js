// api.js - calls to the Créneau API: same origin, cookies, CSRF header.

// An answer other than 2xx: the problem+json fields the page shows.
export class ApiError extends Error {
	constructor(status, problem) {
		super(problem.detail || 'La demande a échoué.');
		this.status = status;
		this.code = problem.code || '';
		this.field = problem.field || null;
		this.detail = problem.detail || 'La demande a échoué.';
	}
}

// The XSRF-TOKEN cookie the server set at sign-in (readable by design).
function xsrfToken() {
	for (const part of document.cookie.split(';')) {
		const eq = part.indexOf('=');
		if (eq > 0 && part.slice(0, eq).trim() === 'XSRF-TOKEN')
			return decodeURIComponent(part.slice(eq + 1).trim());
	}
	return '';
}

// Sends method path (with body as JSON when given) and returns the parsed
// JSON answer, or throws an ApiError carrying the French detail.
export async function api(method, path, body) {
	const init = {
		method,
		credentials: 'same-origin',
		cache: 'no-store',
		headers: { Accept: 'application/json, application/problem+json' },
	};
	if (method !== 'GET' && method !== 'HEAD') {
		init.headers['X-XSRF-TOKEN'] = xsrfToken();
		init.headers['Content-Type'] = 'application/json';
		if (body !== undefined)
			init.body = JSON.stringify(body);
	}
	let res;
	try {
		res = await fetch(path, init);
	} catch {
		throw new ApiError(0, {
			code: 'network',
			detail: 'Le serveur ne répond pas. Vérifiez votre connexion puis réessayez.',
		});
	}
	let data = null;
	try {
		data = await res.json();
	} catch {
		data = null;
	}
	if (!res.ok)
		throw new ApiError(res.status, data && typeof data === 'object' ? data : {});
	return data || {};
}
