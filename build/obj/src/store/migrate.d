build/obj/src/store/migrate.o: src/store/migrate.c src/core/clock.h \
 src/core/log.h src/store/driver.h src/store/store.h
src/core/clock.h:
src/core/log.h:
src/store/driver.h:
src/store/store.h:
