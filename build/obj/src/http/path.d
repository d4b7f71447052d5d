build/obj/src/http/path.o: src/http/path.c src/http/path.h \
 src/core/limits.h
src/http/path.h:
src/core/limits.h:
