build/obj/src/http/response.o: src/http/response.c src/http/response.h \
 src/http/http.h src/core/limits.h
src/http/response.h:
src/http/http.h:
src/core/limits.h:
