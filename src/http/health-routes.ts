import { Router } from 'express';

export interface Readiness {
  /** Reasons the instance is not ready; empty when ready. */
  check(): Promise<string[]>;
  /** Facts an operator wants beside the verdict (which Redis, its role); shown by /readyz. */
  details?(): Record<string, unknown>;
}

/** /healthz: the process answers. /readyz: Redis answers and this instance's workers run. */
export function healthRoutes(readiness: Readiness): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const problems = await readiness.check();
    res
      .status(problems.length === 0 ? 200 : 503)
      .json({ status: problems.length === 0 ? 'ready' : 'not ready', problems, ...readiness.details?.() });
  });
  return router;
}
