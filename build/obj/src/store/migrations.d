build/obj/src/store/migrations.o: src/store/migrations.c \
 src/store/driver.h src/store/store.h
src/store/driver.h:
src/store/store.h:
