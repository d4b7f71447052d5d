/*
 * candidate_api.c - the candidate registry and candidates: the exam
 * authority's registry import, the candidates a school holds a mandate
 * of (a trainer: those assigned to them), their assignment to trainers,
 * and the candidate's own exams.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "api/api.h"
#include "auth/directory.h"
#include "api/booking_api.h"
#include "api/guard.h"
#include "app.h"
#include "core/clock.h"
#include "http/jsonbody.h"
#include "http/response.h"
#include "service/candidates.h"
#include "service/exams.h"
#include "service/registry.h"

static void
unavailable(const struct http_request *req, struct http_response *resp)
{
	http_problem(req, resp, 503, "unavailable", NULL,
	    "Le registre des candidats est indisponible.");
}

static struct svc_actor
actor_of(const struct http_request *req, const struct api_caller *c)
{
	struct svc_actor who = { c->s.account_id, c->s.org_id, req->client_ip,
		req->request_id };

	return who;
}

/* Is the body declared text/csv (parameters such as charset allowed)? */
static int
is_csv(const char *ct)
{
	size_t n = strlen("text/csv");

	return ct != NULL && strncasecmp(ct, "text/csv", n) == 0 &&
	    (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

/* Answers the refused import: 422 problem with the lines at fault. */
static void
import_refused(const struct http_request *req, struct http_response *resp,
    const struct svc_import_report *rep)
{
	json_t *errs;
	size_t i;

	http_problem(req, resp, 422, "PARAMETRE_INVALIDE", NULL,
	    "Le fichier n'a pas été importé : %ld ligne(s) en erreur. "
	    "Corrigez-les puis envoyez de nouveau le fichier entier.",
	    rep->errors_total);
	if ((errs = json_array()) == NULL)
		return;
	for (i = 0; i < rep->nerrors; i++)
		json_array_append_new(errs,
		    json_pack("{s:I, s:s?, s:s, s:s}", "line",
			(json_int_t)rep->errors[i].line, "field",
			rep->errors[i].field[0] ? rep->errors[i].field : NULL,
			"code", rep->errors[i].code, "detail",
			rep->errors[i].detail));
	http_problem_add(resp, "errors", errs);
	http_problem_add(resp, "errors_total", json_integer(rep->errors_total));
}

void
api_registry_import(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct svc s = { &app->auth, &app->rules };
	struct svc_import_report *rep;
	struct svc_actor who;
	struct api_caller c;
	int rc;

	if (api_guard(req, resp, NULL, &c) != 0)
		return;
	if (!is_csv(req->content_type)) {
		http_problem(req, resp, 415, "unsupported_media_type", NULL,
		    "Le registre doit être envoyé en text/csv (UTF-8).");
		return;
	}
	if (req->body == NULL || req->body_len == 0) {
		http_problem(req, resp, 422, "PARAMETRE_INVALIDE", NULL,
		    "Le fichier est vide.");
		return;
	}
	if ((rep = calloc(1, sizeof(*rep))) == NULL) {
		unavailable(req, resp);
		return;
	}
	who = actor_of(req, &c);
	rc = svc_registry_import(&s, &who, req->body, req->body_len,
	    clock_now_ms(app->clock), rep);
	if (rc == 0)
		http_response_json(resp, 200,
		    json_pack("{s:I, s:I, s:I, s:I}", "lines",
			(json_int_t)rep->lines, "created",
			(json_int_t)rep->created, "updated",
			(json_int_t)rep->updated, "unchanged",
			(json_int_t)rep->unchanged));
	else if (rc == 1)
		import_refused(req, resp, rep);
	else if (rc == SVC_IMPORT_BUSY)
		http_problem(req, resp, 409, "import_in_progress", NULL,
		    "Un autre import du registre est en cours. Envoyez de "
		    "nouveau le fichier quand il sera terminé.");
	else if (rc == SVC_IMPORT_CHANGED)
		http_problem(req, resp, 409, "registry_changed", NULL,
		    "Le registre a été modifié pendant l'import ; rien n'a "
		    "été importé. Envoyez de nouveau le fichier.");
	else
		unavailable(req, resp);
	free(rep);
}

static json_t *
candidate_json(const struct svc_candidate *cand)
{
	json_t *o;

	o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:o}", "id",
	    (json_int_t)cand->id, "neph", cand->neph, "last_name",
	    cand->last_name, "first_names", cand->first_names, "category",
	    cand->category, "gearbox", cand->gearbox, "mandate",
	    (json_int_t)cand->mandate_id, "mandate_expires_at",
	    api_time_json(cand->mandate_expires_at));
	if (o == NULL)
		return NULL;
	json_object_set_new(o, "email",
	    cand->email[0] ? json_string(cand->email) : json_null());
	json_object_set_new(o, "trainer",
	    cand->trainer[0] ? json_string(cand->trainer) : json_null());
	return o;
}

static int
add_candidate(void *arg, const struct svc_candidate *cand)
{
	return json_array_append_new(arg, candidate_json(cand));
}

/* Does the caller see every candidate of the school (not only those
 * assigned to them, as a trainer does)? */
static int
sees_all(const struct api_caller *c)
{
	struct rbac_target t = { c->s.org_id, 0, NULL };

	return rbac_decide(&c->subj, PERM_CANDIDATE_READ, &t) == RBAC_ALLOW;
}

void
api_candidates(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct svc s = { &app->auth, &app->rules };
	struct api_caller c;
	int64_t school;
	json_t *list;

	if (api_guard(req, resp, NULL, &c) != 0 ||
	    api_caller_school(req, resp, &c, &school) != 0)
		return;
	if ((list = json_array()) == NULL ||
	    svc_candidates_list(&s, school,
		sees_all(&c) ? NULL : c.s.account_id, clock_now_ms(app->clock),
		add_candidate, list) != 0) {
		json_decref(list);
		unavailable(req, resp);
		return;
	}
	http_response_json(resp, 200, json_pack("{s:o}", "candidates", list));
}

void
api_candidate(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct svc s = { &app->auth, &app->rules };
	struct svc_candidate cand;
	struct rbac_target t;
	struct api_caller c;
	int64_t school, id;
	int rc;

	if (api_guard(req, resp, NULL, &c) != 0 ||
	    api_path_id(req, resp, "id", BK_CANDIDAT_INCONNU, &id) != 0 ||
	    api_caller_school(req, resp, &c, &school) != 0)
		return;
	rc = svc_candidate_get(&s, school, id, clock_now_ms(app->clock), &cand);
	if (rc < 0) {
		unavailable(req, resp);
		return;
	}
	/* A trainer reads only the candidates assigned to them; anything
	 * else is answered as if it did not exist. */
	t.org_id = c.s.org_id;
	t.assigned = strcmp(cand.trainer, c.s.account_id) == 0;
	t.owner_account = NULL;
	if (rc != BK_OK ||
	    rbac_decide(&c.subj, PERM_CANDIDATE_READ, &t) != RBAC_ALLOW)
		api_booking_problem(req, resp, BK_CANDIDAT_INCONNU, "id", 0);
	else
		http_response_json(resp, 200, candidate_json(&cand));
	sodium_memzero(&cand, sizeof(cand));
}

static const struct json_field trainer_fields[] = {
	{ "trainer", JK_STRING, 1, 1, STORE_ID_MAX - 1 },
};

void
api_candidate_trainer(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct svc s = { &app->auth, &app->rules };
	struct svc_actor who;
	struct api_caller c;
	const char *trainer;
	int64_t school, id;
	json_t *body;
	int rc;

	if (api_guard(req, resp, NULL, &c) != 0 ||
	    api_path_id(req, resp, "id", BK_CANDIDAT_INCONNU, &id) != 0 ||
	    api_caller_school(req, resp, &c, &school) != 0)
		return;
	if ((body = http_json_body(req, resp)) == NULL)
		return;
	if (http_json_check(req, resp, body, trainer_fields, 1) != 0)
		goto done;
	trainer = json_string_value(json_object_get(body, "trainer"));
	who = actor_of(req, &c);
	rc = svc_candidate_assign(&s, &who, school, id, trainer,
	    clock_now_ms(app->clock));
	if (rc < 0)
		unavailable(req, resp);
	else if (rc == BK_PARAMETRE_INVALIDE)
		http_problem(req, resp, 422, "PARAMETRE_INVALIDE", "trainer",
		    "Le champ « trainer » doit désigner un compte formateur "
		    "actif de votre auto-école.");
	else if (rc != BK_OK)
		api_booking_problem(req, resp, (enum bk_code)rc, "id", 0);
	else
		http_response_json(resp, 200,
		    json_pack("{s:I, s:s}", "candidate", (json_int_t)id,
			"trainer", trainer));
done:
	json_decref(body);
}

static int
add_exam(void *arg, const struct store_candidate_exam *e)
{
	return json_array_append_new(arg,
	    json_pack("{s:I, s:o, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id",
		(json_int_t)e->id, "start_at", api_time_json(e->start_at),
		"time_zone", "Europe/Paris", "centre", e->centre, "address",
		e->address, "school", e->school, "department", e->department,
		"category", e->category, "status", e->status));
}

void
api_me_exams(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct svc s = { &app->auth, &app->rules };
	struct api_caller c;
	json_t *list;

	if (api_guard(req, resp, NULL, &c) != 0)
		return;
	if ((list = json_array()) == NULL ||
	    svc_candidate_exams_of_account(&s, c.s.account_id, add_exam,
		list) != 0) {
		json_decref(list);
		unavailable(req, resp);
		return;
	}
	http_response_json(resp, 200, json_pack("{s:o}", "exams", list));
}

static int
add_trainer_exam(void *arg, const struct svc_trainer_exam *t)
{
	const struct store_exam_listed *e = t->e;

	return json_array_append_new(arg,
	    json_pack("{s:I, s:o, s:s, s:I, s:s, s:s, s:s, s:s, s:I, s:s, "
		      "s:s}",
		"id", (json_int_t)e->exam.id, "start_at",
		api_time_json(e->exam.start_at), "time_zone", "Europe/Paris",
		"candidate_id", (json_int_t)e->exam.candidate_id, "last_name",
		t->last_name, "first_names", t->first_names, "category",
		e->exam.category, "department", e->exam.department, "centre_id",
		(json_int_t)e->centre_id, "centre",
		e->centre_name ? e->centre_name : "", "address",
		e->centre_address ? e->centre_address : ""));
}

/* The coming exams of the candidates assigned to the caller in their
 * school: the trainer's landing page. */
void
api_trainer_exams(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct svc s = { &app->auth, &app->rules };
	struct api_caller c;
	int64_t school;
	json_t *list;

	if (api_guard(req, resp, NULL, &c) != 0 ||
	    api_caller_school(req, resp, &c, &school) != 0)
		return;
	if ((list = json_array()) == NULL ||
	    svc_trainer_exams(&s, school, c.s.account_id,
		clock_now_ms(app->clock), add_trainer_exam, list) != 0) {
		json_decref(list);
		unavailable(req, resp);
		return;
	}
	http_response_json(resp, 200, json_pack("{s:o}", "exams", list));
}

/* One trainer of the caller's organisation: id and name only (the email
 * is no business of the manager assigning candidates). */
static int
add_trainer(void *arg, const struct account_info *info,
    const struct store_role *roles, size_t nroles)
{
	size_t i;

	if (info->disabled)
		return 0;
	for (i = 0; i < nroles; i++)
		if (strcmp(roles[i].role, "trainer") == 0)
			return json_array_append_new(arg,
			    json_pack("{s:s, s:s?}", "id", info->id,
				"display_name", info->display_name));
	return 0;
}

void
api_trainers(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct api_caller c;
	json_t *list;

	if (api_guard(req, resp, NULL, &c) != 0)
		return;
	list = json_array();
	if (directory_list(&app->auth, c.s.org_id, add_trainer, list) != 0) {
		json_decref(list);
		http_problem(req, resp, 503, "unavailable", NULL,
		    "La liste des formateurs est indisponible.");
		return;
	}
	http_response_json(resp, 200, json_pack("{s:o}", "trainers", list));
}
