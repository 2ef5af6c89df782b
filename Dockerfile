# syntax=docker/dockerfile:1
# Build: docker build -t flagedge .
# Run:   docker run -p 8000:8000 -v $PWD/config.json:/app/config.json flagedge
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -pl edge-server -am package -DskipTests

FROM eclipse-temurin:17-jre-alpine
RUN addgroup -S flagedge && adduser -S -G flagedge -H -s /sbin/nologin flagedge
WORKDIR /app
COPY --from=build /src/edge-server/target/edge-server.jar /app/edge-server.jar
USER flagedge
EXPOSE 8000
# Like the reference image, configuration is read from /app/config.json and environment variables.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
HEALTHCHECK --interval=10s --timeout=2s CMD wget -qO- http://127.0.0.1:8000/proxy/health/liveness || exit 1
ENTRYPOINT ["java", "-jar", "/app/edge-server.jar"]
