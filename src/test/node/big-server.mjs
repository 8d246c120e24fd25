#!/usr/bin/env node
// A tiny MCP server on the TS SDK 1.x (low-level Server + StdioServerTransport, so that no schema
// library beyond the SDK is needed) for the large-frame tests: tool `big` answers {"bytes": N}
// with one text content of exactly N UTF-8 bytes (see bigText), so that its answer frame is
// N bytes plus about 3% for JSON escapes (a quote pair and a line end per 107-byte line) plus the envelope.
// Usage: node big-server.mjs
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema, McpError, ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import { bigText } from './lib/big-frames.mjs';

const server = new Server({ name: 'mcp-policy-proxy-big-server', version: '1.0.0' }, { capabilities: { tools: {} } });
server.setRequestHandler(ListToolsRequestSchema, async () => ({
  tools: [{
    name: 'big',
    description: 'Returns a text of exactly `bytes` UTF-8 bytes.',
    inputSchema: { type: 'object', properties: { bytes: { type: 'integer', minimum: 0 } }, required: ['bytes'] },
  }],
}));
server.setRequestHandler(CallToolRequestSchema, async (request) => {
  const bytes = request.params.arguments?.bytes;
  if (request.params.name !== 'big' || !Number.isInteger(bytes) || bytes < 0) {
    throw new McpError(ErrorCode.InvalidParams, 'call big with {"bytes": N}, N a non-negative integer');
  }
  return { content: [{ type: 'text', text: bigText(bytes) }] };
});
await server.connect(new StdioServerTransport());
