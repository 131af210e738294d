# docqa: built with the Maven wrapper on JDK 17, run on a JRE 17 as a non-root user, in layers (README "Image").
#   docker build -t docqa .
#   docker run -p 8080:8080 -e SPRING_R2DBC_URL=... docqa      (or: docker compose up, see compose.yaml)
# Written for both BuildKit and the legacy builder (docker-compose v1), so no RUN --mount.
# Both stages build and run on the image's own platform: the jar keeps only that platform's native libraries
# (linux x86_64 or linux aarch64, see the natives-* profiles in pom.xml).

FROM eclipse-temurin:17.0.20_8-jdk-noble AS build
WORKDIR /src
# Maven and the dependencies first: this layer is rebuilt only when pom.xml or the wrapper change.
COPY mvnw pom.xml ./
COPY .mvn/ .mvn/
RUN chmod +x mvnw && ./mvnw -B -ntp -q dependency:go-offline
COPY src/layers.xml src/
COPY src/main/ src/main/
# The tests need PostgreSQL and Chroma and run in CI (.ci/run); the image is built from what they checked.
RUN ./mvnw -B -ntp -Dmaven.test.skip=true package \
 && java -Djarmode=tools -jar target/docqa-*.jar extract --layers --destination /layers \
      --application-filename docqa.jar

FROM eclipse-temurin:17.0.20_8-jre-noble
# uid/gid 10001: the Ubuntu base already has a user 1000 (ubuntu).
RUN groupadd --system --gid 10001 docqa \
 && useradd --system --uid 10001 --gid docqa --home-dir /app --no-create-home --shell /usr/sbin/nologin docqa \
 && mkdir -p /app/djl-cache \
 && chown docqa:docqa /app/djl-cache
WORKDIR /app
# One image layer per jar layer, the least often changed first (src/layers.xml): a code change ships the last one only.
COPY --from=build /layers/model/ ./
COPY --from=build /layers/native-libraries/ ./
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
# The in-process embedding model (DJL) unpacks a native tokenizer library into DJL_CACHE_DIR, which must be writable.
ENV DJL_CACHE_DIR=/app/djl-cache \
    HOME=/app
USER docqa:docqa
EXPOSE 8080
# curl is part of the eclipse-temurin image. Start-up (migrations, model load) takes a few seconds.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=5 \
  CMD curl -fsS -o /dev/null http://localhost:8080/actuator/health/readiness || exit 1
# Memory, measured (README "Image"): besides the heap the service holds 350-650 MB (ONNX Runtime and the model,
# metaspace, code cache, GC structures, thread stacks, Netty's direct buffers), so the heap gets 40 % of the container's
# memory (compose.yaml gives it 1.5 GB). An OutOfMemoryError ends the process: the container restarts rather than limps.
# Exec form: java is PID 1 and receives SIGTERM directly (server.shutdown=graceful, 30 s per phase).
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=40", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/docqa.jar"]
