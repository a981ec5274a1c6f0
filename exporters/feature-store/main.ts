/**
 * Runs the feature-store exporter. Settings:
 *   FEATURE_STORE_DATABASE_URL  libpq URL (default postgresql://postgres@127.0.0.1:5432/postgres),
 *                               or FEATURE_STORE_DATABASE_URL_FILE naming a file that holds it
 *   FEATURE_STORE_SCHEMA        schema holding the tables (default feature_store)
 *   EXPORTER_PORT / EXPORTER_HOST  where to listen (default 9101 on 127.0.0.1)
 */
import { settingOrFile } from '../lib/env.js';
import { portFrom } from '../../src/lib/listen.js';
import { runExporter } from '../lib/serve-metrics.js';
import { startFeatureStoreExporter } from './exporter.js';

runExporter('feature-store-exporter', () =>
  startFeatureStoreExporter({
    port: portFrom(process.env, 'EXPORTER_PORT', 9101),
    host: process.env.EXPORTER_HOST ?? '127.0.0.1',
    databaseUrl:
      settingOrFile(process.env, 'FEATURE_STORE_DATABASE_URL') ??
      'postgresql://postgres@127.0.0.1:5432/postgres',
    schema: process.env.FEATURE_STORE_SCHEMA ?? 'feature_store',
  }),
);
