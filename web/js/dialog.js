// dialog.js - a modal dialog: the rest of the page is inert, Tab and
// Shift+Tab cycle inside it, Escape closes it, and focus goes back to
// the control that opened it.
import { h, newId } from './dom.js';

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

// Opens a dialog titled title holding content (nodes). opener gets focus
// back when it closes; onClose runs then. Returns { dialog, close }.
export function openDialog({ title, content, opener, onClose, initialFocus }) {
	const titleId = newId('dlg');
	const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': titleId },
		h('h2', { id: titleId, tabindex: -1, text: title }),
		...content);
	dialog.addEventListener('keydown', (ev) => {
		if (ev.key !== 'Tab')
			return;
		const items = [...dialog.querySelectorAll(FOCUSABLE)].filter((el) => el.offsetParent !== null);
		if (!items.length)
			return;
		const first = items[0];
		const last = items[items.length - 1];
		if (ev.shiftKey && (document.activeElement === first || !dialog.contains(document.activeElement))) {
			ev.preventDefault();
			last.focus();
		} else if (!ev.shiftKey && (document.activeElement === last || !dialog.contains(document.activeElement))) {
			ev.preventDefault();
			first.focus();
		}
	});
	dialog.addEventListener('close', () => {
		dialog.remove();
		if (opener && opener.isConnected)
			opener.focus();
		if (onClose)
			onClose();
	});
	(document.getElementById('app') || document.body).append(dialog);
	dialog.showModal();
	(initialFocus || dialog.querySelector(`#${titleId}`)).focus();
	return { dialog, close: () => dialog.close() };
}
