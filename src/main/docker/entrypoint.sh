#!/bin/sh
# The image's entry point: the launcher's promise in a container. The JVM runs with the client's
# stdout on descriptor 3, which only the proxy's frame writer uses, and descriptor 1 on stderr, so
# nothing the JVM prints by itself reaches the protocol channel. The class-data archive was made
# when the image was built. MCP_POLICY_PROXY_JAVA_OPTS adds JVM options (split at spaces).
set -eu
set -f
exec /opt/java/bin/java -XX:+DisplayVMOutputToStderr -Xlog:disable -Xlog:all=warning:stderr \
  -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:SharedArchiveFile=/app/mcp-policy-proxy.jsa \
  -Dmcp-policy-proxy.protocol-fd=3 ${MCP_POLICY_PROXY_JAVA_OPTS:-} \
  -jar /app/mcp-policy-proxy.jar "$@" 3>&1 1>&2
