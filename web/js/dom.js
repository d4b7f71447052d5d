// dom.js - building the page from text only: no HTML strings anywhere.

const SVG_NS = 'http://www.w3.org/2000/svg';

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
	for (const c of children.flat(Infinity)) {
		if (c === null || c === undefined || c === false)
			continue;
		el.append(typeof c === 'string' ? document.createTextNode(c) : c);
	}
	return el;
}

let uid = 0;

// A fresh id for an element of this page ("prefix-N").
export function newId(prefix = 'f') {
	return `${prefix}${++uid}`;
}

// A labelled control with its error line: { wrap, input, error }. attrs
// go to the control; attrs.tag picks it (input by default, textarea,
// select); a select takes its options from attrs.options ([value, text]).
export function field(label, attrs, hint) {
	const id = newId();
	const errId = `${id}-err`;
	const hintId = hint ? `${id}-hint` : null;
	const { tag = 'input', options = [], ...rest } = attrs;
	const input = h(tag, { id, ...rest },
		tag === 'select' ? options.map(([v, t]) => h('option', { value: v, text: t })) : null);
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

// A group of radio buttons under a legend: { wrap, input, error, value() }
// where input is the first radio (for focus) and choices are [value, text].
export function radios(legend, name, choices, checked, hint) {
	const id = newId('r');
	const errId = `${id}-err`;
	const hintId = hint ? `${id}-hint` : null;
	const error = h('p', { id: errId, class: 'error', role: 'alert' });
	const inputs = choices.map(([v, t], i) => {
		const rid = `${id}-${i}`;
		const input = h('input', { type: 'radio', id: rid, name, value: v, checked: v === checked });
		return { input, wrap: h('div', { class: 'check' }, input, h('label', { for: rid, text: t })) };
	});
	const wrap = h('fieldset', { class: 'field', 'aria-describedby': [hintId, errId].filter(Boolean).join(' ') },
		h('legend', { text: legend }),
		hint ? h('p', { id: hintId, class: 'hint', text: hint }) : null,
		inputs.map((x) => x.wrap), error);
	return {
		wrap, error, input: inputs[0].input, inputs: inputs.map((x) => x.input),
		value: () => (inputs.find((x) => x.input.checked) || { input: { value: '' } }).input.value,
	};
}

// A table with a caption, column headers and rows of cells (text or
// nodes), in a region that scrolls sideways on narrow screens and can be
// scrolled with the keyboard.
export function table(caption, headers, rows, cls = '') {
	const capId = newId('t');
	return h('div', { class: 'table-wrap', role: 'region', 'aria-labelledby': capId, tabindex: 0 },
		h('table', { class: cls },
			h('caption', { id: capId, text: caption }),
			h('thead', {}, h('tr', {}, headers.map((t) => h('th', { scope: 'col', text: t })))),
			h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c, i) => (i === 0
				? h('th', { scope: 'row' }, c)
				: h('td', { 'data-label': headers[i] || '' }, c))))))));
}

// A description list from [term, description] pairs (empty ones left out).
export function dl(pairs, cls = 'facts') {
	return h('dl', { class: cls }, pairs.filter(([, d]) => d !== null && d !== undefined && d !== '')
		.flatMap(([t, d]) => [h('dt', { text: t }), h('dd', {}, d)]));
}

// A small drawing that stands beside a word (never instead of it):
// 'alert' (triangle), 'clock', 'check', 'dash'. Hidden from assistive
// technologies, which read the word.
export function icon(kind) {
	const paths = {
		alert: ['M12 2 L23 21 H1 Z', 'M11 9 h2 v6 h-2 Z M11 17 h2 v2 h-2 Z'],
		clock: ['M12 2 a10 10 0 1 0 0.01 0 Z', 'M11 6 h2 v6 l4 3 -1 1.6 -5 -3.6 Z'],
		check: ['M12 2 a10 10 0 1 0 0.01 0 Z', 'M6 12.5 l1.6 -1.6 3 3 6-6 1.6 1.6 -7.6 7.6 Z'],
		dash: ['M12 2 a10 10 0 1 0 0.01 0 Z', 'M6 11 h12 v2 h-12 Z'],
	}[kind] || [];
	const svg = document.createElementNS(SVG_NS, 'svg');
	svg.setAttribute('viewBox', '0 0 24 24');
	svg.setAttribute('class', `icon icon-${kind}`);
	svg.setAttribute('aria-hidden', 'true');
	svg.setAttribute('focusable', 'false');
	paths.forEach((d, i) => {
		const p = document.createElementNS(SVG_NS, 'path');
		p.setAttribute('d', d);
		p.setAttribute('class', i === 0 ? 'icon-shape' : 'icon-mark');
		svg.append(p);
	});
	return svg;
}

const present = (n) => n !== null && n !== undefined && n !== false;

// Replaces el's children by nodes (null, undefined and false left out).
export function fill(el, ...nodes) {
	el.replaceChildren(...nodes.flat(Infinity).filter(present));
}

// Replaces the page's main content by nodes (null, undefined and false
// left out) and moves focus to its h1.
export function show(...nodes) {
	const main = document.getElementById('app');
	fill(main, nodes);
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
