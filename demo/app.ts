import express, { type NextFunction, type Request, type Response } from 'express';
import { setTimeout as sleep } from 'node:timers/promises';
import { FaultValidationError, type FaultState, parseFaultRequest } from './fault-state.js';
import type { DemoMetrics } from './metrics.js';
import { recordRequest, simulateRequest } from './simulate.js';

export interface DemoDeps {
  metrics: DemoMetrics;
  faults: FaultState;
}

/**
 * The demo's HTTP surface, returned without listening so tests can bind it to port 0.
 *
 * @example createDemoApp(deps).listen(8000)
 */
export function createDemoApp({ metrics, faults }: DemoDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '16kb' }));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  app.get('/fault', (_req, res) => {
    res.json(faults.view());
  });

  app.post('/fault', (req, res) => {
    const { durationSeconds, ...fault } = parseFaultRequest(req.body);
    res.json(faults.set(fault, durationSeconds));
  });

  app.delete('/fault', (_req, res) => {
    res.json(faults.clear());
  });

  // A real endpoint on top of the synthetic traffic, so the load test measures something that
  // obeys injected faults (including really waiting out injected latency).
  app.post('/predict', async (_req, res) => {
    const request = simulateRequest(faults.current());
    await sleep(request.latencySeconds * 1000);
    recordRequest(metrics, request);
    res.status(request.statusCode).json({ model: request.model, confidence: request.confidence });
  });

  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof FaultValidationError) {
      res.status(400).json({ error: err.message, problems: err.problems });
      return;
    }
    // body-parser marks malformed JSON with a 4xx status; anything else is our bug.
    const status = typeof err === 'object' && err !== null && 'status' in err ? Number(err.status) : 500;
    res.status(status >= 400 && status < 600 ? status : 500).json({ error: String(err) });
  });

  return app;
}
