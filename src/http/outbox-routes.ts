import { Router } from 'express';
import type { OutboxStore } from '../channels/outbox/outbox-store.js';
import { escapeHtml } from '../lib/html-escape.js';

const page = (body: string): string => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>alert-router outbox</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:auto;padding:1rem;background:#111;color:#eee}
article{border:1px solid #444;border-radius:8px;padding:.5rem 1rem;margin:1rem 0}.firing{border-left:6px solid #e53935}
.resolved{border-left:6px solid #43a047}pre{white-space:pre-wrap;overflow-wrap:anywhere;font-size:14px}h2{overflow-wrap:anywhere}small{color:#aaa}</style></head>
<body><h1>Outbox</h1><p>What alert-router would have sent, newest first.</p>${body}</body></html>`;

/** GET /outbox (HTML) and GET /api/outbox (JSON): the development and demo channel. */
export function outboxRoutes(store: OutboxStore): Router {
  const router = Router();
  router.get('/api/outbox', async (req, res) => {
    const limit = Math.min(200, Math.max(1, Number(req.query.limit ?? 50) || 50));
    res.json({ entries: await store.list(limit) });
  });
  router.get('/outbox', async (_req, res) => {
    const entries = await store.list(50);
    const body =
      entries.length === 0
        ? '<p>Empty: nothing has been delivered to the outbox yet.</p>'
        : entries
            .map(
              (
                e,
              ) => `<article class="${e.status === 'resolved' ? 'resolved' : 'firing'}"><h2>${escapeHtml(e.rendered.email.subject)}</h2>
<small>${escapeHtml(e.at)} · channel ${escapeHtml(e.channel)} · ${e.alerts} alert(s)</small><pre>${escapeHtml(e.rendered.email.text)}</pre></article>`,
            )
            .join('\n');
    res.setHeader('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'");
    res.type('html').send(page(body));
  });
  return router;
}
