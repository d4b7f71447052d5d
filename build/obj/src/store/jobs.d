build/obj/src/store/jobs.o: src/store/jobs.c src/store/driver.h \
 src/store/store.h
src/store/driver.h:
src/store/store.h:
