build/obj/src/store/sqlite.o: src/store/sqlite.c src/core/log.h \
 src/store/driver.h src/store/store.h
src/core/log.h:
src/store/driver.h:
src/store/store.h:
