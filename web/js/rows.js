// rows.js - a list of similar lines in a form (places to publish, trainers
// of a school...), each line a group of labelled fields under a legend
// « Ligne n », with buttons to add and remove lines; and the placing of an
// API error that names one member of one line (« slots[3].start_at »).
import { ApiError } from './api.js';
import { field, h, setError } from './dom.js';

// The line and member an API error names as list[i].name, or null.
export function listFault(err, list) {
	if (!(err instanceof ApiError) || !err.field)
		return null;
	const m = /^([a-z_]+)\[(\d+)\]\.([a-z_]+)$/.exec(err.field);
	if (!m || m[1] !== list)
		return null;
	return { index: Number(m[2]), name: m[3] };
}

// columns: [[name, label, attrs]] (attrs as for dom.field); what: the
// word for one line (« Place »); blank(prev) gives the values of a new
// line from the previous one (or null). Returns { wrap, lines(), add(values),
// clear(), showFault(index, name, message) } where lines() gives each
// line's values by name.
export function rowsEditor({ legend, columns, what, blank, addText, min = 1 }) {
	const list = h('ol', { class: 'rows' });
	const lines = [];
	const status = h('p', { class: 'visually-hidden', role: 'status' });

	function renumber() {
		lines.forEach((l, i) => {
			l.legend.textContent = `${what} ${i + 1}`;
			l.remove.setAttribute('aria-label', `Retirer la ligne ${what.toLowerCase()} ${i + 1}`);
			l.remove.disabled = lines.length <= min;
		});
	}

	function add(values = {}) {
		const fields = {};
		for (const [name, label, attrs] of columns) {
			fields[name] = field(label, { name, ...attrs });
			if (values[name] !== undefined && values[name] !== null)
				fields[name].input.value = String(values[name]);
		}
		const legendEl = h('legend');
		const remove = h('button', { type: 'button', class: 'secondary small', text: 'Retirer' });
		const item = h('li', {}, h('fieldset', { class: 'row-item' }, legendEl,
			h('div', { class: 'row-fields' }, Object.values(fields).map((f) => f.wrap)),
			h('div', { class: 'actions' }, remove)));
		const line = { item, fields, legend: legendEl, remove };
		remove.addEventListener('click', () => {
			const i = lines.indexOf(line);
			lines.splice(i, 1);
			item.remove();
			renumber();
			status.textContent = `Ligne ${i + 1} retirée.`;
			const next = lines[Math.min(i, lines.length - 1)];
			if (next)
				Object.values(next.fields)[0].input.focus();
		});
		lines.push(line);
		list.append(item);
		renumber();
		return line;
	}

	const addButton = h('button', { type: 'button', class: 'secondary', text: addText });
	addButton.addEventListener('click', () => {
		const prev = lines.length ? lines[lines.length - 1] : null;
		const values = blank(prev ? Object.fromEntries(Object.entries(prev.fields).map(([k, f]) => [k, f.input.value])) : null);
		const line = add(values);
		Object.values(line.fields)[0].input.focus();
		status.textContent = `Ligne ${lines.length} ajoutée.`;
	});

	return {
		wrap: h('fieldset', { class: 'field rows-field' }, h('legend', { text: legend }), list,
			h('div', { class: 'actions' }, addButton), status),
		lines: () => lines.map((l) => Object.fromEntries(Object.entries(l.fields).map(([k, f]) => [k, f.input.value.trim()]))),
		add,
		clear() {
			for (const l of lines)
				for (const f of Object.values(l.fields))
					setError(f, '');
		},
		// Puts message under member name of line index; false when there is
		// no such field (the caller shows it elsewhere then).
		showFault(index, name, message) {
			const l = lines[index];
			const f = l && l.fields[name];
			if (!f)
				return false;
			setError(f, `${what} ${index + 1} : ${message}`);
			f.input.focus();
			return true;
		},
	};
}
