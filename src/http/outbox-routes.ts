import { Router, type Request } from 'express';
import type { OutboxStore } from '../channels/outbox/outbox-store.js';
import { outboxPageHtml } from '../channels/outbox/outbox-page.js';
import { pageHeaders } from '../lib/html-page.js';
import { HttpError } from './http-error.js';
import { fromSameOrigin, ourHostNames } from './same-origin.js';

const PAGE_ENTRIES = 50;
/** Entries per GET /api/outbox at most; `offset` (and the answer's `next`) pages through the rest. */
const API_PAGE_MAX = 50;
/** Entries read from Redis and written out per step. */
const CHUNK = 5;

function refuseCrossOrigin(req: Request, ourHosts: ReadonlySet<string>): void {
  if (!fromSameOrigin(req, ourHosts))
    throw new HttpError(
      403,
      'cross_origin',
      'the outbox is cleared only from its own page or a non-browser client',
    );
}

/**
 * GET /outbox (the page), POST /outbox/clear (its Clear button), GET /api/outbox?limit=N&offset=M
 * (JSON, newest first, at most 50 per page, `next` for the following page) and DELETE /api/outbox: the development and demo channel. Clearing is refused
 * from another site's page (see fromSameOrigin).
 * @example createApp({ logger, routers: [outboxRoutes(new OutboxStore(redis, 'alert-router'), 'http://localhost:8080')] })
 */
export function outboxRoutes(store: OutboxStore, publicUrl: string): Router {
  const router = Router();
  const ourHosts = ourHostNames(publicUrl);
  router.get('/api/outbox', async (req, res) => {
    const limit = Math.min(
      API_PAGE_MAX,
      Math.max(1, Math.trunc(Number(req.query.limit ?? API_PAGE_MAX)) || API_PAGE_MAX),
    );
    const offset = Math.max(0, Math.trunc(Number(req.query.offset ?? 0)) || 0);
    const total = await store.size();
    // Streamed a few entries at a time, as stored: an entry can be megabytes (a large group's
    // rendered forms), and reading, parsing and serialising a whole page at once held Redis and the
    // event loop long enough for a webhook meanwhile to time out (503).
    res.type('json').write('{"entries":[');
    for (let i = 0; i < limit; i += CHUNK) {
      const rows = await store.rawRange(offset + i, Math.min(CHUNK, limit - i));
      if (rows.length === 0) break;
      const ok = res.write(`${i > 0 ? ',' : ''}${rows.join(',')}`);
      if (!ok) await new Promise((resolve) => res.once('drain', resolve));
      if (rows.length < CHUNK) break;
    }
    const next = offset + limit < Math.min(total, store.limit) ? offset + limit : null;
    res.end(`],"total":${total},"next":${next === null ? 'null' : next}}`);
  });
  router.delete('/api/outbox', async (req, res) => {
    refuseCrossOrigin(req, ourHosts);
    res.json({ cleared: await store.clear() });
  });
  router.post('/outbox/clear', async (req, res) => {
    refuseCrossOrigin(req, ourHosts);
    await store.clear();
    // Post/redirect/get: reloading the page afterwards does not post again.
    res.redirect(303, '/outbox');
  });
  router.get('/outbox', async (_req, res) => {
    const [entries, total] = await Promise.all([store.list(PAGE_ENTRIES), store.size()]);
    res.set(pageHeaders("'self'")).type('html').send(outboxPageHtml(entries, total));
  });
  return router;
}
