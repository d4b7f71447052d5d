build/obj/src/core/config.o: src/core/config.c src/core/config.h \
 src/core/log.h src/core/limits.h src/core/num.h
src/core/config.h:
src/core/log.h:
src/core/limits.h:
src/core/num.h:
