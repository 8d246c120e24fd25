#!/usr/bin/env node
// A stdio MCP server on the TypeScript SDK v2 (@modelcontextprotocol/server 2.x), which serves
// protocol 2026-07-28 (server/discover, per-request _meta envelope, multi round-trip input) and,
// through serveStdio's legacy path, the 2025 revisions from the same factory.
// Tools: echo, slow (progress notifications), confirm (input-required elicitation on 2026-07-28,
// a server-to-client elicitation/create on 2025 revisions), ping-client (2025 revisions only:
// a server-to-client ping).
import { McpServer, inputRequired, acceptedContent } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { z } from 'zod';

function createServer() {
  const server = new McpServer(
    { name: 'mcp-policy-proxy-v2-server', version: '1.0.0' },
    { capabilities: { tools: {}, logging: {} } },
  );

  server.registerTool('echo', {
    description: 'Echoes back the message',
    inputSchema: z.object({ message: z.string() }),
  }, async ({ message }) => ({ content: [{ type: 'text', text: `Echo: ${message}` }] }));

  server.registerTool('slow', {
    description: 'Sends `steps` progress notifications, `delayMs` apart, then answers',
    inputSchema: z.object({ steps: z.number().int().min(1).max(20), delayMs: z.number().int().min(0).max(2000) }),
  }, async ({ steps, delayMs }, ctx) => {
    const progressToken = ctx.mcpReq._meta?.progressToken;
    for (let i = 1; i <= steps; i++) {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (ctx.mcpReq.signal.aborted) break;
      if (progressToken !== undefined) {
        await ctx.mcpReq.notify({ method: 'notifications/progress', params: { progressToken, progress: i, total: steps, message: `step ${i} ✓` } });
      }
    }
    return { content: [{ type: 'text', text: `done after ${steps} steps` }] };
  });

  const Confirmation = z.object({ confirm: z.boolean(), who: z.string() });
  server.registerTool('confirm', {
    description: 'Asks the user to confirm an action',
    inputSchema: z.object({ action: z.string() }),
  }, async ({ action }, ctx) => {
    const modern = ctx.mcpReq.envelope !== undefined;
    if (!modern) {
      const answer = await ctx.mcpReq.elicitInput({
        message: `Confirm ${action}?`,
        requestedSchema: { type: 'object', properties: { confirm: { type: 'boolean' }, who: { type: 'string' } }, required: ['confirm', 'who'] },
      });
      return { content: [{ type: 'text', text: `${action}: ${JSON.stringify(answer)}` }] };
    }
    const confirmed = acceptedContent(ctx.mcpReq.inputResponses, 'confirm', Confirmation);
    if (!confirmed) {
      return inputRequired({
        inputRequests: { confirm: inputRequired.elicit({ message: `Confirm ${action}?`, requestedSchema: Confirmation }) },
        requestState: `state-for-${action}`,
      });
    }
    return { content: [{ type: 'text', text: `${action}: confirmed=${confirmed.confirm} by ${confirmed.who} (state ${ctx.mcpReq.requestState()})` }] };
  });

  server.registerTool('ping-client', {
    description: 'Pings the client (2025 revisions only)',
    inputSchema: z.object({}),
  }, async (_args, ctx) => {
    const result = await ctx.mcpReq.send({ method: 'ping' });
    return { content: [{ type: 'text', text: `client answered ping: ${JSON.stringify(result)}` }] };
  });

  return server;
}

serveStdio(createServer, { onerror: (e) => console.error(`v2-server: ${e.message}`) });
