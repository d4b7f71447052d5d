build/obj/src/serve.o: src/serve.c src/serve.h src/core/config.h \
 src/core/log.h src/api/api.h src/http/http.h src/core/limits.h src/app.h \
 src/core/clock.h src/store/store.h src/core/log.h src/http/server.h \
 src/jobs/scheduler.h src/core/clock.h src/store/store.h
src/serve.h:
src/core/config.h:
src/core/log.h:
src/api/api.h:
src/http/http.h:
src/core/limits.h:
src/app.h:
src/core/clock.h:
src/store/store.h:
src/core/log.h:
src/http/server.h:
src/jobs/scheduler.h:
src/core/clock.h:
src/store/store.h:
