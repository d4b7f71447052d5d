build/obj/src/jobs/scheduler.o: src/jobs/scheduler.c src/jobs/scheduler.h \
 src/core/clock.h src/store/store.h src/core/limits.h src/core/log.h
src/jobs/scheduler.h:
src/core/clock.h:
src/store/store.h:
src/core/limits.h:
src/core/log.h:
