/*
 * appt_structure.h - the organisation side of appointments: services,
 * places, agents, motifs, opening hours (plages) and absences of a
 * social services organisation.
 *
 * Every change is one transaction with its audit entry; a refusal
 * changes nothing. Records belong to the actor's organisation
 * (who->org_id): a record of another organisation is answered as
 * unknown (*_INCONNU, 404). Changes return an appointments code
 * (appointments/appt_codes.h; APPT_OK when done) or -1 for a storage
 * failure, and name the field at fault in err (the JSON member of the
 * API: "service_id", "motif_ids[2]", "end_time"...).
 *
 * A save creates the record when its id is 0 (setting it), else updates
 * the record of that id (every field replaced). Every change answers
 * APPT_ORGANISATION_INCONNUE when the actor's organisation is not a
 * social services one (kind service).
 */
#ifndef CRENEAU_SERVICE_APPT_STRUCTURE_H
#define CRENEAU_SERVICE_APPT_STRUCTURE_H

#include <stdint.h>

#include "appointments/appt_codes.h"
#include "service/service.h"
#include "store/appt_structure.h"

/* Services and places: names unique in the organisation. */
int svc_appt_service_save(const struct svc *s, const struct svc_actor *who,
    struct store_appt_service *in, int64_t now, struct appt_error *err);
int svc_appt_place_save(const struct svc *s, const struct svc_actor *who,
    struct store_appt_place *in, int64_t now, struct appt_error *err);

/*
 * Attaches account in->account_id as an agent of the organisation with
 * the services in->services (1..APPT_AGENT_SERVICES_MAX live services of
 * the organisation, duplicates dropped), or replaces the services of an
 * agent (an archived agent is attached again). APPT_AGENT_INCONNU when
 * the account is not an active account of the organisation holding the
 * role agent or agent_admin; APPT_SERVICE_INCONNU naming
 * "service_ids[i]".
 */
int svc_appt_agent_put(const struct svc *s, const struct svc_actor *who,
    struct store_appt_agent *in, int64_t now, struct appt_error *err);

/* Motifs: checked by appt_motif_validate; the service must be a live
 * service of the organisation. */
int svc_appt_motif_save(const struct svc *s, const struct svc_actor *who,
    struct store_appt_motif *in, int64_t now, struct appt_error *err);

/*
 * Plages: the recurrence checked by appt_recur_validate; the agent a live
 * agent, the place (0: none) a live place, each motif a live motif of one
 * of the agent's services; a motif at a place needs a place.
 */
int svc_appt_plage_save(const struct svc *s, const struct svc_actor *who,
    struct store_appt_plage *in, int64_t now, struct appt_error *err);

/*
 * Absences, checked by appt_absence_validate. With admin 0 (the caller
 * holds appt.book only), an agent saves or archives its own absences
 * only: APPT_ACTION_INTERDITE for another agent's.
 */
int svc_appt_absence_save(const struct svc *s, const struct svc_actor *who,
    int admin, struct store_appt_absence *in, int64_t now,
    struct appt_error *err);

/*
 * Archives record id (kind; an agent by account_id) at now: it stays
 * readable with ?archived=1 but is offered no more. APPT_OK (also when
 * already archived: nothing is written then) or its *_INCONNU code. For
 * an absence, admin as in svc_appt_absence_save.
 */
int svc_appt_archive(const struct svc *s, const struct svc_actor *who,
    int admin, enum store_appt_kind kind, int64_t id, const char *account_id,
    int64_t now, struct appt_error *err);

/*
 * Reads record id (kind; an agent by account_id) of organisation org_id
 * into out, the kind's store record (struct store_appt_service...),
 * archived or not: the record one item of its list shows (with
 * ?archived=1), in one read transaction. APPT_OK, the kind's *_INCONNU
 * code when org_id holds no such record (another organisation's record
 * is unknown alike; an agent's names "account_id", as its PUT does), or
 * -1.
 */
int svc_appt_record_get(const struct svc *s, const char *org_id,
    enum store_appt_kind kind, int64_t id, const char *account_id, void *out,
    struct appt_error *err);

/* Lists of the actor's organisation (see store/appt_structure.h), read
 * in one transaction. Return 0 or -1. */
int svc_appt_services_list(const struct svc *s, const char *org_id,
    const struct store_appt_filter *f, store_appt_service_fn fn, void *arg);
int svc_appt_places_list(const struct svc *s, const char *org_id,
    const struct store_appt_filter *f, store_appt_place_fn fn, void *arg);
int svc_appt_agents_list(const struct svc *s, const char *org_id,
    const struct store_appt_filter *f, store_appt_agent_fn fn, void *arg);
int svc_appt_motifs_list(const struct svc *s, const char *org_id,
    const struct store_appt_filter *f, store_appt_motif_fn fn, void *arg);
int svc_appt_plages_list(const struct svc *s, const char *org_id,
    const struct store_appt_filter *f, store_appt_plage_fn fn, void *arg);
int svc_appt_absences_list(const struct svc *s, const char *org_id,
    const struct store_appt_filter *f, store_appt_absence_fn fn, void *arg);

#endif
