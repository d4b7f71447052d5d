// forms.js - forms whose errors land next to their field, nothing typed
// ever lost.
import { ApiError } from './api.js';
import { h, setError } from './dom.js';

// The field an API error is about: the problem document's `field`, or
// else the first « name » its detail quotes that is one of fields (some
// domain checks name the field only in their sentence).
function fieldOf(err, fields) {
	if (!(err instanceof ApiError))
		return null;
	if (err.field && fields[err.field])
		return err.field;
	for (const m of err.detail.matchAll(/« ([a-z_]+) »/g))
		if (fields[m[1]])
			return m[1];
	return null;
}

// The label of field f, without its hint.
function labelOf(f) {
	const label = f.wrap.querySelector('label, legend');
	return label ? label.textContent : '';
}

// Shows err next to the field it names (fields: name -> field), or in
// the form's general alert when it names none of them. A wire name quoted
// in the detail is replaced by the field's French label.
export function showError(err, fields, general) {
	const detail = err instanceof ApiError ? err.detail : 'Une erreur inattendue est survenue.';
	const name = fieldOf(err, fields);
	const f = name ? fields[name] : null;
	if (f) {
		setError(f, detail.replace(`« ${name} »`, `« ${labelOf(f)} »`));
		f.input.focus();
	} else {
		general.textContent = detail;
	}
}

export function clearErrors(fields, general) {
	for (const f of Object.values(fields))
		setError(f, '');
	general.textContent = '';
}

// Raised by a form's action when its own checks fail: errors maps field
// names to messages (shown next to them, focus on the first).
export class FormInvalid extends Error {
	constructor(errors) {
		super('invalid');
		this.errors = errors;
	}
}

// A form whose submit runs action(); errors land next to their field and
// nothing typed is lost. extra nodes go before the submit button; opts:
// { cls, after } (after: nodes after the submit button).
export function form(fields, submitText, action, extra = [], opts = {}) {
	const general = h('p', { class: 'error', role: 'alert' });
	const button = h('button', { type: 'submit', text: submitText });
	const f = h('form', { novalidate: true, class: opts.cls || false },
		general, ...Object.values(fields).map((x) => x.wrap), ...extra,
		h('div', { class: 'actions' }, button, ...(opts.after || [])));
	f.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		clearErrors(fields, general);
		button.disabled = true;
		try {
			await action();
		} catch (err) {
			if (err instanceof FormInvalid) {
				let first = null;
				for (const [name, msg] of Object.entries(err.errors)) {
					if (!fields[name])
						continue;
					setError(fields[name], msg);
					first = first || fields[name];
				}
				if (first)
					first.input.focus();
				else
					general.textContent = Object.values(err.errors).join(' ');
			} else {
				showError(err, fields, general);
			}
		} finally {
			button.disabled = false;
		}
	});
	return f;
}
