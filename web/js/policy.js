// policy.js - the banner every signed-in account sees while the privacy
// policy has changed since it last read it (GET /api/v1/me says
// policy_update_pending): one line with a link to the policy and a button
// to say it was read (POST /api/v1/me/policy-acknowledgement with the
// current version). A new account accepts the policy at its first
// sign-in instead (app.js, policy_first_acceptance), so the banner is
// for changes only.
import { api, ApiError } from './api.js';
import { h } from './dom.js';

const ID = 'policy-banner';

// Removes the banner (signed out, or acknowledged and the page changed).
export function clearPolicyBanner() {
	const old = document.getElementById(ID);
	if (old)
		old.remove();
}

// Acknowledges the current policy for the signed-in account; returns the
// consent state the API answers.
export async function acknowledgePolicy() {
	const policy = await api('GET', '/api/v1/privacy-policy');
	return api('POST', '/api/v1/me/policy-acknowledgement', { version: policy.version });
}

// Shows the banner above the page when me.policy_update_pending is set;
// onDone runs once the acknowledgement is recorded.
export function policyBanner(me, onDone) {
	clearPolicyBanner();
	if (!me || !me.policy_update_pending)
		return;
	// One line: what changed, a link, a button (on a phone too).
	const error = h('p', { class: 'error', role: 'alert' });
	const status = h('p', { class: 'policy-done', role: 'status', tabindex: -1 });
	const ack = h('button', { type: 'button', class: 'secondary small', text: 'J’ai lu', 'aria-label': 'J’ai lu la nouvelle politique de confidentialité' });
	const body = h('div', { class: 'policy-body' },
		h('p', { class: 'policy-line' }, h('strong', { text: 'La politique de confidentialité a changé.' }), ' ',
			h('a', { href: '/confidentialite.html', text: 'Lire la nouvelle version' }), ' ',
			ack),
		error);
	const banner = h('div', { id: ID, class: 'policy-banner', role: 'region', 'aria-label': 'Politique de confidentialité mise à jour' },
		h('div', { class: 'policy-inner' }, body, status));
	ack.addEventListener('click', async () => {
		ack.disabled = true;
		error.textContent = '';
		try {
			await acknowledgePolicy();
			me.policy_update_pending = false;
			body.remove();
			status.textContent = 'Merci : votre lecture de la politique de confidentialité est enregistrée.';
			status.focus();
			window.addEventListener('hashchange', clearPolicyBanner, { once: true });
			if (onDone)
				onDone();
		} catch (err) {
			ack.disabled = false;
			error.textContent = err instanceof ApiError ? err.detail : 'L’enregistrement a échoué : réessayez.';
		}
	});
	document.getElementById('app').before(banner);
	// Gone with the menu when the session ends (nav.js hides it then).
	const nav = document.getElementById('nav');
	const watch = new MutationObserver(() => {
		if (nav.hidden || !banner.isConnected) {
			watch.disconnect();
			banner.remove();
		}
	});
	watch.observe(nav, { attributes: true, attributeFilter: ['hidden'] });
}
