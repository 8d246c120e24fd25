#!/bin/sh
# The image's entry point: the launcher's promise in a container. The JVM runs with the client's
# stdout on descriptor 3, which only the proxy's frame writer uses, and descriptor 1 on stderr, so
# nothing the JVM prints by itself reaches the protocol channel. The class-data archive was made
# when the image was built. MCP_POLICY_PROXY_JAVA_OPTS adds JVM options (split at spaces).
# (MCP_POLICY_PROXY_JAVA and MCP_POLICY_PROXY_APP exist for LauncherIT, which runs this script
# outside the image.)
set -eu
set -f
java="${MCP_POLICY_PROXY_JAVA:-/opt/java/bin/java}"
app="${MCP_POLICY_PROXY_APP:-/app}"
exec "$java" -XX:+DisplayVMOutputToStderr -Xlog:disable -Xlog:all=warning:stderr \
  -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmn4m -XX:SharedArchiveFile="$app/mcp-policy-proxy.jsa" \
  -Dmcp-policy-proxy.protocol-fd=3 ${MCP_POLICY_PROXY_JAVA_OPTS:-} \
  -jar "$app/mcp-policy-proxy.jar" "$@" 3>&1 1>&2
