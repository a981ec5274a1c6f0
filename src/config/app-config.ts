import type { FileConfig } from './config-schema.js';

export type Role = 'all' | 'api' | 'worker';

/** Everything the service needs, parsed once at start-up and frozen. Secrets live here, never in jobs. */
export interface AppConfig {
  readonly port: number;
  readonly role: Role;
  readonly redisUrl: string;
  readonly queuePrefix: string;
  readonly publicUrl: string;
  readonly prometheusUrl: string | undefined;
  readonly alertmanagerUrl: string | undefined;
  /** Grafana for the dashboards runbooks name by uid; without it no dashboard is linked. */
  readonly grafanaUrl: string | undefined;
  readonly runbooksDir: string;
  readonly webhookAuth: {
    readonly bearerToken?: string;
    readonly basic?: { user: string; password: string };
  };
  readonly slack: { readonly token: string | undefined; readonly apiUrl: string };
  readonly pagerduty: { readonly eventsUrl: string; readonly routingKeys: Readonly<Record<string, string>> };
  readonly email: { readonly smtpUrl: string | undefined; readonly from: string | undefined };
  readonly file: FileConfig;
}
