// nav.js - once signed in: the menu of the sections the account's roles
// allow, and the page of each, one per address (#/registre,
// #/violations/<id>...). The addresses hold no personal data.
import { ApiError } from './api.js';
import { h, show } from './dom.js';

let shell = null; // { me, sections, hooks, seq, flash }

// The role names the account holds (any organisation).
export function rolesOf(me) {
	return new Set((me.roles || []).map((r) => r.role));
}

function allowed(section, roles, me) {
	// remote: a page of remote mode only ([authority] mode = remote).
	if (section.remote && me?.authority_mode !== 'remote')
		return false;
	return !section.roles || section.roles.some((r) => roles.has(r));
}

// The section path and its parameters from the address: #/a/b -> [a, b]
// (a page's filters after « ? » are left to query()).
function parts() {
	const hash = window.location.hash;
	if (!hash.startsWith('#/'))
		return [];
	return hash.slice(2).split('?')[0].split('/').filter(Boolean).map((p) => {
		try {
			return decodeURIComponent(p);
		} catch {
			return p;
		}
	});
}

// A page's filters from the address: #/reserver?semaine=... ; kept there
// so that reloading, going back or sharing the address shows the same.
function query() {
	const hash = window.location.hash;
	const i = hash.indexOf('?');
	return new URLSearchParams(i < 0 ? '' : hash.slice(i + 1));
}

// Writes a page's filters into the address without showing the page
// again (the page has already drawn them).
export function setQuery(params) {
	const [path] = window.location.hash.split('?');
	const q = new URLSearchParams(params).toString();
	window.history.replaceState(null, '', `${path}${q ? `?${q}` : ''}`);
}

const narrow = window.matchMedia('(max-width: 47.99rem)');

function setMenuOpen(open) {
	const toggle = document.querySelector('.nav-toggle');
	if (!toggle)
		return;
	toggle.setAttribute('aria-expanded', String(open));
	document.getElementById('nav').classList.toggle('open', open);
}

function renderNav() {
	const nav = document.getElementById('nav');
	const name = shell.me.display_name || shell.me.email || '';
	const toggle = h('button', {
		type: 'button', class: 'nav-toggle', 'aria-expanded': 'false', 'aria-controls': 'nav-menu', text: 'Menu',
		onclick: () => setMenuOpen(toggle.getAttribute('aria-expanded') !== 'true'),
	});
	const signOut = h('button', { type: 'button', class: 'signout', text: 'Se déconnecter' });
	signOut.addEventListener('click', () => {
		signOut.disabled = true;
		shell.hooks.signOut().catch(shell.hooks.fatal).finally(() => {
			signOut.disabled = false;
		});
	});
	nav.replaceChildren(toggle,
		h('div', { id: 'nav-menu', class: 'nav-menu' },
			h('ul', { class: 'nav-list' }, shell.sections.filter((s) => !s.hidden).map((s) =>
				h('li', {}, h('a', { href: `#/${s.path}`, 'data-section': s.path, text: s.label,
					onclick: () => setMenuOpen(false) })))),
			h('div', { class: 'nav-user' },
				name ? h('p', { class: 'nav-name' }, h('span', { class: 'visually-hidden', text: 'Connecté(e) : ' }), name) : null,
				signOut)));
	nav.hidden = false;
	// Escape closes the menu on a phone and gives focus back to its button.
	nav.onkeydown = (ev) => {
		if (ev.key === 'Escape' && narrow.matches && toggle.getAttribute('aria-expanded') === 'true') {
			setMenuOpen(false);
			toggle.focus();
		}
	};
}

function markCurrent(path) {
	for (const a of document.querySelectorAll('#nav a[data-section]')) {
		if (a.dataset.section === path)
			a.setAttribute('aria-current', 'page');
		else
			a.removeAttribute('aria-current');
	}
}

function notFound() {
	return [h('h1', { text: 'Page introuvable' }),
		h('p', { text: "Cette page n'existe pas, ou votre rôle ne vous y donne pas accès." }),
		h('p', {}, h('a', { href: '#/compte', text: 'Retour à Mon compte' }))];
}

function failed(err) {
	// Remote mode: the school's bookings live at the authority.
	const remote = err instanceof ApiError && ['authority_link_required', 'authority_unreachable'].includes(err.code);
	const title = !remote ? 'Cette page n’a pas pu être affichée'
		: err.code === 'authority_unreachable' ? 'Autorité d’examen indisponible' : 'Compte à relier à l’autorité d’examen';
	return [h('h1', { text: title }),
		h('p', { role: 'alert', text: err instanceof ApiError ? err.detail : 'Une erreur inattendue est survenue.' }),
		h('p', {}, h('button', { type: 'button', text: 'Réessayer', onclick: () => route() }),
			remote ? ' ' : null,
			remote ? h('a', { href: '#/autorite', text: 'Voir la liaison avec l’autorité d’examen' }) : null)];
}

// Badges beside menu entries (the unread notifications): a section's
// badge() runs after each page is shown; a badge is only a hint, so its
// errors are ignored.
function refreshBadges() {
	for (const s of shell ? shell.sections : [])
		if (s.badge)
			Promise.resolve().then(s.badge).catch(() => {});
}

// Shows the page of the current address. A later call wins over an
// earlier one still loading.
export async function route() {
	if (!shell)
		return;
	const seq = ++shell.seq;
	const [path, ...params] = parts();
	if (!path) {
		window.history.replaceState(null, '', `#/${shell.sections[0].path}`);
		return route();
	}
	const section = shell.sections.find((s) => s.path === path);
	markCurrent(section ? section.path : '');
	const { flash, hooks } = shell;
	let nodes;
	if (!section) {
		nodes = notFound();
	} else {
		shell.flash = '';
		const ctx = {
			me: shell.me,
			roles: rolesOf(shell.me),
			params,
			query: query(),
			flash,
			// Goes to another page of the shell (path without "#/"), with
			// an optional notice shown at the top of it.
			go: (p, notice = '') => {
				shell.flash = notice;
				window.location.hash = `#/${p}`;
			},
			// The session ended (sign-out, own session closed, expiry):
			// back to the sign-in page with message.
			signedOut: (message) => hooks.signedOut(message),
			// The session ended and nodes say why (erasure): no menu.
			endWith: (page) => {
				stopShell(true);
				show(page);
			},
		};
		try {
			nodes = await section.view(ctx);
		} catch (err) {
			if (err instanceof ApiError && err.status === 401)
				return hooks.signedOut('Votre session a expiré : reconnectez-vous.');
			nodes = failed(err);
		}
	}
	if (shell && seq === shell.seq && nodes)
		show(nodes);
	refreshBadges();
}

// Starts the signed-in UI for me (GET /api/v1/me) with sections (see
// sections.js) and hooks { signOut, signedOut, fatal }; flash is a notice
// for the first page shown.
export function startShell(me, sections, hooks, flash = '') {
	const roles = rolesOf(me);
	shell = { me, sections: sections.filter((s) => allowed(s, roles, me)), hooks, seq: 0, flash };
	renderNav();
	// The privacy-policy banner while an acknowledgement is pending (policy.js).
	import('./policy.js').then((m) => m.policyBanner(me)).catch(() => {});
	return route();
}

// Ends the signed-in UI (no menu). forget: the session is over, so the
// address goes back to the start page (the next sign-in starts afresh).
export function stopShell(forget = false) {
	shell = null;
	const nav = document.getElementById('nav');
	nav.hidden = true;
	nav.replaceChildren();
	if (forget && window.location.hash)
		window.history.replaceState(null, '', window.location.pathname);
}

window.addEventListener('hashchange', () => {
	if (shell)
		route().catch((err) => shell && shell.hooks.fatal(err));
});
