// authority.js - the exam authority's pages (dispatcher): exam centres,
// publishing a series of places, the places published (withdrawal), the
// candidate registry import (CSV), the coefficients of rule 3, the
// schools' establishments and trainers' ETP, and exam results.
import { api, apiSendText, ApiError } from './api.js';
import { dl, field, fill, h, radios, setError, table } from './dom.js';
import { openDialog } from './dialog.js';
import { count, inputToIso, when, whenShort } from './format.js';
import { form, FormInvalid } from './forms.js';
import { listFault, rowsEditor } from './rows.js';

// Driving-licence categories, the usual ones first.
export const CATEGORIES = ['B', 'A', 'A1', 'A2', 'AM', 'BE', 'B96', 'C', 'C1', 'CE', 'C1E', 'D', 'D1', 'DE', 'D1E'];
const categoryOptions = () => CATEGORIES.map((c) => [c, c]);

const STATES = { free: 'Libre', held: 'Dans un panier', booked: 'Réservée', cancelled: 'Retirée' };

function errText(err, fallback) {
	return err instanceof ApiError ? err.detail : fallback;
}

function statusLine(text = '') {
	return h('p', { class: 'notice', role: 'status', tabindex: -1, text });
}

function say(status, text) {
	status.textContent = text;
	status.focus();
}

async function centres() {
	const { centres: list = [] } = await api('GET', '/api/v1/centres');
	return list;
}

const centreName = (list, id) => (list.find((c) => c.id === id) || {}).name || `Centre n° ${id}`;

// -------------------------------------------------------------- centres

export async function centresView() {
	const status = statusLine();
	const listBox = h('div');
	async function reload() {
		const list = await centres();
		fill(listBox, list.length
			? table(`Centres d'examen (${list.length})`, ['Nom', 'Département', 'Adresse', 'Numéro'],
				list.map((c) => [c.name, c.department, c.address, String(c.id)]))
			: h('p', { text: "Aucun centre d'examen n'est encore déclaré." }));
	}
	await reload();
	const fields = {
		name: field('Nom du centre', { type: 'text', name: 'name', maxlength: 120, required: true }),
		department: field('Département', { type: 'text', name: 'department', maxlength: 3, required: true, autocomplete: 'off' },
			'Son code : 01 à 95, 2A, 2B ou 971 à 976.'),
		address: field('Adresse', { tag: 'textarea', name: 'address', rows: 2, maxlength: 240, required: true }),
	};
	const f = form(fields, 'Créer le centre', async () => {
		const c = await api('POST', '/api/v1/centres', {
			name: fields.name.input.value.trim(),
			department: fields.department.input.value.trim().toUpperCase(),
			address: fields.address.input.value.trim(),
		});
		for (const x of Object.values(fields))
			x.input.value = '';
		await reload();
		say(status, `Centre « ${c.name} » créé.`);
	});
	return [h('h1', { text: "Centres d'examen" }),
		h('p', { text: "Les centres où se passent les épreuves pratiques. Les places d'examen se publient ensuite pour un centre." }),
		status,
		listBox,
		h('h2', { text: 'Déclarer un centre' }),
		f];
}

// ------------------------------------------------------------- publish

function addMinutes(hhmm, minutes) {
	const m = /^(\d{2}):(\d{2})$/.exec(hhmm || '');
	if (!m)
		return '';
	const t = (Number(m[1]) * 60 + Number(m[2]) + minutes) % (24 * 60);
	return `${String(Math.floor(t / 60)).padStart(2, '0')}:${String(t % 60).padStart(2, '0')}`;
}

function tomorrow() {
	const d = new Date(Date.now() + 24 * 3600 * 1000);
	const p = (n) => String(n).padStart(2, '0');
	return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

export async function publishView(ctx) {
	const list = await centres();
	if (!list.length)
		return [h('h1', { text: 'Publier des places' }),
			h('p', {}, "Déclarez d'abord un centre d'examen : ", h('a', { href: '#/centres', text: "Centres d'examen" }), '.')];
	const status = statusLine(ctx.flash);
	const fields = {
		centre_id: field("Centre d'examen", { tag: 'select', name: 'centre_id', options: list.map((c) => [String(c.id), `${c.name} (${c.department})`]) }),
		category: field('Catégorie de permis', { tag: 'select', name: 'category', options: categoryOptions() }),
		date: field("Jour de l'examen", { type: 'date', name: 'date', required: true }),
		published_at: field('Visible par les auto-écoles à partir de (facultatif)', { type: 'datetime-local', name: 'published_at' },
			'Laissez vide pour publier tout de suite. Les auto-écoles ne voient pas la place avant ce moment.'),
	};
	fields.date.input.value = tomorrow();
	const rows = rowsEditor({
		legend: 'Places à publier',
		what: 'Place',
		addText: 'Ajouter une place',
		columns: [
			['start', 'Heure', { type: 'time', required: true }],
			['inspector', "Pseudonyme de l'inspecteur", { type: 'text', maxlength: 32, autocomplete: 'off', spellcheck: 'false' }],
		],
		blank: (prev) => (prev ? { start: addMinutes(prev.start, 30), inspector: prev.inspector } : { start: '08:00', inspector: '' }),
	});
	rows.add({ start: '08:00', inspector: '' });
	const hint = h('p', { class: 'hint', text: "Le pseudonyme désigne l'inspecteur sans le nommer : lettres, chiffres et tirets (par exemple INSP-44-1). Chaque nouvelle place reprend celui de la précédente, 30 minutes plus tard." });
	const f = form(fields, 'Publier les places', async () => {
		rows.clear();
		const date = fields.date.input.value;
		const errors = {};
		if (!date)
			errors.date = "Indiquez le jour de l'examen.";
		const pub = fields.published_at.input.value ? inputToIso(fields.published_at.input.value) : null;
		if (fields.published_at.input.value && !pub)
			errors.published_at = 'Indiquez une date et une heure valides.';
		if (Object.keys(errors).length)
			throw new FormInvalid(errors);
		const lines = rows.lines();
		const slots = lines.map((l) => {
			const s = {
				centre_id: Number(fields.centre_id.input.value),
				category: fields.category.input.value,
				start_at: inputToIso(`${date}T${l.start}`) || '',
				inspector: l.inspector,
			};
			if (pub)
				s.published_at = pub;
			return s;
		});
		const empty = lines.findIndex((l) => !l.start);
		if (empty >= 0 && rows.showFault(empty, 'start', "indiquez l'heure."))
			return;
		try {
			const res = await api('POST', '/api/v1/slots', { slots });
			ctx.go('places', `${res.published} place${res.published > 1 ? 's' : ''} publiée${res.published > 1 ? 's' : ''}. Rien n'a été publié en partie : toutes les lignes ont été acceptées.`);
		} catch (err) {
			const fault = listFault(err, 'slots');
			if (!fault)
				throw err;
			const where = { start_at: 'start', inspector: 'inspector' }[fault.name];
			if (where && rows.showFault(fault.index, where, err.detail))
				return;
			const common = { centre_id: 'centre_id', category: 'category', published_at: 'published_at' }[fault.name] || 'date';
			throw new FormInvalid({ [common]: `Place ${fault.index + 1} : ${err.detail}` });
		}
	}, [rows.wrap, hint]);
	return [h('h1', { text: 'Publier des places' }),
		h('p', { text: "Publiez une série de places d'examen pour un centre, une catégorie et un jour. Tout est publié ou rien : si une ligne est refusée, elle est signalée et aucune place n'est créée." }),
		status,
		f];
}

// --------------------------------------------------------------- slots

const PAGE = 50;

export async function slotsView(ctx) {
	const list = await centres();
	const status = statusLine(ctx.flash);
	const out = h('div');
	const fields = {
		centre_id: field("Centre d'examen", { tag: 'select', name: 'centre_id', options: [['', 'Tous les centres'], ...list.map((c) => [String(c.id), c.name])] }),
		state: field('État', { tag: 'select', name: 'state', options: [['', 'Tous les états'], ...Object.entries(STATES)] }),
		from: field('Du', { type: 'date', name: 'from' }),
		to: field('Au (inclus)', { type: 'date', name: 'to' }),
	};
	let offset = 0;

	function withdraw(slot, opener, rowError) {
		let dlg = null;
		const error = h('p', { class: 'error', role: 'alert' });
		const yes = h('button', { type: 'button', class: 'danger', text: 'Retirer la place' });
		const no = h('button', { type: 'button', class: 'secondary', text: 'Annuler', onclick: () => dlg.close() });
		yes.addEventListener('click', async () => {
			yes.disabled = true;
			try {
				await api('DELETE', `/api/v1/slots/${encodeURIComponent(slot.id)}`);
				dlg.close();
				await load();
				say(status, `La place du ${when(slot.start_at)} est retirée.`);
			} catch (err) {
				yes.disabled = false;
				error.textContent = errText(err, "La place n'a pas pu être retirée.");
				rowError.textContent = error.textContent;
			}
		});
		dlg = openDialog({
			title: 'Retirer cette place ?',
			opener,
			content: [h('p', { text: `Place du ${when(slot.start_at)}, ${centreName(list, slot.centre_id)}, catégorie ${slot.category}. Elle ne sera plus proposée aux auto-écoles.` }),
				error, h('div', { class: 'actions' }, yes, no)],
			initialFocus: no,
		});
	}

	async function load() {
		const q = new URLSearchParams({ limit: String(PAGE), offset: String(offset) });
		if (fields.centre_id.input.value)
			q.set('centre_id', fields.centre_id.input.value);
		if (fields.state.input.value)
			q.set('state', fields.state.input.value);
		const from = inputToIso(fields.from.input.value);
		const to = fields.to.input.value ? inputToIso(fields.to.input.value, true) : null;
		if (from)
			q.set('from', from);
		if (to)
			q.set('to', to);
		const res = await api('GET', `/api/v1/authority/slots?${q}`);
		const slots = res.slots || [];
		const now = Date.now();
		const rows = slots.map((s) => {
			const rowError = h('p', { class: 'error', role: 'alert' });
			let action = '—';
			if (s.state === 'free' && new Date(s.start_at).getTime() > now) {
				const b = h('button', { type: 'button', class: 'secondary small', text: 'Retirer', 'aria-label': `Retirer la place du ${when(s.start_at)}` });
				b.addEventListener('click', () => withdraw(s, b, rowError));
				action = h('div', {}, b, rowError);
			}
			return [whenShort(s.start_at).slice(0, -3), centreName(list, s.centre_id), s.category, s.inspector, whenShort(s.published_at).slice(0, -3), STATES[s.state] || s.state, action];
		});
		const prev = h('button', { type: 'button', class: 'secondary', text: 'Page précédente', disabled: offset === 0 });
		const next = h('button', { type: 'button', class: 'secondary', text: 'Page suivante', disabled: res.next_offset === null || res.next_offset === undefined });
		prev.addEventListener('click', () => { offset = Math.max(0, offset - PAGE); load().then(() => say(status, `Places ${offset + 1} à ${offset + slots.length}.`)).catch(showErr); });
		next.addEventListener('click', () => { offset = res.next_offset; load().then(() => say(status, `Page suivante : places à partir de la ${offset + 1}e.`)).catch(showErr); });
		fill(out, slots.length
			? [h('p', { class: 'summary', text: `Places ${offset + 1} à ${offset + slots.length}${res.next_offset ? ', d’autres suivent' : ''}.` }),
				table('Places publiées', ['Date et heure', 'Centre', 'Catégorie', 'Inspecteur', 'Visible depuis', 'État', 'Action'], rows, 'slots-table'),
				h('nav', { class: 'actions pager', 'aria-label': 'Pages de la liste' }, prev, next)]
			: h('p', { text: 'Aucune place ne correspond à ces critères.' }));
	}
	function showErr(err) {
		fill(out, h('p', { class: 'error', role: 'alert', text: errText(err, 'La liste n’a pas pu être lue.') }));
	}
	await load();
	const f = form(fields, 'Filtrer', async () => {
		offset = 0;
		await load();
		say(status, 'Liste mise à jour.');
	}, [], { cls: 'search-form' });
	return [h('h1', { text: 'Places publiées' }),
		status,
		f,
		h('p', {}, h('a', { href: '#/publier', text: 'Publier des places' })),
		out];
}

// ------------------------------------------------------------ registry

const REGISTRY_FIELDS = {
	neph: 'NEPH', last_name: 'Nom', first_names: 'Prénoms', category: 'Catégorie',
	gearbox: 'Boîte de vitesses', email: 'Adresse e-mail',
};

export function registryView() {
	const status = statusLine();
	const result = h('div', { class: 'import-result' });
	const fields = {
		file: field('Fichier CSV du registre', { type: 'file', name: 'file', accept: '.csv,text/csv', required: true },
			'Première ligne : NEPH;Nom;Prénoms;Catégorie;Boîte de vitesses;Adresse e-mail (ou neph;last_name;first_names;category;gearbox;email), séparateur ; ou , ; l’adresse et la date de naissance sont facultatives ; boîte de vitesses : manuelle ou automatique. 20 000 candidats au plus.'),
	};
	const f = form(fields, 'Importer le fichier', async () => {
		fill(result);
		const file = fields.file.input.files[0];
		if (!file)
			throw new FormInvalid({ file: 'Choisissez le fichier à importer.' });
		const text = await file.text();
		// A large file takes a while: say so while it runs (the page
		// stays usable, other users are not held up meanwhile).
		status.textContent = `Import du fichier « ${file.name} » en cours : les lignes sont vérifiées, puis enregistrées toutes ensemble. Pour 20 000 lignes, comptez jusqu'à une minute.`;
		try {
			const r = await apiSendText('POST', '/api/v1/registry/import', text, 'text/csv');
			fill(result, h('h2', { text: 'Import réussi' }),
				dl([['Lignes lues', count(r.lines)], ['Candidats créés', count(r.created)],
					['Candidats mis à jour', count(r.updated)], ['Candidats inchangés', count(r.unchanged)]]));
			say(status, `Fichier « ${file.name} » importé : ${count(r.created)} créé(s), ${count(r.updated)} mis à jour, ${count(r.unchanged)} inchangé(s).`);
		} catch (err) {
			status.textContent = '';
			if (!(err instanceof ApiError) || !err.errors || !err.errors.length)
				throw err;
			const more = err.errorsTotal > err.errors.length ? ` Seules les ${err.errors.length} premières sur ${count(err.errorsTotal)} sont listées.` : '';
			fill(result, h('h2', { text: 'Lignes en erreur' }),
				table(`Erreurs du fichier « ${file.name} »`, ['Ligne', 'Colonne', 'Erreur', 'Code'],
					err.errors.map((e) => [String(e.line), REGISTRY_FIELDS[e.field] ? `${REGISTRY_FIELDS[e.field]} (${e.field})` : (e.field || '—'), e.detail || '', e.code || '']),
					'errors-table'));
			setError(fields.file, `${err.detail}${more}`);
			fields.file.input.focus();
		}
	});
	return [h('h1', { text: 'Registre des candidats' }),
		h('p', { text: "Importez le registre des candidats inscrits à l'examen. Le fichier est importé en entier ou pas du tout : si une ligne est en erreur, rien n'est enregistré et les lignes à corriger sont listées. Le fichier n'est pas conservé." }),
		status,
		f,
		result];
}

// -------------------------------------------------------- coefficients

function thisMonth() {
	const d = new Date();
	return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

export async function coefficientsView() {
	const status = statusLine();
	const box = h('div');
	async function reload() {
		const r = await api('GET', '/api/v1/coefficients');
		const list = r.coefficients || [];
		fill(box, h('p', { text: `Coefficient par défaut (quand aucun n'est fixé) : ${String(r.default).replace('.', ',')} place(s) par ETP et par mois.` }),
			list.length
				? table('Coefficients fixés', ['Département', 'Catégorie', 'Mois', 'Places par ETP'],
					list.map((c) => [c.department, c.category, c.month, String(c.coefficient).replace('.', ',')]))
				: h('p', { text: 'Aucun coefficient particulier n’est fixé.' }));
	}
	await reload();
	const fields = {
		department: field('Département', { type: 'text', name: 'department', maxlength: 3, required: true, autocomplete: 'off' }, 'Son code : 44, 85, 2A…'),
		category: field('Catégorie de permis', { tag: 'select', name: 'category', options: categoryOptions() }),
		month: field('Mois', { type: 'month', name: 'month', required: true, placeholder: 'AAAA-MM' }, 'Au format AAAA-MM, par exemple 2026-12.'),
		coefficient: field('Places par ETP', { type: 'text', name: 'coefficient', inputmode: 'decimal', autocomplete: 'off', required: true },
			"Nombre de places d'examen par mois pour un enseignant à temps plein (ETP 1)."),
	};
	fields.month.input.value = thisMonth();
	const f = form(fields, 'Enregistrer le coefficient', async () => {
		const raw = fields.coefficient.input.value.trim().replace(',', '.');
		const n = Number(raw);
		if (raw === '' || Number.isNaN(n))
			throw new FormInvalid({ coefficient: 'Indiquez un nombre, par exemple 2,5.' });
		const item = {
			department: fields.department.input.value.trim().toUpperCase(),
			category: fields.category.input.value,
			month: fields.month.input.value.trim(),
			coefficient: n,
		};
		try {
			await api('PUT', '/api/v1/coefficients', { coefficients: [item] });
		} catch (err) {
			const fault = listFault(err, 'coefficients');
			if (fault && fields[fault.name])
				throw new FormInvalid({ [fault.name]: err.detail });
			throw err;
		}
		await reload();
		say(status, `Coefficient enregistré : ${String(n).replace('.', ',')} place(s) par ETP pour le ${item.department}, catégorie ${item.category}, ${item.month}.`);
	});
	return [h('h1', { text: 'Coefficients' }),
		h('p', { text: "Le coefficient fixe combien de places d'examen chaque auto-école peut réserver par mois : places par ETP × ETP de ses enseignants (règle 3)." }),
		status,
		box,
		h('h2', { text: 'Fixer un coefficient' }),
		f];
}

// ------------------------------------------------------------- schools

export async function schoolsView(ctx) {
	const { schools = [] } = await api('GET', '/api/v1/schools');
	const [org] = ctx.params;
	const pick = field('Auto-école', { tag: 'select', name: 'school', options: [['', 'Choisissez une auto-école'], ...schools.map((s) => [s.org_id, s.name])] });
	pick.input.value = org || '';
	const choose = form({ school: pick }, 'Afficher', async () => {
		if (!pick.input.value)
			throw new FormInvalid({ school: 'Choisissez une auto-école.' });
		ctx.go(`auto-ecoles/${encodeURIComponent(pick.input.value)}`);
	}, [], { cls: 'inline-form' });
	const head = [h('h1', { text: 'Auto-écoles' }),
		h('p', { text: "Pour chaque auto-école : les départements où elle exerce et l'ETP (équivalent temps plein) de ses enseignants par département et catégorie, qui fixent ses places d'examen." }),
		choose];
	const school = schools.find((s) => s.org_id === org);
	if (!school)
		return [...head, org ? h('p', { role: 'alert', class: 'error', text: 'Cette auto-école est inconnue.' }) : null];
	const est = await api('GET', `/api/v1/schools/${encodeURIComponent(org)}/establishments`);
	const status = statusLine(ctx.flash);
	const fields = {
		departments: field('Départements', { type: 'text', name: 'departments', autocomplete: 'off' }, 'Leurs codes séparés par des virgules, par exemple 44, 85 (16 au plus).'),
	};
	fields.departments.input.value = (est.departments || []).join(', ');
	const rows = rowsEditor({
		legend: 'Enseignants',
		what: 'Enseignant',
		addText: 'Ajouter un enseignant',
		min: 0,
		columns: [
			['trainer', 'Référence de l’enseignant', { type: 'text', maxlength: 64, autocomplete: 'off', spellcheck: 'false' }],
			['department', 'Département', { type: 'text', maxlength: 3, autocomplete: 'off' }],
			['category', 'Catégorie', { tag: 'select', options: categoryOptions() }],
			['etp', 'ETP (0,01 à 1)', { type: 'text', inputmode: 'decimal', autocomplete: 'off' }],
		],
		blank: (prev) => ({ trainer: '', department: prev ? prev.department : (est.departments || [''])[0] || '', category: 'B', etp: '1' }),
	});
	for (const t of est.trainers || [])
		rows.add({ trainer: t.trainer, department: t.department, category: t.category, etp: String(t.etp).replace('.', ',') });
	const f = form(fields, 'Enregistrer', async () => {
		rows.clear();
		const departments = fields.departments.input.value.split(/[,;\s]+/).map((d) => d.trim().toUpperCase()).filter(Boolean);
		const trainers = rows.lines().map((l) => ({ trainer: l.trainer, department: l.department.toUpperCase(), category: l.category, etp: Number(l.etp.replace(',', '.')) }));
		try {
			await api('PUT', `/api/v1/schools/${encodeURIComponent(org)}/establishments`, { departments, trainers });
		} catch (err) {
			const fault = listFault(err, 'trainers');
			if (fault && rows.showFault(fault.index, fault.name, err.detail))
				return;
			const dep = listFault(err, 'departments') || (err instanceof ApiError && /^departments/.test(err.field || ''));
			if (dep)
				throw new FormInvalid({ departments: err.detail });
			throw err;
		}
		say(status, `Établissements de « ${school.name} » enregistrés.`);
	}, [rows.wrap]);
	return [...head,
		h('h2', { text: school.name }),
		status,
		f];
}

// ------------------------------------------------------------- results

const RESULTS = [['passed', 'Réussi'], ['failed', 'Ajourné (échec)'], ['absent', 'Candidat absent']];

export function resultsView() {
	const status = statusLine();
	const fields = {
		id: field("Numéro de l'examen", { type: 'text', name: 'id', inputmode: 'numeric', autocomplete: 'off', required: true },
			"Le numéro de l'examen tel qu'il figure sur la convocation."),
		result: radios('Résultat', 'result', RESULTS, ''),
	};
	const f = form(fields, 'Enregistrer le résultat', async () => {
		const id = fields.id.input.value.trim();
		const errors = {};
		if (!/^\d+$/.test(id))
			errors.id = "Indiquez le numéro de l'examen (des chiffres).";
		if (!fields.result.value())
			errors.result = 'Choisissez le résultat.';
		if (Object.keys(errors).length)
			throw new FormInvalid(errors);
		try {
			await api('POST', `/api/v1/exams/${encodeURIComponent(id)}/result`, { result: fields.result.value() });
		} catch (err) {
			if (err instanceof ApiError && !err.field && (err.status === 404 || /EXAMEN/.test(err.code)))
				throw new FormInvalid({ id: err.detail });
			throw err;
		}
		say(status, `Résultat de l'examen n° ${id} enregistré : ${RESULTS.find(([v]) => v === fields.result.value())[1]}.`);
		fields.id.input.value = '';
	});
	return [h('h1', { text: 'Résultats' }),
		h('p', { text: "Enregistrez le résultat d'un examen qui a eu lieu. Le candidat et son auto-école le voient aussitôt." }),
		status,
		f];
}
