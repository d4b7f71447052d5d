build/obj/src/http/router.o: src/http/router.c src/http/router.h \
 src/http/http.h src/core/limits.h
src/http/router.h:
src/http/http.h:
src/core/limits.h:
