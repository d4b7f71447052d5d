// sections.js - the pages of the signed-in UI, in menu order.
//
// path: the address (#/path, then #/path/param...); label: the menu entry;
// roles: the roles that see it (absent: every account), the same as the
// API's permissions in docs/permissions.md (the server checks them
// anyway); view(ctx): returns the page's nodes, h1 first (ctx: me, roles,
// params, query (the filters after « ? »,
// URLSearchParams), flash, go(path, notice), signedOut(message), endWith(nodes)).
//
// To add a page: write its view in a module of its own and add a line.
import { accountView } from './account.js';
// « Accueil »: the landing page of the roles without a page of their own.
import { homeView } from './home.js';
import { auditView, journalView } from './audit.js';
import { breachesView } from './breaches.js';
import { myDataView } from './mydata.js';
import { orgRegisterView, processorRegisterView, registerView } from './register.js';
// Exam authority, candidate's space, DPO's rights requests.
import { centresView, coefficientsView, publishView, registryView, resultsView, schoolsView, slotsView } from './authority.js';
import { consentsView, mandatesView, myExamsView, myRequestsView, rectifyView } from './candidate.js';
import { rightsView } from './rights.js';
import { registryLinkView } from './signup.js';
import { bookingView } from './booking.js';
import { candidatesView } from './candidates.js';
import { dayView } from './day.js';
import { examsView } from './exams.js';
import { notificationsView, refreshBadge } from './notifications.js';
// Regional supervision and the school administrator's approvals.
import { approvalsView, changeRequestsView, planningView } from './supervision.js';
// School administration's staff, DPO's purge reports.
import { purgeView } from './purge.js';
import { staffView } from './staff.js';
// Appointments: the agents' agenda, users and configuration; the
// people's own appointments and the booking address.
import { apptConfigView } from './appt_admin.js';
import { agendaView } from './appt_agenda.js';
import { bookView, myApptsView, myRelativesView } from './appt_public.js';
import { usersView } from './appt_users.js';
// Encrypted dossiers of an association (seed 002).
import { dossiersView, myDossierView } from './dossiers.js';
import { allPausesView, pausesView } from './pauses.js';
// Client organisations: their state (platform) and settings (seed 003).
import { tenantSettingsView, tenantsView } from './tenancy.js';
// The organisation's customers and suppliers and their documents (seed 003).
import { contactsView } from './contacts.js';
// Partner software: the consent page and the authorised applications.
import { clientsView, consentView, grantsView } from './partner.js';
// Remote mode: the employee's link to the remote exam authority.
import { authorityLinkView } from './authority_link.js';

export const SECTIONS = [
	// The first section an account may see is where it lands after sign-in.
	{ path: 'accueil', label: 'Accueil', roles: ['dispatcher', 'dpo', 'school_admin', 'trainer', 'candidate'], view: homeView },
	{ path: 'agenda', label: 'Agenda', roles: ['agent', 'agent_admin'], view: agendaView },
	{ path: 'usagers', label: 'Usagers', roles: ['agent', 'agent_admin'], view: usersView },
	{ path: 'rdv-configuration', label: 'Configuration des rendez-vous', roles: ['agent', 'agent_admin'], view: apptConfigView },
	{ path: 'ma-journee', label: 'Ma journée', roles: ['school_manager'], view: dayView },
	{ path: 'reserver', label: 'Réserver des places', roles: ['school_manager'], view: bookingView },
	{ path: 'examens', label: 'Examens', roles: ['school_manager'], view: examsView },
	{ path: 'candidats', label: 'Candidats', roles: ['school_manager', 'trainer'], view: candidatesView },
	// remote: shown only when the schools here book through a remote authority.
	{ path: 'autorite', label: 'Autorité d’examen', roles: ['school_manager'], remote: true, view: authorityLinkView },
	{ path: 'compte', label: 'Mon compte', view: accountView },
	{ path: 'mes-donnees', label: 'Mes données', view: myDataView },
	{ path: 'registre', label: 'Registre des traitements', roles: ['dpo'], view: registerView },
	{ path: 'violations', label: 'Violations de données', roles: ['dpo'], view: breachesView },
	{ path: 'audit', label: "Piste d'audit", roles: ['dpo'], view: auditView },
	{ path: 'journal', label: 'Journal des connexions', roles: ['dpo', 'school_admin'], view: journalView },
	{ path: 'demandes-droits', label: "Demandes d'exercice des droits", roles: ['dpo'], view: rightsView },
	{ path: 'rapports-conservation', label: 'Rapports de conservation', roles: ['dpo'], view: purgeView },
	{ path: 'personnel', label: 'Personnel', roles: ['school_admin', 'platform_admin'], view: staffView },
	{ path: 'organismes', label: 'Organismes clients', roles: ['platform_admin'], view: tenantsView },
	{ path: 'reglages-organisme', label: 'Réglages de l’organisme', roles: ['school_admin', 'agent_admin'], view: tenantSettingsView },
	{ path: 'contacts', label: 'Contacts', roles: ['school_admin', 'agent_admin'], view: contactsView },
	{ path: 'registre-organisme', label: 'Registre de l’organisme', roles: ['school_admin', 'agent_admin'], view: orgRegisterView },
	{ path: 'registre-sous-traitant', label: 'Registre de sous-traitant', roles: ['platform_admin'], view: processorRegisterView },
	{ path: 'centres', label: "Centres d'examen", roles: ['dispatcher'], view: centresView },
	{ path: 'publier', label: 'Publier des places', roles: ['dispatcher'], view: publishView },
	{ path: 'places', label: 'Places publiées', roles: ['dispatcher'], view: slotsView },
	{ path: 'registre-candidats', label: 'Registre des candidats', roles: ['dispatcher'], view: registryView },
	{ path: 'coefficients', label: 'Coefficients', roles: ['dispatcher'], view: coefficientsView },
	{ path: 'auto-ecoles', label: 'Auto-écoles', roles: ['dispatcher'], view: schoolsView },
	{ path: 'resultats', label: 'Résultats', roles: ['dispatcher'], view: resultsView },
	{ path: 'mes-mandats', label: 'Mes mandats', roles: ['candidate'], view: mandatesView },
	{ path: 'mes-examens', label: 'Mes examens', roles: ['candidate'], view: myExamsView },
	{ path: 'relier-mon-dossier', label: 'Relier mon dossier', roles: ['candidate'], view: registryLinkView },
	{ path: 'mes-rendez-vous', label: 'Mes rendez-vous', roles: ['candidate'], view: myApptsView },
	{ path: 'mes-consentements', label: 'Mes consentements', roles: ['candidate'], view: consentsView },
	{ path: 'mes-demandes', label: 'Mes demandes', roles: ['candidate'], view: myRequestsView },
	{ path: 'rectifier', label: 'Rectifier mon nom', roles: ['candidate'], view: rectifyView },
	{ path: 'planning-regional', label: 'Planning régional', roles: ['regional_supervisor'], view: planningView },
	{ path: 'demandes-changement', label: 'Demandes de changement', roles: ['regional_supervisor'], view: changeRequestsView },
	{ path: 'demandes-a-approuver', label: 'Demandes à approuver', roles: ['school_admin'], view: approvalsView },
	{ path: 'mon-dossier', label: 'Mon dossier', roles: ['candidate'], view: myDossierView },
	{ path: 'dossiers', label: 'Dossiers à valider', roles: ['validator'], view: dossiersView },
	{ path: 'pauses', label: 'Pauses', roles: ['candidate'], view: pausesView },
	{ path: 'pauses-association', label: 'Pauses', roles: ['validator'], view: allPausesView },
	{ path: 'notifications', label: 'Notifications', view: notificationsView, badge: refreshBadge },
	{ path: 'logiciels-partenaires', label: 'Logiciels partenaires', roles: ['platform_admin'], view: clientsView },
	{ path: 'applications-autorisees', label: 'Applications autorisées', roles: ['school_admin', 'school_manager', 'trainer'], view: grantsView },
	// Where /oauth/authorize sends a school employee (#/autorisation/<id>).
	{ path: 'autorisation', label: 'Autoriser un logiciel', hidden: true, view: consentView },
	// An organisation's online booking address (#/rendez-vous/<org>), also
	// shown before any sign-in (app.js).
	{ path: 'rendez-vous', label: 'Prendre rendez-vous', hidden: true, view: bookView },
	// The person's relatives, linked from « Mes rendez-vous ».
	{ path: 'mes-proches', label: 'Mes proches', roles: ['candidate'], hidden: true, view: myRelativesView },
];
