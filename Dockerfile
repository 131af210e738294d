# docqa: build with the Maven wrapper on JDK 17, run on a JRE 17 as a non-root user.
#   docker build -t docqa .
#   docker run -p 8080:8080 -e SPRING_R2DBC_URL=... docqa      (or: docker compose up, see compose.yaml)
# Written for both BuildKit and the legacy builder (docker-compose v1), so no RUN --mount.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# Dependencies first: this layer is rebuilt only when pom.xml or the wrapper change.
COPY mvnw pom.xml ./
COPY .mvn/ .mvn/
RUN chmod +x mvnw \
 && (./mvnw -B -ntp -q dependency:go-offline || echo "dependency:go-offline incomplete; package will fetch the rest")
COPY src/ src/
RUN ./mvnw -B -ntp -DskipTests package \
 && mkdir -p /out \
 && cp target/docqa-*.jar /out/docqa.jar

FROM eclipse-temurin:17-jre
# uid/gid 10001: the Ubuntu base already has a user 1000 (ubuntu).
RUN groupadd --system --gid 10001 docqa \
 && useradd --system --uid 10001 --gid docqa --home-dir /app --no-create-home --shell /usr/sbin/nologin docqa \
 && mkdir -p /app/djl-cache \
 && chown docqa:docqa /app/djl-cache
WORKDIR /app
COPY --from=build /out/docqa.jar /app/docqa.jar
# The in-process embedding model (DJL) unpacks a native tokenizer library into DJL_CACHE_DIR, which must be writable.
ENV DJL_CACHE_DIR=/app/djl-cache \
    HOME=/app
USER docqa:docqa
EXPOSE 8080
# curl is part of the eclipse-temurin image. Start-up (migrations, model load) takes a few seconds.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=5 \
  CMD curl -fsS -o /dev/null http://localhost:8080/actuator/health/readiness || exit 1
# Exec form: java is PID 1 and receives SIGTERM directly (server.shutdown=graceful, 30 s per phase).
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/docqa.jar"]
