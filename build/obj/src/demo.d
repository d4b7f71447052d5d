build/obj/src/demo.o: src/demo.c src/demo.h src/store/store.h
src/demo.h:
src/store/store.h:
