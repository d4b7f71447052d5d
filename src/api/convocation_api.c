/*
 * convocation_api.c - the convocation to an exam: a PDF to print and an
 * iCalendar event, for the candidate (their own exams) and the school
 * that booked the exam (while it holds the candidate's mandate).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "api/api.h"
#include "api/booking_api.h"
#include "app.h"
#include "http/response.h"
#include "service/convocation.h"

enum convoc_form { CONVOC_PDF, CONVOC_ICS };

/* Who asks: the candidate, the school, or a trainer of the school. */
enum convoc_reader { READER_SELF, READER_SCHOOL, READER_TRAINER };

static void
answer(struct http_request *req, struct http_response *resp,
    enum convoc_reader who, enum convoc_form form)
{
	struct convocation cv;
	struct api_bctx x;
	char name[96];
	size_t len = 0;
	char *doc = NULL;
	int64_t id;
	int rc;

	memset(&cv, 0, sizeof(cv));
	if (api_bctx_begin(req, resp, &x, who != READER_SELF) != 0 ||
	    api_path_id(req, resp, "id", BK_EXAMEN_INCONNU, &id) != 0)
		return;
	rc = who == READER_TRAINER
	    ? svc_convocation_get_trainer(&x.s, x.c.s.account_id, x.school_id,
		  id, x.now, &cv)
	    : svc_convocation_get(&x.s,
		  who == READER_SELF ? x.c.s.account_id : NULL, x.school_id, id,
		  x.now, &cv);
	if (rc == SVC_CONVOCATION_SAT) {
		http_problem(req, resp, 409, "examen_passe", NULL,
		    "Cet examen a eu lieu et son résultat est enregistré : il "
		    "n'a plus de convocation.");
		return;
	}
	if (api_bctx_refused(req, resp, rc, NULL, 0) != 0)
		return;
	rc = form == CONVOC_PDF ? convocation_pdf(&cv, &doc, &len)
				: convocation_ics(&cv, &doc, &len);
	sodium_memzero(&cv, sizeof(cv));
	if (rc != 0) {
		http_problem(req, resp, 500, "internal_error", NULL,
		    "La convocation n'a pas pu être produite.");
		return;
	}
	resp->status = 200;
	resp->content_type = form == CONVOC_PDF
	    ? "application/pdf"
	    : "text/calendar; charset=utf-8";
	resp->body = doc;
	resp->body_len = len;
	snprintf(name, sizeof(name), "attachment; filename=\"%s-%lld.%s\"",
	    form == CONVOC_PDF ? "convocation" : "examen", (long long)id,
	    form == CONVOC_PDF ? "pdf" : "ics");
	http_response_download(resp, name);
}

void
api_me_exam_convocation(struct http_request *req, struct http_response *resp)
{
	answer(req, resp, READER_SELF, CONVOC_PDF);
}

void
api_me_exam_calendar(struct http_request *req, struct http_response *resp)
{
	answer(req, resp, READER_SELF, CONVOC_ICS);
}

void
api_exam_convocation(struct http_request *req, struct http_response *resp)
{
	answer(req, resp, READER_SCHOOL, CONVOC_PDF);
}

void
api_exam_calendar(struct http_request *req, struct http_response *resp)
{
	answer(req, resp, READER_SCHOOL, CONVOC_ICS);
}

/* GET /api/v1/trainer/exams/{id}/convocation: a trainer prints the
 * convocation of an exam of a candidate assigned to them. */
void
api_trainer_exam_convocation(struct http_request *req,
    struct http_response *resp)
{
	answer(req, resp, READER_TRAINER, CONVOC_PDF);
}
