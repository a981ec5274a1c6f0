import { Router, type Request } from 'express';
import type { OutboxStore } from '../channels/outbox/outbox-store.js';
import { outboxPageHtml } from '../channels/outbox/outbox-page.js';
import { pageHeaders } from '../lib/html-page.js';
import { HttpError } from './http-error.js';
import { fromSameOrigin, ourHostNames } from './same-origin.js';

const PAGE_ENTRIES = 50;

function refuseCrossOrigin(req: Request, ourHosts: ReadonlySet<string>): void {
  if (!fromSameOrigin(req, ourHosts))
    throw new HttpError(
      403,
      'cross_origin',
      'the outbox is cleared only from its own page or a non-browser client',
    );
}

/**
 * GET /outbox (the page), POST /outbox/clear (its Clear button), GET /api/outbox?limit=N (JSON,
 * newest first) and DELETE /api/outbox: the development and demo channel. Clearing is refused
 * from another site's page (see fromSameOrigin).
 * @example createApp({ logger, routers: [outboxRoutes(new OutboxStore(redis, 'alert-router'), 'http://localhost:8080')] })
 */
export function outboxRoutes(store: OutboxStore, publicUrl: string): Router {
  const router = Router();
  const ourHosts = ourHostNames(publicUrl);
  router.get('/api/outbox', async (req, res) => {
    const limit = Math.min(store.limit, Math.max(1, Math.trunc(Number(req.query.limit ?? 50)) || 50));
    res.json({ entries: await store.list(limit) });
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
