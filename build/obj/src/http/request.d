build/obj/src/http/request.o: src/http/request.c src/http/http.h \
 src/core/limits.h
src/http/http.h:
src/core/limits.h:
