// Runs the MCP server on this process's stdin/stdout until the client goes away (stdin ends,
// stdout breaks, or SIGINT/SIGTERM). Diagnostics go to stderr only.
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { withCodedToolErrors } from './coded-errors.js';
import { createAgentmuxMcp, type McpHostOptions } from './server.js';

/** Serves MCP over stdio; resolves with the exit code once the client has gone. */
export async function serveMcpStdio(options: McpHostOptions): Promise<number> {
  const host = createAgentmuxMcp(options);
  const transport = withCodedToolErrors(new StdioServerTransport());
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    host
      .close()
      .catch(() => undefined)
      .finally(finish);
  };
  const onSignal = (): void => stop();
  process.stdin.once('end', stop);
  process.stdin.once('close', stop);
  // A client that died leaves a broken pipe; writing to it must end the server, not crash it.
  process.stdout.on('error', stop);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  host.mcp.server.onclose = stop;
  try {
    await host.mcp.connect(transport);
    host.warmUp();
    await finished;
  } finally {
    process.stdin.off('end', stop);
    process.stdin.off('close', stop);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return 0;
}
