// confidentialite.js - the privacy policy page: the sections the server
// generates from its data map, built as DOM nodes from text only.
import { h } from './dom.js';

function entry(e) {
	const dd = h('dd', {}, e.text);
	if (e.href)
		dd.append(' ', h('a', { href: e.href }, e.href));
	return [h('dt', {}, e.label), dd];
}

function section(s) {
	return h('section', { 'aria-labelledby': s.id },
	    h('h2', { id: s.id }, s.title),
	    s.paragraphs.map((p) => h('p', {}, p)),
	    s.entries.length ? h('dl', {}, s.entries.map(entry)) : null);
}

async function load() {
	const main = document.getElementById('policy');
	const status = document.getElementById('policy-status');
	try {
		const r = await fetch('/api/v1/privacy-policy', {
			headers: { Accept: 'application/json' },
			credentials: 'same-origin',
		});
		if (!r.ok)
			throw new Error(String(r.status));
		const p = await r.json();
		status.textContent = `Version ${p.version}`;
		main.append(...p.sections.map(section));
	} catch (err) {
		status.textContent = 'La politique de confidentialité n\'a pas pu être chargée. ';
		status.append(h('a', { href: '/api/v1/privacy-policy?format=html' },
		    'Version HTML'));
	}
}

load();
