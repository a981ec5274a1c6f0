// alert-router with ROLE=api for the ingest benchmark: nothing consumes the queue, so every
// accepted notification stays in Redis and can be counted.
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/load-config.js';
import { createLogger } from '../src/lib/logger.js';
import { startAlertRouter } from '../src/runtime/start-alert-router.js';

const path = join(tmpdir(), `ar-bench-${process.pid}.yml`);
writeFileSync(path, 'channels: { outbox: { type: outbox } }\ndefaultChannels: [outbox]\n');
const config = loadConfig({
  ...process.env,
  ROLE: 'api',
  ALERT_ROUTER_CONFIG: path,
  WEBHOOK_BEARER_TOKEN: 'bench-token',
});
const running = await startAlertRouter(config, { logger: createLogger('error'), port: 0 });
process.send?.({ port: Number(new URL(running.url).port) });
