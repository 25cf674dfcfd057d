# syntax=docker/dockerfile:1
# Switchboard server image: `docker build -t switchboard:dev .`
# Runs as uid 10001 with a read-only root filesystem in k8s/ (mount writable /tmp and data_dir there).

# ---- build: the shaded jar ----------------------------------------------------------------------------------
FROM maven:3.9-eclipse-temurin-25 AS build
WORKDIR /src
COPY pom.xml ./
COPY conf conf
COPY server server
COPY client-sim client-sim
# The cache mount keeps ~/.m2 between builds (BuildKit), so only changed dependencies are downloaded again.
RUN --mount=type=cache,target=/root/.m2 mvn -q -B -ntp -DskipTests package \
    && test -f server/target/switchboard-server.jar

# ---- run ----------------------------------------------------------------------------------------------------
FROM eclipse-temurin:25-jre
RUN groupadd --system --gid 10001 switchboard \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin switchboard \
    && mkdir -p /app /var/lib/switchboard \
    && chown 10001:10001 /var/lib/switchboard
COPY --from=build /src/server/target/switchboard-server.jar /app/switchboard-server.jar
# The JVM flags (heap, GC, memory given back): the same file the README command uses (docs/operations.md)
COPY conf/jvm.options /app/jvm.options
WORKDIR /app
# numeric, so Kubernetes' runAsNonRoot can check it
USER 10001:10001
# 8000 HTTP and WebSocket, 5701 Hazelcast, 17001 clustered event bus
EXPOSE 8000 5701 17001
ENTRYPOINT ["java", "@/app/jvm.options", "-jar", "/app/switchboard-server.jar"]
