// candidates.js - « Candidats » (school manager, trainer): the candidates
// under an active mandate of the school (a trainer sees only those
// assigned to them), one candidate's page with the assignment to a
// trainer, and for the manager the mandates and « Nouveau mandat ».
import { api, ApiError } from './api.js';
import { dl, field, h, setError, table } from './dom.js';
import { when } from './format.js';
import { form, FormInvalid } from './forms.js';
import { copyBanner, personName, plural, section } from './school.js';

const GEARBOX = { manual: 'Manuelle', automatic: 'Automatique' };
const STATES = { pending: 'En attente', active: 'Actif', revoked: 'Révoqué', expired: 'Expiré' };
const CATEGORIES = ['AM', 'A1', 'A2', 'A', 'B1', 'B', 'BE', 'C1', 'C1E', 'C', 'CE', 'D1', 'D1E', 'D', 'DE'];

function trainerText(c, me) {
	if (!c.trainer)
		return 'Aucun(e)';
	return c.trainer === me.id ? 'Vous' : 'Désigné(e)';
}

function link(c) {
	return h('a', { href: `#/candidats/${encodeURIComponent(c.id)}`, text: personName(c) });
}

// The trainers the caller may choose from: the school's trainers, for
// whoever may assign candidates (GET /api/v1/trainers); null otherwise.
async function trainersOf(me, roles) {
	if (!roles.has('school_manager'))
		return null;
	try {
		const res = await api('GET', '/api/v1/trainers');
		return (res.trainers || []).map((t) => ({ id: t.id, name: t.display_name || t.id }));
	} catch {
		return null;
	}
}

function assignForm(ctx, c, trainers, done) {
	const known = trainers && trainers.length;
	const fields = {
		trainer: known
			? field('Enseignant(e) de la conduite', { tag: 'select', name: 'trainer',
				options: [['', 'Choisir'], ...trainers.map((t) => [t.id, t.name])] })
			: field('Identifiant du compte de l’enseignant(e)', { type: 'text', name: 'trainer', autocomplete: 'off', spellcheck: 'false', maxlength: 64 },
				'Votre rôle ne permet pas d’afficher la liste des comptes de l’auto-école : l’enseignant(e) ou la direction peut vous donner cet identifiant de 32 caractères.'),
	};
	if (c.trainer)
		fields.trainer.input.value = c.trainer;
	return form(fields, c.trainer ? 'Changer d’enseignant(e)' : 'Désigner l’enseignant(e)', async () => {
		const v = fields.trainer.input.value.trim();
		if (!v)
			throw new FormInvalid({ trainer: 'Indiquez l’enseignant(e) à qui confier ce candidat.' });
		await api('PUT', `/api/v1/candidates/${encodeURIComponent(c.id)}/trainer`, { trainer: v });
		done(v);
	}, [], { cls: 'assign-form' });
}

async function detailView(ctx, id) {
	let c;
	try {
		c = await api('GET', `/api/v1/candidates/${encodeURIComponent(id)}`);
	} catch (err) {
		if (err instanceof ApiError && (err.status === 404 || err.status === 422))
			return [h('h1', { text: 'Candidat introuvable' }),
				h('p', { text: err.detail }),
				h('p', { text: 'Un candidat n’est visible que sous mandat actif de votre auto-école ; un(e) enseignant(e) ne voit que les candidats qui lui sont confiés.' }),
				h('p', {}, h('a', { href: '#/candidats', text: 'Retour aux candidats' }))];
		throw err;
	}
	const manager = ctx.roles.has('school_manager');
	const status = h('p', { class: 'notice', role: 'status', tabindex: -1, text: ctx.flash || '' });
	const facts = h('div');
	const render = () => facts.replaceChildren(dl([
		['NEPH', c.neph],
		['Nom', c.last_name],
		['Prénoms', c.first_names],
		['Catégorie de permis', c.category],
		['Boîte de vitesses', GEARBOX[c.gearbox] || c.gearbox],
		['Adresse e-mail', c.email],
		['Mandat', `n° ${c.mandate}, valable jusqu’au ${when(c.mandate_expires_at)}`],
		['Enseignant(e) désigné(e)', trainerText(c, ctx.me)],
	]));
	render();
	let assign = null;
	if (manager) {
		const trainers = await trainersOf(ctx.me, ctx.roles);
		assign = section('Enseignant(e) de la conduite',
			h('p', { text: 'L’enseignant(e) désigné(e) voit ce candidat dans sa liste ; les autres enseignant(e)s ne le voient pas.' }),
			assignForm(ctx, c, trainers, (v) => {
				c.trainer = v;
				render();
				status.textContent = 'Enseignant(e) désigné(e) : ce candidat apparaît maintenant dans sa liste.';
				status.focus();
			}));
	}
	return [h('h1', { text: personName(c) }),
		status,
		facts,
		assign,
		h('p', {}, h('a', { href: '#/candidats', text: 'Retour aux candidats' }))];
}

function mandateForm(ctx) {
	const fields = {
		neph: field('Numéro NEPH', { type: 'text', name: 'neph', inputmode: 'numeric', autocomplete: 'off', maxlength: 12, required: true },
			'Les 12 chiffres du numéro d’enregistrement préfectoral harmonisé du candidat.'),
		last_name: field('Nom', { type: 'text', name: 'last_name', autocomplete: 'off', required: true }),
		first_names: field('Prénoms', { type: 'text', name: 'first_names', autocomplete: 'off', required: true },
			'Tels qu’ils figurent au registre des candidats.'),
		category: field('Catégorie de permis', { tag: 'select', name: 'category', options: CATEGORIES.map((c) => [c, c]) }),
	};
	fields.category.input.value = 'B';
	return form(fields, 'Enregistrer le mandat', async () => {
		const body = {};
		const errors = {};
		for (const name of ['neph', 'last_name', 'first_names']) {
			body[name] = fields[name].input.value.trim();
			if (!body[name])
				errors[name] = 'Ce champ est obligatoire.';
		}
		if (body.neph && !/^\d{12}$/.test(body.neph))
			errors.neph = 'Le numéro NEPH compte 12 chiffres.';
		body.category = fields.category.input.value;
		if (Object.keys(errors).length)
			throw new FormInvalid(errors);
		const m = await api('POST', '/api/v1/mandates', body);
		ctx.go(`candidats/${encodeURIComponent(m.candidate)}`, `Mandat enregistré pour ${body.first_names} ${body.last_name} (catégorie ${body.category}).`);
	}, [], { cls: 'mandate-form' });
}

function mandatesBlock() {
	const filter = field('Afficher les mandats', { tag: 'select', name: 'state',
		options: [['', 'Tous'], ['active', 'Actifs'], ['revoked', 'Révoqués'], ['expired', 'Expirés'], ['pending', 'En attente']] });
	const box = h('div');
	const error = h('p', { class: 'error', role: 'alert' });
	async function load() {
		error.textContent = '';
		setError(filter, '');
		try {
			const q = filter.input.value ? `?state=${encodeURIComponent(filter.input.value)}` : '';
			const { mandates = [] } = await api('GET', `/api/v1/mandates${q}`);
			box.replaceChildren(mandates.length
				? table(`${plural(mandates.length, 'mandat')}`, ['Candidat(e)', 'Catégorie', 'État', 'Depuis le', 'Fin'],
					mandates.map((m) => [m.last_name ? `${m.first_names} ${m.last_name} (${m.neph})` : `Candidat(e) n° ${m.candidate} (données retirées)`,
						m.category, STATES[m.state] || m.state, when(m.activated_at) || '—', when(m.ended_at || m.expires_at) || '—']))
				: h('p', { text: 'Aucun mandat dans cet état.' }));
		} catch (err) {
			setError(filter, err instanceof ApiError ? err.detail : 'La liste n’a pas pu être chargée.');
		}
	}
	filter.input.addEventListener('change', load);
	load();
	return [h('p', { class: 'hint', text: 'Après révocation ou expiration, le nom et le NEPH du candidat ne sont plus affichés.' }), filter.wrap, error, box];
}

async function listView(ctx) {
	const manager = ctx.roles.has('school_manager');
	const res = await api('GET', '/api/v1/candidates');
	const { candidates = [] } = res;
	const sorted = candidates.slice().sort((a, b) => personName(a).localeCompare(personName(b), 'fr'));
	return [h('h1', { text: 'Candidats' }),
		copyBanner(res),
		ctx.flash ? h('p', { class: 'notice', role: 'status', text: ctx.flash }) : null,
		h('p', { text: manager
			? 'Les candidats sous mandat actif de votre auto-école. Ouvrez une fiche pour désigner son enseignant(e).'
			: 'Les candidats que votre auto-école vous a confiés.' }),
		section(manager ? 'Candidats sous mandat' : 'Mes candidats',
			sorted.length
				? table(`${plural(sorted.length, 'candidat')}`, ['Candidat(e)', 'NEPH', 'Catégorie', 'Enseignant(e)', 'Mandat jusqu’au'],
					sorted.map((c) => [link(c), c.neph, c.category, trainerText(c, ctx.me), when(c.mandate_expires_at)]))
				: h('p', { class: 'empty', text: manager
					? 'Aucun candidat sous mandat pour le moment.'
					: 'Aucun candidat ne vous est confié pour le moment : la gestion de votre auto-école vous les attribue.' })),
		manager ? section('Nouveau mandat',
			h('p', { text: 'Le candidat doit figurer au registre avec ce NEPH, ce nom et cette catégorie. Le mandat est actif aussitôt.' }),
			mandateForm(ctx)) : null,
		manager ? section('Mandats', mandatesBlock()) : null];
}

export function candidatesView(ctx) {
	const [id] = ctx.params;
	return id ? detailView(ctx, id) : listView(ctx);
}
