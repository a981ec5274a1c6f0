import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A transparent proxy in front of Prometheus that records every request body (the query
 * Prometheus actually received) and counts them.
 */
export async function startCountingProxy(upstream: string): Promise<{
  url: string;
  readonly requests: Array<{ path: string; query: string }>;
  reset(): void;
  close(): Promise<void>;
}> {
  const requests: Array<{ path: string; query: string }> = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const path = req.url ?? '/';
    requests.push({
      path: path.split('?')[0]!,
      query: new URLSearchParams(body.toString()).get('query') ?? '',
    });
    try {
      const up = await fetch(`${upstream}${path}`, {
        method: req.method ?? 'GET',
        headers: { 'content-type': req.headers['content-type'] ?? 'application/x-www-form-urlencoded' },
        ...(req.method === 'POST' ? { body } : {}),
      });
      const text = Buffer.from(await up.arrayBuffer());
      res
        .writeHead(up.status, { 'content-type': up.headers.get('content-type') ?? 'application/json' })
        .end(text);
    } catch {
      res.writeHead(502).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    reset: () => requests.splice(0),
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
