// appt_directory.js - « Trouver un service » (#/rendez-vous): a person
// without a booking link types their postcode or department and gets the
// organisations that book online there (a place at that postcode first),
// each with its places and a large button to its booking address. Before
// any sign-in as well as after.
import { api } from './api.js';
import { field, h } from './dom.js';
import { form } from './forms.js';

// The directory page; open(org) goes to org's booking address. render
// shows a step (focus on its h1); a search shows its results below the
// form, announced.
export function directoryFlow(open, render) {
	const results = h('div', { class: 'directory-results', 'aria-live': 'polite' });
	const fields = {
		area: field('Code postal ou département', {
			name: 'area', autocomplete: 'postal-code', inputmode: 'text', required: true, maxlength: '8',
		}, 'Par exemple 44000, ou 44 pour toute la Loire-Atlantique.'),
	};
	render([h('h1', { text: 'Prendre rendez-vous avec un service' }),
		h('p', { text: 'Services sociaux, PMI, CCAS : trouvez celui qui vous reçoit près de chez vous, puis choisissez le motif, le lieu et l’horaire.' }),
		form(fields, 'Rechercher', async () => {
			const area = fields.area.input.value.trim();
			const data = await api('GET', `/api/v1/public/appointments/organisations?area=${encodeURIComponent(area)}`);
			const orgs = data.organisations || [];
			const where = data.area.postcode ? `au ${data.area.postcode} et dans le département ${data.area.department}` : `dans le département ${data.area.department}`;
			results.replaceChildren(
				h('h2', { text: orgs.length ? `${orgs.length} service${orgs.length > 1 ? 's' : ''} ${where}` : `Aucun service ne prend de rendez-vous en ligne ${where}` }),
				orgs.length ? h('ul', { class: 'big-choices', 'aria-label': 'Services trouvés' }, orgs.map((o) => h('li', {},
					h('button', { type: 'button', class: 'big-choice', onclick: () => open(o.id) },
						h('span', { class: 'big-choice-title', text: o.name }),
						h('span', { class: 'big-choice-detail', text: `${o.at_postcode ? 'Près de chez vous. ' : ''}${o.places.map((p) => `${p.name}, ${p.address}`).join(' ; ')}` }))))) :
					h('p', { text: 'Vérifiez le code postal, ou appelez la mairie ou le conseil départemental : ils vous diront comment prendre rendez-vous.' }));
		}),
		results]);
}
