build/obj/src/core/num.o: src/core/num.c src/core/num.h
src/core/num.h:
