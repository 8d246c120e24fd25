"""A trivial MCP 'server' that answers every request at once: isolates the proxy's own start-up."""
import json
import sys

for line in sys.stdin:
    message = json.loads(line)
    if "id" in message:
        sys.stdout.write(json.dumps({"jsonrpc": "2.0", "id": message["id"], "result": {
            "protocolVersion": "2025-06-18", "capabilities": {},
            "serverInfo": {"name": "fast", "version": "1"}}}) + "\n")
        sys.stdout.flush()
