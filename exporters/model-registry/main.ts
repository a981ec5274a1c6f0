/**
 * Runs the model-registry exporter. Settings (MLflow's own variable names):
 *   MLFLOW_TRACKING_URI        the registry (default http://127.0.0.1:5000)
 *   MLFLOW_TRACKING_TOKEN      bearer token, or MLFLOW_TRACKING_USERNAME / MLFLOW_TRACKING_PASSWORD
 *                              (the token and password also as *_FILE)
 *   PRODUCTION_ALIASES         aliases that mean "in production" (default production,champion)
 *   EXPORTER_PORT / EXPORTER_HOST  where to listen (default 9102 on 127.0.0.1)
 */
import { settingOrFile } from '../lib/env.js';
import { portFrom } from '../../src/lib/listen.js';
import { runExporter } from '../lib/serve-metrics.js';
import { startModelRegistryExporter } from './exporter.js';

const env = process.env;
runExporter('model-registry-exporter', () =>
  startModelRegistryExporter({
    port: portFrom(env, 'EXPORTER_PORT', 9102),
    host: env.EXPORTER_HOST ?? '127.0.0.1',
    trackingUri: env.MLFLOW_TRACKING_URI ?? 'http://127.0.0.1:5000',
    auth: {
      token: settingOrFile(env, 'MLFLOW_TRACKING_TOKEN'),
      username: env.MLFLOW_TRACKING_USERNAME,
      password: settingOrFile(env, 'MLFLOW_TRACKING_PASSWORD'),
    },
    productionAliases: (env.PRODUCTION_ALIASES ?? 'production,champion')
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean),
  }),
);
