build/obj/src/api/routes.o: src/api/routes.c src/api/api.h \
 src/http/http.h src/core/limits.h
src/api/api.h:
src/http/http.h:
src/core/limits.h:
