build/obj/src/core/log.o: src/core/log.c src/core/log.h src/core/limits.h
src/core/log.h:
src/core/limits.h:
