/* texts.c - subjects and bodies of notification emails, in French. */
#include "notify/texts.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "booking/caltime.h"
#include "core/buf.h"

#define DAY_MS (24LL * 3600 * 1000)
#define REF_MAX 24

const char notify_text_footer[] =
    "-- \n"
    "Créneau vous informe des événements qui concernent votre compte.\n"
    "Les détails sont dans l'application, rubrique « Notifications ».\n"
    "Ce message est envoyé automatiquement : merci de ne pas y répondre.\n";

/* What a notice refers to, ready to print ("" when absent). */
struct refs {
	char exam[REF_MAX], slot[REF_MAX], basket[REF_MAX], mandate[REF_MAX];
	char rule[40];
	char when[48]; /* "le 01/12/2026 à 09:30" */
	char until[48];
	char result[24]; /* in French */
	char reason[64]; /* in French */
};

/* One sentence and the subject of each emailed kind. */
struct kind_text {
	const char *kind;
	const char *subject;
	const char *sentence;
};

static const struct kind_text texts[] = {
	{ "booking.confirmed", "Réservation confirmée",
	    "La réservation d'une place d'examen est confirmée." },
	{ "booking.cancelled", "Réservation annulée",
	    "Une réservation de place d'examen a été annulée." },
	{ "validation.failed", "Réservation non validée",
	    "Une demande de réservation n'a pas été validée : elle ne "
	    "respecte pas une règle de réservation." },
	{ "quota.full", "Quota de places atteint",
	    "Le quota de places d'examen de l'auto-école est atteint pour la "
	    "période en cours." },
	{ "authority.unreachable", "Autorité d'examen injoignable",
	    "L'autorité d'examen ne répond plus : la recherche de places, le "
	    "panier et la liste des examens attendent son retour. Rien n'est "
	    "réservé en double ; vous serez prévenu(e) de son retour." },
	{ "authority.restored", "Autorité d'examen de retour",
	    "L'autorité d'examen répond à nouveau : vous pouvez reprendre vos "
	    "réservations." },
	{ "basket.expiring", "Panier bientôt expiré",
	    "Un panier de réservation arrive à expiration : validez-le ou "
	    "libérez ses places avant l'échéance." },
	/* The candidate: what happened to their own exams. */
	{ "exam.booked", "Examen réservé",
	    "Une place d'examen du permis de conduire a été réservée pour "
	    "vous. Votre convocation est à télécharger dans « Mes examens »." },
	{ "exam.cancelled", "Examen annulé",
	    "Votre examen du permis de conduire a été annulé. Votre "
	    "auto-école peut vous en dire plus." },
	{ "exam.withdrawn", "Place d'examen attribuée à un autre candidat",
	    "Votre place d'examen du permis de conduire a été attribuée à un "
	    "autre candidat par votre auto-école : vous n'êtes plus convoqué(e) "
	    "à cet examen." },
	{ "exam.moved", "Examen déplacé",
	    "Votre examen du permis de conduire a changé de date. Votre "
	    "nouvelle convocation est à télécharger dans « Mes examens »." },
	{ "exam.result", "Résultat d'examen",
	    "Le résultat d'un examen du permis de conduire a été enregistré." },
	{ "mandate.created", "Nouveau mandat",
	    "Un mandat de réservation a été enregistré." },
	{ "mandate.revoked", "Mandat révoqué",
	    "Un mandat de réservation a été révoqué." },
	{ "mandate.expired", "Mandat expiré",
	    "Un mandat de réservation est arrivé à échéance." },
	/* Regional supervision: a request waits for the school's
	 * administrators; its decision goes back to the supervisor. */
	{ "slot_request.created", "Demande de changement de place",
	    "Un superviseur régional demande de déplacer ou d'annuler un "
	    "examen de l'auto-école. Rien ne change avant qu'un "
	    "administrateur de l'auto-école l'approuve, dans « Demandes à "
	    "approuver »." },
	{ "slot_request.decided", "Demande de changement de place traitée",
	    "Une demande de changement de place a été traitée par "
	    "l'auto-école : approuvée, refusée, ou impossible parce qu'une "
	    "règle de réservation ne le permet plus (voir la règle ci-dessous)." },
	/* Appointments (seed 001): to the agents and to the user. */
	{ "appointment.booked", "Rendez-vous confirmé",
	    "Un rendez-vous a été pris ; le détail (motif, lieu) est dans "
	    "l'application." },
	{ "appointment.moved", "Rendez-vous déplacé",
	    "Un rendez-vous a été déplacé à la date ci-dessous." },
	{ "appointment.cancelled", "Rendez-vous annulé",
	    "Un rendez-vous a été annulé." },
	/* A user moved their appointment to a time their agent cannot
	 * take: a colleague took it, and the first agent must know it is
	 * gone from their day. */
	{ "appointment.reassigned", "Rendez-vous confié à un collègue",
	    "Un usager a déplacé son rendez-vous à un horaire où vous "
	    "n'êtes pas disponible : il a été confié à un autre agent et ne "
	    "figure plus dans votre agenda." },
	/* Dossiers (src/service/dossier_*.c): the person is told of the
	 * validator's decision; the documents are destroyed with it. */
	{ "dossier.decided", "Votre dossier a été examiné",
	    "Un validateur de l'association a examiné votre dossier : il est "
	    "validé, refusé ou à compléter. Le détail et le commentaire du "
	    "validateur sont dans l'application, rubrique « Mon dossier ». "
	    "Une fois le dossier validé ou refusé, vos pièces chiffrées sont "
	    "détruites." },
	/* Pauses (src/service/pause.c): the association's validated
	 * volunteers are told of a new request; the family and the
	 * volunteer are both told when a pause is accepted or cancelled. */
	{ "pause.requested", "Nouvelle demande de pause",
	    "Une famille de l'association demande une pause (temps de "
	    "répit). Si vous êtes disponible, vous pouvez l'accepter dans "
	    "l'application, rubrique « Pauses »." },
	{ "pause.accepted", "Pause acceptée",
	    "Une pause (temps de répit) a été acceptée par un bénévole de "
	    "l'association. Le détail (lieu, coordonnées) est dans "
	    "l'application, rubrique « Pauses »." },
	{ "pause.cancelled", "Pause annulée",
	    "Une pause (temps de répit) a été annulée. Le détail est dans "
	    "l'application, rubrique « Pauses »." },
	/* Client organisations (src/service/tenancy.c): their admins are
	 * told of every change of state the platform makes, and of every
	 * change of the organisation's settings. */
	{ "tenant.suspended", "Votre organisme est suspendu",
	    "L'administrateur de la plateforme a suspendu votre organisme. "
	    "Vos utilisateurs peuvent toujours se connecter et consulter "
	    "les données, mais plus rien ne peut être enregistré ni modifié "
	    "jusqu'à la réactivation. Rien n'est supprimé. Le motif est "
	    "indiqué dans l'application, rubrique « Organisme »." },
	{ "tenant.reactivated", "Votre organisme est réactivé",
	    "L'administrateur de la plateforme a réactivé votre organisme : "
	    "vos utilisateurs peuvent de nouveau enregistrer et modifier des "
	    "données." },
	{ "tenant.terminated", "Le contrat de votre organisme est résilié",
	    "L'administrateur de la plateforme a résilié le contrat de votre "
	    "organisme. Plus personne ne peut se connecter et les sessions "
	    "ouvertes sont fermées. L'export complet de vos données vous est "
	    "proposé jusqu'à l'échéance ci-dessous ; à cette date, toutes les "
	    "données de l'organisme sont supprimées et leurs clés détruites, "
	    "sauvegardes comprises." },
	{ "tenant.export_requested",
	    "Un export complet des données de votre organisme est demandé",
	    "Un export de toutes les données de votre organisme vient "
	    "d'être demandé. L'archive, chiffrée avec la phrase de passe "
	    "choisie à la demande, est préparée en arrière-plan ; vous serez "
	    "prévenu quand elle sera prête. Si vous n'êtes pas à l'origine "
	    "de cette demande, prévenez sans attendre l'administrateur de la "
	    "plateforme." },
	{ "tenant.export_offered",
	    "L'export complet de vos données vous attend",
	    "Le contrat de votre organisme est résilié : l'export de toutes "
	    "ses données vous est proposé pendant un mois. Il ne sera "
	    "préparé qu'une fois une phrase de passe choisie pour le "
	    "chiffrer ; adressez-vous à l'administrateur de la plateforme." },
	{ "tenant.export_ready", "L'export de vos données est prêt",
	    "L'archive de toutes les données de votre organisme est prête. "
	    "Elle se télécharge depuis « Réglages de l'organisme » et "
	    "s'ouvre avec la phrase de passe choisie à la demande (commande "
	    "« creneau tenant-export-open »). Elle est supprimée à "
	    "l'échéance indiquée dans l'application." },
	{ "tenant.export_downloaded",
	    "L'archive de vos données a été téléchargée",
	    "L'archive de toutes les données de votre organisme vient d'être "
	    "téléchargée. Le détail (qui, quand) est dans la piste d'audit. "
	    "Si vous n'êtes pas à l'origine de ce téléchargement, prévenez "
	    "sans attendre l'administrateur de la plateforme : l'archive "
	    "reste illisible sans sa phrase de passe ou sa clé." },
	{ "tenant.export_expired", "L'archive de vos données est supprimée",
	    "L'archive de l'export de vos données a atteint son échéance : "
	    "elle est supprimée. Vous pouvez demander un nouvel export "
	    "depuis « Réglages de l'organisme » tant que votre contrat "
	    "court." },
	{ "tenant.export_failed", "L'export de vos données a échoué",
	    "La préparation de l'archive de vos données a échoué. Rien n'a "
	    "été transmis. Vous pouvez demander un nouvel export depuis "
	    "« Réglages de l'organisme » ; si l'échec se répète, prévenez "
	    "l'administrateur de la plateforme." },
	{ "tenant.settings_changed",
	    "Les réglages de votre organisme ont changé",
	    "Les réglages de votre organisme (coordonnées, signature des "
	    "courriels, durées de conservation ou règles de mot de passe et "
	    "de session) viennent d'être modifiés. Le détail est dans la "
	    "piste d'audit. Si vous n'êtes pas à l'origine de ce changement, "
	    "prévenez sans attendre l'administrateur de la plateforme." },
	/* Security: the holder is told of what touches their sign-in. */
	{ "account.sign_in_failures", "Tentatives de connexion à votre compte",
	    "Plusieurs tentatives de connexion à votre compte Créneau ont "
	    "échoué (mot de passe ou code erroné). Si ce n'était pas vous, "
	    "quelqu'un essaie peut-être de deviner votre mot de passe : votre "
	    "compte n'est pas bloqué et vous pouvez toujours vous connecter "
	    "depuis les appareils que vous utilisez d'habitude. Par prudence, "
	    "choisissez un nouveau mot de passe, que vous n'utilisez nulle part "
	    "ailleurs, dans « Mon compte »." },
	{ "account.password_changed", "Votre mot de passe a été changé",
	    "Le mot de passe de votre compte Créneau vient d'être changé. Si "
	    "vous n'êtes pas à l'origine de ce changement, prévenez sans "
	    "attendre l'administrateur de votre organisme." },
	{ "account.mfa_changed", "Votre second facteur a été changé",
	    "L'application d'authentification (second facteur) de votre compte "
	    "Créneau vient d'être remplacée : les codes de l'ancienne "
	    "application et les anciens codes de secours ne servent plus. Si "
	    "vous n'êtes pas à l'origine de ce changement, prévenez sans "
	    "attendre l'administrateur de votre organisme." },
	{ "account.partner_authorised", "Un logiciel peut agir en votre nom",
	    "Vous venez d'autoriser un logiciel partenaire à agir en votre nom "
	    "sur Créneau, avec vos droits. Si ce n'était pas vous, retirez-lui "
	    "l'accès dans « Applications autorisées » et prévenez sans "
	    "attendre l'administrateur de votre organisme." },
	{ "account.partner_token_reused", "Accès d'un logiciel retiré",
	    "Un jeton déjà utilisé d'un logiciel que vous avez autorisé a été "
	    "présenté de nouveau : il a peut-être été volé. Par prudence, "
	    "l'accès de ce logiciel a été retiré ; il faudra l'autoriser de "
	    "nouveau. Prévenez l'éditeur du logiciel." },
	{ "account.inactive", "Compte inutilisé bientôt supprimé",
	    "Votre compte Créneau n'a pas été utilisé depuis plus de deux "
	    "ans. Sans connexion de votre part d'ici l'échéance indiquée "
	    "ci-dessous, il sera supprimé avec les données qui s'y "
	    "rattachent, comme le prévoit notre politique de "
	    "confidentialité. Pour le garder, il suffit de vous connecter." },
};

static const struct kind_text *
find_text(const char *kind)
{
	size_t i;

	for (i = 0; kind != NULL && i < sizeof(texts) / sizeof(texts[0]); i++)
		if (strcmp(texts[i].kind, kind) == 0)
			return &texts[i];
	return NULL;
}

int
notify_text_emailed(const char *kind)
{
	return find_text(kind) != NULL;
}

/* Copies a reference made only of safe characters; anything else (or
 * too long) is left out rather than cleaned, so nothing odd is shown. */
static void
safe_ref(char *out, size_t outlen, json_t *v)
{
	const char *s;
	size_t n;

	out[0] = '\0';
	if (json_is_integer(v) && json_integer_value(v) >= 0) {
		snprintf(out, outlen, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		return;
	}
	if (!json_is_string(v))
		return;
	s = json_string_value(v);
	n = json_string_length(v);
	if (n == 0 || n >= outlen ||
	    strspn(s,
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		"0123456789-_.:/") != n)
		return;
	memcpy(out, s, n + 1);
}

/* Writes "le DD/MM/YYYY à HH:MM" for instant ms in Europe/Paris. */
static void
paris_when(char *out, size_t outlen, int64_t ms)
{
	int64_t local = ms + caltime_paris_offset_ms(ms), days, rest, y;
	int m, d;

	days = local / DAY_MS;
	rest = local % DAY_MS;
	if (rest < 0) {
		rest += DAY_MS;
		days--;
	}
	caltime_civil_from_days(days, &y, &m, &d);
	snprintf(out, outlen, "le %02d/%02d/%04" PRId64 " à %02d:%02d", d, m, y,
	    (int)(rest / 3600000), (int)(rest / 60000 % 60));
}

/* "le DD/MM/YYYY[ à HH:MM]" from date "YYYY-MM-DD" and time "HH:MM". */
static void
text_when(char *out, size_t outlen, json_t *date, json_t *time)
{
	const char *d = json_string_value(date), *t = json_string_value(time);
	int y, mo, da, h, mi;
	char end;

	out[0] = '\0';
	if (d == NULL || sscanf(d, "%4d-%2d-%2d%c", &y, &mo, &da, &end) != 3 ||
	    y < 1970 || y > 9999 || mo < 1 || mo > 12 || da < 1 || da > 31)
		return;
	if (t != NULL && sscanf(t, "%2d:%2d%c", &h, &mi, &end) == 2 && h >= 0 &&
	    h < 24 && mi >= 0 && mi < 60)
		snprintf(out, outlen, "le %02d/%02d/%04d à %02d:%02d", da, mo,
		    y, h, mi);
	else
		snprintf(out, outlen, "le %02d/%02d/%04d", da, mo, y);
}

/* The French word of an exam result; "" for anything else. */
static void
result_word(char *out, size_t outlen, const char *result)
{
	static const char *const words[][2] = { { "passed", "réussi" },
		{ "failed", "non réussi" }, { "absent", "absent(e)" } };
	size_t i;

	out[0] = '\0';
	for (i = 0; result != NULL && i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(result, words[i][0]) == 0)
			snprintf(out, outlen, "%s", words[i][1]);
}

static int
read_refs(const char *params, struct refs *r)
{
	const char *reason;
	json_t *o, *v;

	memset(r, 0, sizeof(*r));
	if (params == NULL || params[0] == '\0')
		return 0;
	o = json_loads(params, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_object(o)) {
		json_decref(o);
		return -1;
	}
	safe_ref(r->exam, sizeof(r->exam), json_object_get(o, "exam_id"));
	safe_ref(r->slot, sizeof(r->slot), json_object_get(o, "slot_id"));
	safe_ref(r->basket, sizeof(r->basket), json_object_get(o, "basket_id"));
	safe_ref(r->mandate, sizeof(r->mandate),
	    json_object_get(o, "mandate_id"));
	safe_ref(r->rule, sizeof(r->rule), json_object_get(o, "rule"));
	if (json_is_integer(v = json_object_get(o, "starts_at")) ||
	    json_is_integer(v = json_object_get(o, "start_at")))
		paris_when(r->when, sizeof(r->when), json_integer_value(v));
	else
		text_when(r->when, sizeof(r->when), json_object_get(o, "date"),
		    json_object_get(o, "time"));
	if (json_is_integer(v = json_object_get(o, "expires_at")))
		paris_when(r->until, sizeof(r->until), json_integer_value(v));
	result_word(r->result, sizeof(r->result),
	    json_string_value(json_object_get(o, "result")));
	if ((reason = json_string_value(json_object_get(o, "reason"))) !=
		NULL &&
	    strcmp(reason, "mandate_ended") == 0)
		snprintf(r->reason, sizeof(r->reason),
		    "le mandat donné à l'auto-école a pris fin");
	json_decref(o);
	return 0;
}

/* Appends "label : value\n" when value is set. */
static int
line(struct buf *b, const char *label, const char *prefix, const char *value)
{
	if (value[0] == '\0')
		return 0;
	return buf_printf(b, "%s : %s%s\n", label, prefix, value);
}

int
notify_text(const char *kind, const char *params, char *subject,
    size_t subject_len, char **body)
{
	const struct kind_text *t = find_text(kind);
	struct refs r;
	struct buf b;
	int n;

	*body = NULL;
	if (t == NULL)
		return 1;
	if (read_refs(params, &r) != 0)
		return -1;
	/* The subject names the main reference, so a list of emails reads
	 * like the list of notifications. */
	if (r.exam[0] != '\0')
		n = snprintf(subject, subject_len, "%s : examen n° %s%s%s",
		    t->subject, r.exam, r.when[0] ? " " : "", r.when);
	else if (r.basket[0] != '\0')
		n = snprintf(subject, subject_len, "%s : panier n° %s",
		    t->subject, r.basket);
	else if (r.mandate[0] != '\0')
		n = snprintf(subject, subject_len, "%s : mandat n° %s",
		    t->subject, r.mandate);
	else if (r.rule[0] != '\0')
		n = snprintf(subject, subject_len, "%s : règle %s", t->subject,
		    r.rule);
	else
		n = snprintf(subject, subject_len, "%s", t->subject);
	if (n < 0 || (size_t)n >= subject_len || n > NOTIFY_SUBJECT_MAX)
		return -1;
	buf_init(&b, 4096);
	if (buf_printf(&b, "Bonjour,\n\n%s\n\n", t->sentence) != 0 ||
	    line(&b, "Examen", "n° ", r.exam) != 0 ||
	    line(&b, "Date", "", r.when) != 0 ||
	    line(&b, "Résultat", "", r.result) != 0 ||
	    line(&b, "Motif", "", r.reason) != 0 ||
	    line(&b, "Place", "n° ", r.slot) != 0 ||
	    line(&b, "Panier", "n° ", r.basket) != 0 ||
	    line(&b, "Échéance", "", r.until) != 0 ||
	    line(&b, "Mandat", "n° ", r.mandate) != 0 ||
	    line(&b, "Règle", "", r.rule) != 0 ||
	    buf_printf(&b, "\n%s", notify_text_footer) != 0 ||
	    (*body = buf_steal(&b, NULL)) == NULL) {
		buf_free(&b);
		return -1;
	}
	return 0;
}
