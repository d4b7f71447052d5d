build/obj/src/api/health.o: src/api/health.c src/api/api.h \
 src/http/http.h src/core/limits.h src/app.h src/core/clock.h \
 src/core/config.h src/core/log.h src/store/store.h src/http/response.h
src/api/api.h:
src/http/http.h:
src/core/limits.h:
src/app.h:
src/core/clock.h:
src/core/config.h:
src/core/log.h:
src/store/store.h:
src/http/response.h:
