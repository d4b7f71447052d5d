// contacts.js - « Contacts » (seed 003): the organisation's customers and
// suppliers, for its administrator. The list (searched by name), a form
// to add or change a contact (errors next to the field the API names),
// deletion after a second click, a CSV import (all or nothing: the
// faulty lines listed, else the count imported; the file is never kept),
// CSV and JSON exports, and each contact's documents (photos and PDFs,
// checked against the size limit before they are sent), listed,
// downloaded and deleted. Everything is sealed under the organisation's
// own key on the server.
import { api, apiSendText, ApiError } from './api.js';
import { dl, field, fill, h, setError, table } from './dom.js';
import { count, when } from './format.js';
import { form, FormInvalid } from './forms.js';

const KINDS = [['client', 'Client'], ['fournisseur', 'Fournisseur']];
const KIND_NAMES = Object.fromEntries(KINDS);

// The API's field names, in French (the import errors name them too,
// and the CSV's French headers).
const FIELD_NAMES = {
	kind: 'Type', type: 'Type', company: 'Raison sociale', raison_sociale: 'Raison sociale',
	person: 'Nom du contact', nom_contact: 'Nom du contact', email: 'Adresse e-mail',
	phone: 'Téléphone', telephone: 'Téléphone', address: 'Adresse postale', adresse: 'Adresse postale',
	siret: 'SIRET', notes: 'Notes',
};

// Bytes in French: « 1 Mo », « 350 Ko ».
export function sizeText(n) {
	if (n >= 1000 * 1000)
		return `${(n / (1000 * 1000)).toFixed(n % (1000 * 1000) ? 1 : 0).replace('.', ',')} Mo`;
	if (n >= 1000)
		return `${Math.round(n / 1000)} Ko`;
	return `${n} octet${n > 1 ? 's' : ''}`;
}

const DOC_TYPES = { 'application/pdf': 'PDF', 'image/png': 'Photo PNG', 'image/jpeg': 'Photo JPEG' };

function faultText(err, what) {
	return err instanceof ApiError ? err.detail : `${what} : une erreur inattendue est survenue.`;
}

// A button that acts only on a second click: the first turns it into
// « Confirmer … » (and says so); it falls back when focus leaves it.
function twoClick(label, confirmLabel, hidden, say, action) {
	const text = h('span', { text: label });
	const b = h('button', { type: 'button', class: 'danger small' }, text,
		h('span', { class: 'visually-hidden', text: ` ${hidden}` }));
	let armed = false;
	b.addEventListener('blur', () => {
		if (armed) {
			armed = false;
			text.textContent = label;
		}
	});
	b.addEventListener('click', async () => {
		if (!armed) {
			text.textContent = confirmLabel;
			say(`Cliquez de nouveau sur « ${confirmLabel} » pour supprimer ${hidden}.`);
			armed = true;
			return;
		}
		armed = false;
		b.disabled = true;
		try {
			await action();
		} finally {
			b.disabled = false;
			text.textContent = label;
		}
	});
	return b;
}

export async function contactsView(ctx) {
	const org = encodeURIComponent(ctx.me.org_id);
	const base = `/api/v1/orgs/${org}`;
	const status = h('p', { class: 'notice', role: 'status' });
	const say = (m) => { status.textContent = m; };
	const listBox = h('div', { class: 'contacts-list' });
	const docsBox = h('div', { class: 'contact-docs' });
	let limits = { document_bytes: 1000 * 1000, import_bytes: 1000 * 1000, import_lines: 5000 };
	let query = '';
	let editing = null; // the contact being changed, or null: a new one

	async function fetchList() {
		const r = await api('GET', `${base}/contacts${query ? `?q=${encodeURIComponent(query)}` : ''}`);
		if (r.limits)
			limits = r.limits;
		return r.contacts || [];
	}

	// ------------------------------------------------ add or change
	const fields = {
		kind: field('Type', { tag: 'select', name: 'kind', options: KINDS }),
		company: field('Raison sociale', { type: 'text', name: 'company', maxlength: 200, required: true, autocomplete: 'organization' }),
		person: field('Nom du contact (facultatif)', { type: 'text', name: 'person', maxlength: 200, autocomplete: 'off' }),
		email: field('Adresse e-mail (facultative)', { type: 'email', name: 'email', maxlength: 254, autocomplete: 'off' }),
		phone: field('Téléphone (facultatif)', { type: 'tel', name: 'phone', maxlength: 30, autocomplete: 'off' }),
		address: field('Adresse postale (facultative)', { tag: 'textarea', name: 'address', maxlength: 500, rows: 2 }),
		siret: field('SIRET (facultatif)', { type: 'text', name: 'siret', maxlength: 20, inputmode: 'numeric', autocomplete: 'off' },
			'14 chiffres, espaces permis.'),
		notes: field('Notes (facultatives)', { tag: 'textarea', name: 'notes', maxlength: 2000, rows: 3 }),
	};
	const formTitle = h('h2', { id: 'contact-form-title', tabindex: -1, text: 'Ajouter un contact' });
	const cancel = h('button', { type: 'button', class: 'secondary', text: 'Annuler la modification', hidden: true });

	function startEdit(c) {
		editing = c;
		for (const [k, f] of Object.entries(fields)) {
			f.input.value = c ? c[k] || '' : '';
			setError(f, '');
		}
		if (!c)
			fields.kind.input.value = 'client';
		formTitle.textContent = c ? `Modifier « ${c.company} »` : 'Ajouter un contact';
		submit.textContent = c ? 'Enregistrer les modifications' : 'Ajouter le contact';
		cancel.hidden = !c;
	}

	const contactForm = form(fields, 'Ajouter le contact', async () => {
		const body = {};
		for (const [k, f] of Object.entries(fields)) {
			const v = f.input.value.trim();
			if (v)
				body[k] = v;
		}
		if (!body.company)
			throw new FormInvalid({ company: 'Indiquez la raison sociale.' });
		const c = editing
			? await api('PUT', `${base}/contacts/${encodeURIComponent(editing.id)}`, body)
			: await api('POST', `${base}/contacts`, body);
		const was = editing;
		startEdit(null);
		await render();
		say(was ? `Contact « ${c.company} » modifié.` : `Contact « ${c.company} » ajouté.`);
	}, [], { cls: 'contact-form', after: [cancel] });
	const submit = contactForm.querySelector('button[type="submit"]');
	cancel.addEventListener('click', () => {
		startEdit(null);
		formTitle.focus();
	});

	// ------------------------------------------------ documents
	async function showDocs(c) {
		let full;
		try {
			full = await api('GET', `${base}/contacts/${encodeURIComponent(c.id)}`);
		} catch (err) {
			fill(docsBox, h('p', { class: 'error', role: 'alert', text: faultText(err, 'Les documents') }));
			return;
		}
		const path = `${base}/contacts/${encodeURIComponent(c.id)}/documents`;
		const title = h('h2', { id: 'contact-docs-title', tabindex: -1, text: `Documents de « ${full.company} »` });
		const docs = full.documents || [];
		const list = docs.length
			? table(`Documents de « ${full.company} »`, ['Fichier', 'Type', 'Taille', 'Ajouté le', 'Actions'],
				docs.map((d) => {
					const name = d.name || `document.${{ 'application/pdf': 'pdf', 'image/png': 'png' }[d.type] || 'jpg'}`;
					return [name, DOC_TYPES[d.type] || d.type, sizeText(d.size), when(d.uploaded_at),
						h('div', { class: 'actions row-actions' },
							h('a', { href: `${path}/${encodeURIComponent(d.id)}`, download: name, class: 'button secondary small' },
								'Télécharger', h('span', { class: 'visually-hidden', text: ` ${name}` })),
							twoClick('Supprimer', 'Confirmer la suppression', name, say, async () => {
								try {
									await api('DELETE', `${path}/${encodeURIComponent(d.id)}`);
									const t = await showDocs(full);
									if (t)
										t.focus(); // the button pressed is gone
									say(`Document « ${name} » supprimé.`);
								} catch (err) {
									say(faultText(err, 'La suppression'));
								}
							}))];
				}), 'docs-table')
			: h('p', { text: 'Aucun document pour ce contact.' });
		const file = field('Photo ou PDF', { type: 'file', name: 'file', accept: '.pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png', required: true },
			`Une photo (JPEG, PNG) ou un PDF de ${sizeText(limits.document_bytes)} au plus. Son type est lu dans son contenu, pas dans son nom. Il est chiffré avec la clé de votre organisme.`);
		const up = form({ file }, 'Joindre le document', async () => {
			const f = file.input.files[0];
			if (!f)
				throw new FormInvalid({ file: 'Choisissez le fichier à joindre.' });
			if (f.size > limits.document_bytes)
				throw new FormInvalid({ file: `Le fichier « ${f.name} » (${sizeText(f.size)}) dépasse la limite de ${sizeText(limits.document_bytes)} par document : réduisez-le (photo moins grande, PDF compressé) puis réessayez.` });
			if (f.size === 0)
				throw new FormInvalid({ file: `Le fichier « ${f.name} » est vide.` });
			await apiSendText('POST', `${path}?name=${encodeURIComponent(f.name.slice(0, 200))}`, f, f.type || 'application/octet-stream');
			const t = await showDocs(full);
			if (t)
				t.focus(); // the form sent is replaced
			say(`Document « ${f.name} » joint à « ${full.company} ».`);
		}, [], { cls: 'doc-form' });
		fill(docsBox, h('section', { 'aria-labelledby': 'contact-docs-title' }, title, list, up));
		return title;
	}

	// ------------------------------------------------ the list
	async function render() {
		let contacts;
		try {
			contacts = await fetchList();
		} catch (err) {
			if (err instanceof ApiError && err.status === 401)
				return ctx.signedOut('Votre session a expiré : reconnectez-vous.');
			fill(listBox, h('p', { class: 'error', role: 'alert', text: faultText(err, 'La liste') }));
			return;
		}
		if (!contacts.length) {
			fill(listBox, h('p', { text: query ? `Aucun contact ne correspond à « ${query} ».` : 'Aucun contact pour le moment : ajoutez-en un ou importez un fichier CSV.' }));
			return;
		}
		const rows = contacts.map((c) => {
			const edit = h('button', { type: 'button', class: 'secondary small' },
				'Modifier', h('span', { class: 'visually-hidden', text: ` ${c.company}` }));
			edit.addEventListener('click', () => {
				startEdit(c);
				formTitle.focus();
			});
			const docs = h('button', { type: 'button', class: 'secondary small' },
				'Documents', h('span', { class: 'visually-hidden', text: ` de ${c.company}` }));
			docs.addEventListener('click', async () => {
				const t = await showDocs(c);
				if (t)
					t.focus();
			});
			const del = twoClick('Supprimer', 'Confirmer la suppression', c.company, say, async () => {
				try {
					await api('DELETE', `${base}/contacts/${encodeURIComponent(c.id)}`);
					if (editing && editing.id === c.id)
						startEdit(null);
					fill(docsBox);
					await render();
					// The button pressed is gone: focus goes to the list.
					const next = listBox.querySelector('.table-wrap') || document.querySelector('main h1');
					if (next)
						next.focus();
					say(`Contact « ${c.company} » supprimé, avec ses documents.`);
				} catch (err) {
					say(faultText(err, 'La suppression'));
				}
			});
			return [c.company, KIND_NAMES[c.kind] || c.kind, c.person || '—', c.email || '—', c.phone || '—', c.siret || '—',
				h('div', { class: 'actions row-actions' }, edit, docs, del)];
		});
		fill(listBox, table(`Contacts de l’organisme (${count(contacts.length)})`,
			['Raison sociale', 'Type', 'Contact', 'E-mail', 'Téléphone', 'SIRET', 'Actions'], rows, 'contacts-table'));
	}

	const search = {
		q: field('Rechercher (raison sociale ou nom du contact)', { type: 'search', name: 'q', maxlength: 200, autocomplete: 'off' }),
	};
	const searchForm = form(search, 'Rechercher', async () => {
		query = search.q.input.value.trim();
		await render();
		say(query ? `Recherche « ${query} ».` : 'Tous les contacts.');
	}, [], { cls: 'search-form' });

	// ------------------------------------------------ import, export
	const importResult = h('div', { class: 'import-result' });
	const csv = {
		file: field('Fichier CSV de contacts', { type: 'file', name: 'file', accept: '.csv,text/csv', required: true }, ''),
	};
	const importForm = form(csv, 'Importer le fichier', async () => {
		fill(importResult);
		const f = csv.file.input.files[0];
		if (!f)
			throw new FormInvalid({ file: 'Choisissez le fichier à importer.' });
		if (f.size > limits.import_bytes)
			throw new FormInvalid({ file: `Le fichier « ${f.name} » (${sizeText(f.size)}) dépasse la limite de ${sizeText(limits.import_bytes)} par import : découpez-le en plusieurs fichiers.` });
		const text = await f.text();
		try {
			const r = await apiSendText('POST', `${base}/contact-import`, text, 'text/csv; charset=utf-8');
			fill(importResult, h('h3', { text: 'Import réussi' }),
				dl([['Lignes lues', count(r.lines)], ['Contacts importés', count(r.imported)]]));
			csv.file.input.value = '';
			await render();
			say(`Fichier « ${f.name} » importé : ${count(r.imported)} contact(s) ajouté(s).`);
		} catch (err) {
			if (!(err instanceof ApiError) || !err.errors || !err.errors.length)
				throw err;
			const more = err.errorsTotal > err.errors.length ? ` Seules les ${err.errors.length} premières sur ${count(err.errorsTotal)} sont listées.` : '';
			fill(importResult, h('h3', { text: 'Lignes en erreur : rien n’a été importé' }),
				table(`Erreurs du fichier « ${f.name} »`, ['Ligne', 'Colonne', 'Erreur'],
					err.errors.map((e) => [String(e.line), FIELD_NAMES[e.field] || e.field || '—', e.detail || '']),
					'errors-table'));
			setError(csv.file, `${err.detail}${more}`);
			csv.file.input.focus();
		}
	}, [], { cls: 'import-form' });

	await render();
	const importHint = h('p', { class: 'hint', id: 'import-columns' },
		`Première ligne : type;raison_sociale;nom_contact;email;telephone;adresse;siret;notes (dans n’importe quel ordre, séparateur ; ou ,), puis un contact par ligne ; type : client ou fournisseur. ${count(limits.import_lines)} lignes et ${sizeText(limits.import_bytes)} au plus. Le fichier est importé en entier ou pas du tout, et n’est pas conservé.`);
	csv.file.input.setAttribute('aria-describedby', `import-columns ${csv.file.input.getAttribute('aria-describedby')}`);
	startEdit(null);
	return [h('h1', { text: 'Contacts' }),
		status,
		h('p', { text: 'Les clients et fournisseurs de votre organisme, et leurs documents (photos, PDF). Leurs coordonnées et leurs documents sont chiffrés avec la clé de votre organisme, supprimée avec lui.' }),
		searchForm,
		listBox,
		docsBox,
		h('section', { 'aria-labelledby': 'contact-form-title' }, formTitle, contactForm),
		h('section', { 'aria-labelledby': 'contacts-import-title' },
			h('h2', { id: 'contacts-import-title', text: 'Importer des contacts (CSV)' }),
			importHint, importForm, importResult),
		h('section', { 'aria-labelledby': 'contacts-export-title' },
			h('h2', { id: 'contacts-export-title', text: 'Exporter les contacts' }),
			h('p', { text: 'Le CSV s’ouvre dans un tableur (séparateur ;). Supprimez le fichier une fois votre traitement terminé.' }),
			h('div', { class: 'actions' },
				h('a', { href: `${base}/contact-export?format=csv`, download: 'contacts.csv', class: 'button secondary', text: 'Exporter en CSV' }),
				h('a', { href: `${base}/contact-export?format=json`, download: 'contacts.json', class: 'button secondary', text: 'Exporter en JSON' })))];
}
