// dom.js - building the page from text only: no HTML strings anywhere.

// Creates element tag with attributes attrs and children (nodes or text).
export function h(tag, attrs = {}, ...children) {
	const el = document.createElement(tag);
	for (const [k, v] of Object.entries(attrs)) {
		if (v === false || v === null || v === undefined)
			continue;
		if (k === 'text')
			el.textContent = v;
		else if (k === 'class')
			el.className = v;
		else if (k.startsWith('on') && typeof v === 'function')
			el.addEventListener(k.slice(2), v);
		else
			el.setAttribute(k, v === true ? '' : String(v));
	}
	for (const c of children.flat()) {
		if (c === null || c === undefined || c === false)
			continue;
		el.append(typeof c === 'string' ? document.createTextNode(c) : c);
	}
	return el;
}

let uid = 0;

// A labelled input with its error line: { wrap, input, error }.
export function field(label, attrs, hint) {
	const id = `f${++uid}`;
	const errId = `${id}-err`;
	const hintId = hint ? `${id}-hint` : null;
	const input = h('input', { id, ...attrs });
	const error = h('p', { id: errId, class: 'error', role: 'alert' });
	input.setAttribute('aria-describedby', [hintId, errId].filter(Boolean).join(' '));
	const wrap = h('div', { class: 'field' },
		h('label', { for: id, text: label }),
		hint ? h('p', { id: hintId, class: 'hint', text: hint }) : null,
		input, error);
	return { wrap, input, error };
}

// Shows msg (text) under the field, or clears it when msg is empty.
export function setError(f, msg) {
	f.error.textContent = msg || '';
	if (msg)
		f.input.setAttribute('aria-invalid', 'true');
	else
		f.input.removeAttribute('aria-invalid');
}

// Replaces the page's main content by nodes and moves focus to its h1.
export function show(...nodes) {
	const main = document.getElementById('app');
	main.replaceChildren(...nodes.flat());
	const h1 = main.querySelector('h1');
	if (h1) {
		h1.setAttribute('tabindex', '-1');
		h1.focus();
		document.title = `${h1.textContent} – Créneau`;
	}
}

// Parses an SVG document from the API and returns a safe copy of its root
// for this page (only drawing elements, no script, link or handler), or
// null when it is not an SVG image.
const SVG_NS = 'http://www.w3.org/2000/svg';
const SVG_ELEMENTS = new Set(['svg', 'g', 'path', 'rect', 'title', 'desc']);
const SVG_ATTRS = new Set(['viewBox', 'width', 'height', 'x', 'y', 'd', 'fill',
	'stroke', 'stroke-width', 'shape-rendering', 'version', 'transform', 'role',
	'aria-label']);

function cleanSvg(src) {
	if (src.namespaceURI !== SVG_NS || !SVG_ELEMENTS.has(src.localName))
		return null;
	const out = document.createElementNS(SVG_NS, src.localName);
	for (const a of src.attributes)
		if (a.namespaceURI === null && SVG_ATTRS.has(a.name))
			out.setAttribute(a.name, a.value);
	for (const c of src.childNodes) {
		if (c.nodeType === Node.TEXT_NODE) {
			out.append(document.createTextNode(c.data));
		} else if (c.nodeType === Node.ELEMENT_NODE) {
			const k = cleanSvg(c);
			if (k)
				out.append(k);
		}
	}
	return out;
}

export function svgFromText(text) {
	const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
	const root = doc.documentElement;
	if (!root || root.localName !== 'svg' || doc.getElementsByTagName('parsererror').length)
		return null;
	return cleanSvg(root);
}
