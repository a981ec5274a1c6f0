import { Router } from 'express';
import { HttpError } from './http-error.js';
import type { Metrics } from '../metrics/metrics.js';
import { deadmanStatus } from '../deadman/deadman-status.js';
import type { HeartbeatPolicy } from '../deadman/heartbeat-policy.js';
import type { HeartbeatStore } from '../deadman/heartbeat-store.js';

/**
 * GET /api/deadman: `{sources:[{name, lastHeartbeat, state, silentSince, graceSeconds}]}`.
 * 503 when Redis does not answer: the state lives only there.
 */
export function deadmanRoutes(store: HeartbeatStore, hb: HeartbeatPolicy, metrics?: Metrics): Router {
  const router = Router();
  router.get('/api/deadman', async (_req, res) => {
    let status;
    try {
      status = await deadmanStatus(store, hb, metrics);
    } catch (err) {
      throw new HttpError(503, 'redis_unavailable', 'heartbeat state is unavailable', {
        cause: err,
      });
    }
    res.json(status);
  });
  return router;
}
