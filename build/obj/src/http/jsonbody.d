build/obj/src/http/jsonbody.o: src/http/jsonbody.c src/http/jsonbody.h \
 src/http/http.h src/core/limits.h src/http/response.h
src/http/jsonbody.h:
src/http/http.h:
src/core/limits.h:
src/http/response.h:
