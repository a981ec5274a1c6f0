import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { ManagedProcess, requireBinary } from './managed-process.js';

export const ALERTMANAGER_BIN = process.env.ALERTMANAGER_BIN ?? 'prometheus-alertmanager';

export interface PostedAlert {
  readonly labels: Record<string, string>;
  readonly annotations?: Record<string, string>;
  readonly startsAt?: string;
  readonly endsAt?: string;
  readonly generatorURL?: string;
}

export interface TestAlertmanager {
  readonly url: string;
  /** Its temp directory (config, storage, any files the config refers to). */
  readonly dir: string;
  readonly process: ManagedProcess;
  /** POST /api/v2/alerts, as Prometheus does. */
  postAlerts(alerts: readonly PostedAlert[]): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The Debian `prometheus-alertmanager` on a free loopback port, clustering off, with the given
 * config (a function gets the temp dir, for credentials files). Fails, never skips, when the
 * binary is missing.
 * @example const am = await startAlertmanager('route: {receiver: x}\nreceivers: [{name: x}]\n')
 */
export async function startAlertmanager(
  config: string | ((dir: string) => string),
  flags: readonly string[] = [],
): Promise<TestAlertmanager> {
  requireBinary(ALERTMANAGER_BIN, 'prometheus-alertmanager');
  const dir = mkdtempSync(join(tmpdir(), 'ar-am-'));
  writeFileSync(join(dir, 'alertmanager.yml'), typeof config === 'string' ? config : config(dir));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc = new ManagedProcess('alertmanager', ALERTMANAGER_BIN, [
    `--config.file=${join(dir, 'alertmanager.yml')}`,
    `--storage.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--cluster.listen-address=',
    '--log.level=warn',
    ...flags,
  ]);
  proc.start();
  try {
    await proc.ready(`${url}/-/ready`);
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return {
    url,
    dir,
    process: proc,
    async postAlerts(alerts) {
      const res = await fetch(`${url}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(alerts),
      });
      if (!res.ok) throw new Error(`alertmanager refused alerts: ${res.status} ${await res.text()}`);
    },
    stop: () => proc.stop(),
  };
}
