import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { onPort } from './free-port.js';
import { ManagedProcess } from './managed-process.js';
import { requireBinary } from './require-binary.js';

export const ALERTMANAGER_BIN = process.env.ALERTMANAGER_BIN ?? 'prometheus-alertmanager';

/**
 * A config (for startAlertmanager) that notifies alert-router's webhook as the stack does, Bearer
 * token from a file in Alertmanager's directory, grouped by alertname and service, flushed every
 * second so a test sees each change within about a second.
 * @example await startAlertmanager(routerWebhookConfig(`${router.url}/webhook/alertmanager`, token))
 */
export function routerWebhookConfig(webhookUrl: string, token: string): (dir: string) => string {
  return (dir) => {
    writeFileSync(join(dir, 'token'), `${token}\n`);
    return stringify({
      route: {
        receiver: 'alert-router',
        group_by: ['alertname', 'service'],
        group_wait: '1s',
        group_interval: '1s',
        repeat_interval: '1h',
      },
      receivers: [
        {
          name: 'alert-router',
          webhook_configs: [
            {
              url: webhookUrl,
              send_resolved: true,
              http_config: { authorization: { type: 'Bearer', credentials_file: join(dir, 'token') } },
            },
          ],
        },
      ],
    });
  };
}

/** An alert as `POST /api/v2/alerts` takes it (what Prometheus sends). */
export interface PostedAlert {
  readonly labels: Record<string, string>;
  readonly annotations?: Record<string, string>;
  readonly startsAt?: string;
  readonly endsAt?: string;
  readonly generatorURL?: string;
}

export interface LocalAlertmanager {
  readonly url: string;
  /** Its temp directory (config, storage, any files the config refers to). */
  readonly dir: string;
  /** The process itself, to read its log or stop and start it again. */
  readonly process: ManagedProcess;
  /** POST /api/v2/alerts, as Prometheus does. */
  postAlerts(alerts: readonly PostedAlert[]): Promise<void>;
  /** Stops the process and removes its temp directory. */
  close(): Promise<void>;
}

/**
 * The Debian `prometheus-alertmanager` on a loopback port (a free one unless given), clustering
 * off, with the given config (a function gets the temp dir, for credentials files). Fails, never
 * skips, when the binary is missing.
 * @example const am = await startAlertmanager('route: {receiver: x}\nreceivers: [{name: x}]\n')
 */
export async function startAlertmanager(
  config: string | ((dir: string) => string),
  opts: { port?: number; flags?: readonly string[] } = {},
): Promise<LocalAlertmanager> {
  requireBinary(ALERTMANAGER_BIN, 'prometheus-alertmanager');
  const dir = mkdtempSync(join(tmpdir(), 'ar-am-'));
  let port: number;
  let proc: ManagedProcess;
  try {
    writeFileSync(join(dir, 'alertmanager.yml'), typeof config === 'string' ? config : config(dir));
    [port, proc] = await onPort(opts.port, async (p) => {
      const am = new ManagedProcess('alertmanager', ALERTMANAGER_BIN, [
        `--config.file=${join(dir, 'alertmanager.yml')}`,
        `--storage.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${p}`,
        // No gossip: a clustered Alertmanager waits for the cluster to settle before notifying.
        '--cluster.listen-address=',
        '--log.level=warn',
        ...(opts.flags ?? []),
      ]);
      await am.startReady(`http://127.0.0.1:${p}/-/ready`);
      return [p, am] as const;
    });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const url = `http://127.0.0.1:${port}`;
  const close = async (): Promise<void> => {
    await proc.stop();
    rmSync(dir, { recursive: true, force: true });
  };
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
    close,
  };
}
