// A stand-in Prometheus for bench/ingest-during-storm.ts: every query answers an empty result after
// a few milliseconds, so the workers do the whole enrichment round trip (plan, request, parse)
// without a real TSDB. Forked by the bench, its own process keeps its CPU out of the bench's
// timing; it reports its port over IPC and counts the queries it served.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const DELAY_MS = Number(process.env.EMPTY_PROMETHEUS_DELAY_MS ?? 5);
let served = 0;

const answers: Record<string, unknown> = {
  '/api/v1/query': { resultType: 'vector', result: [] },
  '/api/v1/query_range': { resultType: 'matrix', result: [] },
  '/api/v1/rules': { groups: [] },
};

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/served') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ served }));
      return;
    }
    const data = answers[path];
    setTimeout(() => {
      if (data === undefined) {
        res.writeHead(404).end();
        return;
      }
      served++;
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ status: 'success', data }));
    }, DELAY_MS);
  });
});
server.listen(0, '127.0.0.1', () => {
  process.send?.({ port: (server.address() as AddressInfo).port });
});
// The bench going away (or killing it) is the only way this ends.
process.on('disconnect', () => process.exit(0));
