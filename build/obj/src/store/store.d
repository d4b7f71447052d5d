build/obj/src/store/store.o: src/store/store.c src/core/log.h \
 src/store/driver.h src/store/store.h
src/core/log.h:
src/store/driver.h:
src/store/store.h:
