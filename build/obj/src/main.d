build/obj/src/main.o: src/main.c src/app.h src/core/clock.h \
 src/core/config.h src/core/log.h src/store/store.h src/core/log.h \
 src/demo.h src/serve.h
src/app.h:
src/core/clock.h:
src/core/config.h:
src/core/log.h:
src/store/store.h:
src/core/log.h:
src/demo.h:
src/serve.h:
