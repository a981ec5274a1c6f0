import { Router, type ErrorRequestHandler, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { RunbookStore } from '../runbooks/runbook.js';
import { isSafeAlertName, resolveRunbookFile } from '../runbooks/runbook-path.js';
import { closestNames } from './closest-names.js';
import { indexData, runbookPageData, type PageDataDeps } from './runbook-page-data.js';
import { notFoundHtml, runbookIndexHtml, runbookPageHtml } from './runbook-pages.js';

export interface RunbookRouteDeps extends PageDataDeps {
  readonly store: RunbookStore;
  /** The directory runbooks are loaded from: every served runbook must still resolve inside it. */
  readonly runbooksDir: string;
  readonly logger: Logger;
}

/**
 * Runbook pages show label values anyone who can set a metric label controls, so the page allows
 * no script at all, inline styles only, no framing, no forms and no base rewriting
 * (https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Content-Security-Policy).
 */
export const RUNBOOK_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const wantsJson = (req: Request): boolean => req.accepts(['html', 'json']) === 'json';

function notFound(req: Request, res: Response, alert: string, store: RunbookStore): void {
  const known = store.list().flatMap((r) => r.alerts);
  const suggestions = isSafeAlertName(alert) ? closestNames(alert, known) : [];
  res.status(404);
  if (wantsJson(req)) res.json({ error: 'not_found', message: 'no runbook for this alert', suggestions });
  else res.type('html').send(notFoundHtml(alert, suggestions));
}

/**
 * GET /runbooks (index) and GET /runbooks/:alert (one runbook with firing instances and live
 * context). HTML by default, the same data as JSON for `Accept: application/json`.
 * @example createApp({ logger, routers: [runbookRoutes({ store, runbooksDir: 'runbooks', logger })] })
 */
export function runbookRoutes(deps: RunbookRouteDeps): Router {
  const router = Router();
  router.use('/runbooks', (_req, res, next) => {
    res.setHeader('content-security-policy', RUNBOOK_CSP);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    res.setHeader('cache-control', 'no-store');
    res.setHeader('vary', 'Accept');
    next();
  });

  router.get(['/runbooks', '/runbooks/'], async (req, res) => {
    const data = await indexData(deps);
    if (wantsJson(req)) res.json(data);
    else res.type('html').send(runbookIndexHtml(data));
  });

  router.get('/runbooks/:alert', async (req, res) => {
    const alert = req.params.alert;
    // The pattern rules out '..', '/', '\' and NUL (express has already decoded %2f, %2e, %00).
    const rb = isSafeAlertName(alert) ? deps.store.forAlert(alert) : undefined;
    // Re-check the backing file at request time: it may have been replaced by a symlink since
    // it was loaded.
    if (!rb || !(await resolveRunbookFile(deps.runbooksDir, rb.name))) {
      notFound(req, res, alert, deps.store);
      return;
    }
    const data = await runbookPageData(deps, alert, rb);
    if (wantsJson(req)) res.json(data);
    else res.type('html').send(runbookPageHtml(data));
  });

  // Anything deeper (`/runbooks/a/b`, unnormalised `..` segments) is never a runbook.
  router.get('/runbooks/*rest', (req, res) =>
    notFound(req, res, req.path.slice('/runbooks/'.length), deps.store),
  );
  // A malformed percent-encoding (`%E0%A4%A`) fails in express's param decoding: still a 404.
  const badParam: ErrorRequestHandler = (err, req, res, next) => {
    if (err instanceof URIError) notFound(req, res, '', deps.store);
    else next(err);
  };
  router.use('/runbooks', badParam);
  return router;
}
