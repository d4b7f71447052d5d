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

// fetch() that turns "no answer" into an ApiError.
async function send(path, init) {
	try {
		return await fetch(path, init);
	} catch {
		throw new ApiError(0, {
			code: 'network',
			detail: 'Le serveur ne répond pas. Vérifiez votre connexion puis réessayez.',
		});
	}
}

// The problem document of a failed answer (or {} when it has none).
async function problemOf(res) {
	try {
		const data = await res.json();
		return data && typeof data === 'object' ? data : {};
	} catch {
		return {};
	}
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
	const res = await send(path, init);
	if (!res.ok)
		throw new ApiError(res.status, await problemOf(res));
	try {
		return (await res.json()) || {};
	} catch {
		return {};
	}
}

// GETs path and returns its text (the API's text/plain answers), or
// throws an ApiError carrying the French detail.
export async function apiText(path) {
	const res = await send(path, {
		method: 'GET',
		credentials: 'same-origin',
		cache: 'no-store',
		headers: { Accept: 'text/plain, application/problem+json' },
	});
	if (!res.ok)
		throw new ApiError(res.status, await problemOf(res));
	return res.text();
}

// Sends text (a file's content) as contentType, for instance a CSV file
// to import, and returns the parsed JSON answer; a refusal's ApiError
// also carries the problem's list of errors ([{line, field, code,
// detail}], empty when it has none) and errorsTotal (how many in all).
export async function apiSendText(method, path, text, contentType) {
	const res = await send(path, {
		method,
		credentials: 'same-origin',
		cache: 'no-store',
		headers: {
			Accept: 'application/json, application/problem+json',
			'Content-Type': contentType,
			'X-XSRF-TOKEN': xsrfToken(),
		},
		body: text,
	});
	if (!res.ok) {
		const problem = await problemOf(res);
		const err = new ApiError(res.status, problem);
		err.errors = Array.isArray(problem.errors) ? problem.errors : [];
		err.errorsTotal = typeof problem.errors_total === 'number' ? problem.errors_total : err.errors.length;
		throw err;
	}
	try {
		return (await res.json()) || {};
	} catch {
		return {};
	}
}

// POSTs body as JSON to path and returns the answer as a file to save:
// { blob, filename } (the name from Content-Disposition, else fallback),
// or throws an ApiError carrying the French detail.
export async function apiDownload(path, body, fallback) {
	const res = await send(path, {
		method: 'POST',
		credentials: 'same-origin',
		cache: 'no-store',
		headers: {
			Accept: 'application/json, text/html, application/problem+json',
			'Content-Type': 'application/json',
			'X-XSRF-TOKEN': xsrfToken(),
		},
		body: JSON.stringify(body),
	});
	if (!res.ok)
		throw new ApiError(res.status, await problemOf(res));
	const m = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') || '');
	return { blob: await res.blob(), filename: m ? m[1] : fallback };
}
