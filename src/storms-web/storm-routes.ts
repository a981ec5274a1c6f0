import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { Router, type ErrorRequestHandler, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { StormReader } from '../channels/slack/storm-types.js';
import { pageHeaders } from '../lib/html-page.js';
import { parseSort, parseStatus, stormJson } from './storm-page-data.js';
import { stormIndexHtml, stormNotFoundHtml, stormPageHtml, stormUnavailableHtml } from './storm-pages.js';

export interface StormRouteDeps {
  readonly reader: StormReader;
  readonly logger: Logger;
}

/** Storm ids as the store makes them (StormView.id); anything else is never looked up. */
const STORM_ID = /^[a-z0-9][a-z0-9-]{0,120}$/;
const RECENT = 50;
const UNAVAILABLE = Symbol('unavailable');
type Unavailable = typeof UNAVAILABLE;

/** `Accept: application/json`, or `?format=json` for a link or a browser address bar. */
const wantsJson = (req: Request): boolean =>
  req.query.format === 'json' || req.accepts(['html', 'json']) === 'json';

const gzipAsync = promisify(gzip);

/**
 * A thousand-group storm is about 750 kB of HTML, 25 kB gzipped: on a phone's connection during
 * an incident that is seconds. The app has no compression middleware, so the big answers of these
 * routes compress themselves.
 */
async function send(req: Request, res: Response, type: 'html' | 'json', body: string): Promise<void> {
  res.type(type).vary('Accept-Encoding');
  if (body.length < 16_384 || !req.acceptsEncodings('gzip')) res.send(body);
  else res.set('content-encoding', 'gzip').send(await gzipAsync(body));
}

function notFound(req: Request, res: Response, id: string): void {
  res.status(404);
  if (wantsJson(req)) res.json({ error: 'not_found', message: 'no such storm' });
  else res.type('html').send(stormNotFoundHtml(id));
}

/**
 * GET /storms (the recent storms, newest first) and GET /storms/:id (every group of one storm,
 * `?sort=severity|status|since|name`, `?status=all|firing|resolved`). HTML by default, JSON for
 * `Accept: application/json` or `?format=json`. The pages show label values anyone can set, so
 * they carry the shared CSP (no script at all) and everything in them is escaped.
 * @example createApp({ logger, routers: [stormRoutes({ reader, logger })] })
 */
export function stormRoutes(deps: StormRouteDeps): Router {
  const router = Router();
  router.use('/storms', (_req, res, next) => {
    res.set(pageHeaders()).set('vary', 'Accept');
    next();
  });

  /**
   * The reader's answer, or UNAVAILABLE once a 503 was sent: a store that does not answer (Redis
   * down) gets a page a person can read, not the generic 500 JSON.
   */
  async function read<T>(
    req: Request,
    res: Response,
    what: string,
    load: () => Promise<T>,
  ): Promise<T | Unavailable> {
    try {
      return await load();
    } catch (err) {
      deps.logger.warn({ err, storm: what }, 'storm store unavailable');
      res.status(503).set('retry-after', '5');
      if (wantsJson(req))
        res.json({ error: 'storms_unavailable', message: 'the storm store did not answer' });
      else res.type('html').send(stormUnavailableHtml());
      return UNAVAILABLE;
    }
  }

  router.get(['/storms', '/storms/'], async (req, res) => {
    const storms = await read(req, res, 'recent', () => deps.reader.recent(RECENT));
    if (storms === UNAVAILABLE) return;
    if (wantsJson(req)) res.json({ storms });
    else res.type('html').send(stormIndexHtml(storms, Date.now()));
  });

  router.get('/storms/:id', async (req, res) => {
    const id = req.params.id;
    if (!STORM_ID.test(id)) {
      notFound(req, res, id);
      return;
    }
    const view = await read(req, res, id, () => deps.reader.storm(id));
    if (view === UNAVAILABLE) return;
    if (!view) {
      notFound(req, res, id);
      return;
    }
    const [sort, status] = [parseSort(req.query.sort), parseStatus(req.query.status)];
    if (wantsJson(req)) await send(req, res, 'json', JSON.stringify(stormJson(view)));
    else await send(req, res, 'html', stormPageHtml(view, { sort, status, now: Date.now() }));
  });

  // Anything deeper (`/storms/a/b`) is never a storm.
  router.get('/storms/*rest', (req, res) => notFound(req, res, req.path.slice('/storms/'.length)));
  // A malformed percent-encoding (`%E0%A4%A`) fails in express's param decoding: still a 404.
  const badParam: ErrorRequestHandler = (err, req, res, next) => {
    if (err instanceof URIError) notFound(req, res, '');
    else next(err);
  };
  router.use('/storms', badParam);
  return router;
}
