# mcp-policy-proxy as a container image: an MCP server command for any client
# (`docker run -i --rm ...`), or a sidecar beside an agent (docker-compose.example.yml).
#
#   docker build -t mcp-policy-proxy .
#   docker run -i --rm \
#     -v "$PWD/config/aws-api-mcp-server.policy.json:/policy/policy.json:ro" \
#     -v mcp-policy-proxy-logs:/logs -v mcp-policy-proxy-cache:/home/proxy/.cache \
#     -v "$HOME/.aws:/home/proxy/.aws:ro" -e AWS_REGION=us-east-1 -e AWS_API_MCP_PROFILE_NAME=default \
#     mcp-policy-proxy
#
# Mounted paths: /policy/policy.json (the policy, read-only), /logs (the violation log), /state
# (anything the proxy keeps between runs), /home/proxy/.cache (uv's downloads, so that the upstream
# is not fetched again on every start). The environment (AWS_*, ...) is passed to the upstream.

# --- 1. build the jar (JDK 17, the project's level) and the trimmed runtime ---------------------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY config ./config
COPY src/main ./src/main
RUN MAVEN_OPTS=-Djansi.noreset=true mvn -B -q --no-transfer-progress -Dstyle.color=never \
      -DskipTests -DskipNode -Dcds.skip package
# The same script `mvn -Pjlink verify` runs here before testing on its output.
RUN sh src/main/docker/make-runtime.sh target/mcp-policy-proxy.jar /opt/java "$JAVA_HOME"

# --- 2. the image: the runtime, the jar, uv; no JDK, no Maven, not root -------------------------
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates socat \
 && rm -rf /var/lib/apt/lists/*
# uv and uvx (the default upstream is `uvx awslabs.aws-api-mcp-server@latest`; also
# `uvx mcp-proxy-for-aws@latest ...`), from uv's official image.
COPY --from=ghcr.io/astral-sh/uv:latest /uv /uvx /usr/local/bin/
COPY --from=build /opt/java /opt/java
COPY --from=build /src/target/mcp-policy-proxy.jar /app/mcp-policy-proxy.jar
COPY --from=build /src/config /app/config
COPY src/main/docker/entrypoint.sh /usr/local/bin/mcp-policy-proxy
# The class-data archive (static AppCDS) of the classes a real session loads, for this runtime and
# this jar path, in the two steps of `mvn package` and the launcher: ArchiveTraining lists them (the
# proxy with the bundled policy, its stand-in as the upstream, a client's first frames), then
# -Xshare:dump archives them.
RUN /opt/java/bin/java -XX:DumpLoadedClassList=/tmp/proxy.classlist -XX:TieredStopAtLevel=1 \
      -XX:+UseSerialGC -Xlog:disable -cp /app/mcp-policy-proxy.jar \
      io.github.mcppolicyproxy.cli.ArchiveTraining --policy /app/config/aws-api-mcp-server.policy.json \
      --violation-log - -- mcp-policy-proxy stand-in </dev/null >/dev/null 2>&1 \
 && /opt/java/bin/java -Xshare:dump -XX:SharedClassListFile=/tmp/proxy.classlist \
      -XX:SharedArchiveFile=/app/mcp-policy-proxy.jsa -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
      -Xlog:disable -cp /app/mcp-policy-proxy.jar >/dev/null 2>&1 \
 && rm -f /tmp/proxy.classlist \
 && chmod 0444 /app/mcp-policy-proxy.jsa
RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin proxy \
 && mkdir -p /policy /logs /state /home/proxy/.cache \
 && cp /app/config/aws-api-mcp-server.policy.json /policy/policy.json \
 && chown -R proxy:proxy /logs /state /home/proxy
USER proxy
ENV HOME=/home/proxy \
    MCP_POLICY_PROXY_STATE=/state/state.db \
    UV_PYTHON_PREFERENCE=only-managed \
    AWS_REGION=us-east-1
VOLUME ["/logs", "/state"]
ENTRYPOINT ["/usr/local/bin/mcp-policy-proxy"]
CMD ["--policy", "/policy/policy.json", "--violation-log", "/logs/violations.jsonl", \
     "--", "uvx", "awslabs.aws-api-mcp-server@latest"]
