build/obj/src/http/server.o: src/http/server.c src/http/server.h \
 src/http/http.h src/core/limits.h src/core/buf.h src/core/log.h \
 src/core/num.h src/http/path.h src/http/response.h src/http/router.h
src/http/server.h:
src/http/http.h:
src/core/limits.h:
src/core/buf.h:
src/core/log.h:
src/core/num.h:
src/http/path.h:
src/http/response.h:
src/http/router.h:
