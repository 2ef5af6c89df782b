# syntax=docker/dockerfile:1
# Build: docker build -t flagedge .
# Run:   docker run -p 8000:8000 -m 512m -v $PWD/config.json:/app/config.json flagedge
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -pl edge-server -am package -DskipTests

# Java 21+ runtime (the jar also runs on 17): newer JIT and GC; the container-aware flags are below.
FROM eclipse-temurin:21-jre-alpine
# A numeric user, so that Kubernetes can verify runAsNonRoot.
RUN addgroup -S -g 10001 flagedge && adduser -S -u 10001 -G flagedge -H -s /sbin/nologin flagedge
WORKDIR /app
COPY --from=build /src/edge-server/target/edge-server.jar /app/edge-server.jar
USER 10001:10001
EXPOSE 8000
# Memory: the heap takes 75% of the container's limit (384 MiB of 512 MiB), leaving the rest for
# thread stacks, metaspace, code cache and direct buffers. Any OutOfMemoryError ends the process
# (exit code 3) so that the orchestrator restarts it; edge-server does the same on its own.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
# Like the reference image, configuration is read from /app/config.json and environment variables.
HEALTHCHECK --interval=10s --timeout=2s CMD wget -qO- http://127.0.0.1:8000/proxy/health/liveness || exit 1
ENTRYPOINT ["java", "-jar", "/app/edge-server.jar"]
