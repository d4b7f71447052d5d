// sections.js - the pages of the signed-in UI, in menu order.
//
// path: the address (#/path, then #/path/param...); label: the menu entry;
// roles: the roles that see it (absent: every account), the same as the
// API's permissions in docs/permissions.md (the server checks them
// anyway); view(ctx): returns the page's nodes, h1 first (ctx: me, roles,
// params, flash, go(path, notice), signedOut(message), endWith(nodes)).
//
// To add a page: write its view in a module of its own and add a line.
import { accountView } from './account.js';
import { auditView, journalView } from './audit.js';
import { breachesView } from './breaches.js';
import { myDataView } from './mydata.js';
import { registerView } from './register.js';
import { bookingView } from './booking.js';
import { candidatesView } from './candidates.js';
import { dayView } from './day.js';
import { examsView } from './exams.js';
import { notificationsView, refreshBadge } from './notifications.js';

export const SECTIONS = [
	{ path: 'ma-journee', label: 'Ma journée', roles: ['school_manager'], view: dayView },
	{ path: 'reserver', label: 'Réserver des places', roles: ['school_manager'], view: bookingView },
	{ path: 'examens', label: 'Examens', roles: ['school_manager'], view: examsView },
	{ path: 'candidats', label: 'Candidats', roles: ['school_manager', 'trainer'], view: candidatesView },
	{ path: 'compte', label: 'Mon compte', view: accountView },
	{ path: 'mes-donnees', label: 'Mes données', view: myDataView },
	{ path: 'registre', label: 'Registre des traitements', roles: ['dpo'], view: registerView },
	{ path: 'violations', label: 'Violations de données', roles: ['dpo'], view: breachesView },
	{ path: 'audit', label: "Piste d'audit", roles: ['dpo'], view: auditView },
	{ path: 'journal', label: 'Journal des connexions', roles: ['dpo', 'school_admin'], view: journalView },
	{ path: 'notifications', label: 'Notifications', view: notificationsView, badge: refreshBadge },
];
