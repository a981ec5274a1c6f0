/**
 * The ML-platform demo the seed's exporters watch: a model registry speaking the MLflow REST
 * subset (port 5000, MLflow's default), a feature pipeline writing the PostgreSQL feature store,
 * and the faults `npm run demo:fault` injects into them (stale feature view, hot GPU, database
 * pool exhaustion, a slow query).
 *
 *   ML_DEMO_PORT=5000 FEATURE_STORE_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \
 *     GPU_QUERY_FILE=.run/gpu/nvidia-smi.csv node --import tsx demo/ml-platform.ts
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { pathToFileURL } from 'node:url';
import { settingOrFile } from '../exporters/lib/env.js';
import { listen, portFrom, runProgram } from '../src/lib/listen.js';
import { FeatureWorkload } from './feature-workload.js';
import { clearGpuFault, writeGpuFault, type GpuFault } from './gpu-fault.js';
import { countDownloads, demoModels, mlflowRoutes } from './mlflow-registry.js';
import { MlFaultError, parseMlFault } from './ml-platform-faults.js';
import { PgFaults } from './pg-faults.js';

export interface MlPlatformOptions {
  port: number;
  host?: string;
  databaseUrl: string;
  schema?: string;
  /** Where the GPU fault writes nvidia-smi output; unset: no GPU fault. */
  gpuQueryFile?: string;
  materializeIntervalMs?: number;
  views?: ReadonlyArray<{ name: string; entity: string; ttlSeconds: number }>;
}

export interface RunningMlPlatform {
  url: string;
  workload: FeatureWorkload;
  stop(): Promise<void>;
}

/** @example const demo = await startMlPlatform({ port: 0, databaseUrl }); await fetch(`${demo.url}/fault`); */
export async function startMlPlatform(options: MlPlatformOptions): Promise<RunningMlPlatform> {
  const models = demoModels();
  const workload = new FeatureWorkload({
    databaseUrl: options.databaseUrl,
    schema: options.schema,
    intervalMs: options.materializeIntervalMs,
    views: options.views,
  });
  const pgFaults = new PgFaults(options.databaseUrl);
  let gpu: GpuFault = {};
  // Never throws: a PostgreSQL that comes up after us is found by a later tick.
  await workload.start();
  const downloads = setInterval(() => countDownloads(models), 15_000);

  const view = (): Record<string, unknown> => ({
    staleFeatureViews: workload.staleViews(),
    gpu: options.gpuQueryFile
      ? {
          gpuTemperature: gpu.temperatureC,
          gpuMemoryUsedRatio: gpu.memoryUsedRatio,
          queryFile: options.gpuQueryFile,
        }
      : 'no GPU_QUERY_FILE: GPU faults off',
    database: pgFaults.view(),
    featureStoreError: workload.lastError ?? null,
  });

  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '4kb' }));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use(mlflowRoutes(models));
  app.get('/fault', (_req, res) => {
    res.json(view());
  });
  app.post('/fault', async (req, res) => {
    const fault = parseMlFault(req.body, workload.viewNames());
    if (
      (fault.gpuTemperature !== undefined || fault.gpuMemoryUsedRatio !== undefined) &&
      !options.gpuQueryFile
    )
      throw new MlFaultError(['this demo has no GPU_QUERY_FILE: it runs against a real nvidia-smi']);
    if (fault.staleFeatureView) await workload.makeStale(fault.staleFeatureView);
    if (fault.gpuTemperature !== undefined || fault.gpuMemoryUsedRatio !== undefined) {
      // A second GPU fault adds to the first (hot, then also full).
      gpu = {
        temperatureC: fault.gpuTemperature ?? gpu.temperatureC,
        memoryUsedRatio: fault.gpuMemoryUsedRatio ?? gpu.memoryUsedRatio,
      };
      await writeGpuFault(options.gpuQueryFile!, gpu);
    }
    if (fault.dbPoolExhaustion) await pgFaults.exhaustPool();
    if (fault.slowQuery) await pgFaults.startSlowQuery();
    res.json(view());
  });
  app.delete('/fault', async (_req, res) => {
    await workload.clearStale();
    await pgFaults.clear();
    gpu = {};
    if (options.gpuQueryFile) await clearGpuFault(options.gpuQueryFile);
    res.json(view());
  });
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof MlFaultError) {
      res.status(400).json({ error: err.message, problems: err.problems });
      return;
    }
    const status = typeof err === 'object' && err !== null && 'status' in err ? Number(err.status) : 500;
    res
      .status(status >= 400 && status < 600 ? status : 500)
      .json({ error: (err as Error).message ?? String(err) });
  });

  const served = await listen(app, options);
  return {
    url: served.url,
    workload,
    stop: async () => {
      clearInterval(downloads);
      await served.close();
      await pgFaults.clear();
      if (options.gpuQueryFile) await clearGpuFault(options.gpuQueryFile);
      await workload.stop();
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runProgram(
    'ml-platform demo',
    () =>
      startMlPlatform({
        port: portFrom(process.env, 'ML_DEMO_PORT', 5000),
        host: process.env.ML_DEMO_HOST ?? '127.0.0.1',
        databaseUrl:
          settingOrFile(process.env, 'FEATURE_STORE_DATABASE_URL') ??
          'postgresql://postgres@127.0.0.1:5432/postgres',
        schema: process.env.FEATURE_STORE_SCHEMA ?? 'feature_store',
        gpuQueryFile: process.env.GPU_QUERY_FILE || undefined,
      }),
    (demo) => demo.stop(),
    (url) => `ml-platform demo on ${url} (MLflow API: ${url}/api/2.0/mlflow/, faults: ${url}/fault)`,
  );
}
