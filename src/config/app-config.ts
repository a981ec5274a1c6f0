import type { FileConfig } from './config-schema.js';
import type { Credentials, ReadAccess } from './read-access.js';
import type { RedisSettings } from '../lib/redis-client.js';

export type Role = 'all' | 'api' | 'worker';

/** Everything the service needs, parsed once at start-up and frozen. Secrets live here, never in jobs. */
export interface AppConfig {
  readonly port: number;
  /** Listen address (HOST); undefined: every interface, Node's default. */
  readonly host: string | undefined;
  readonly role: Role;
  readonly redis: RedisSettings;
  /** Every key's prefix (QUEUE_PREFIX); on a Redis Cluster, one hash tag (`{alert-router}`). */
  readonly queuePrefix: string;
  readonly publicUrl: string;
  readonly prometheusUrl: string | undefined;
  /** The first of ALERTMANAGER_URL: the UI that links point at. */
  readonly alertmanagerUrl: string | undefined;
  /** Every Alertmanager of ALERTMANAGER_URL (comma-separated), tried in order for API calls. */
  readonly alertmanagerUrls: readonly string[];
  /** Grafana for the dashboards runbooks name by uid; without it no dashboard is linked. */
  readonly grafanaUrl: string | undefined;
  readonly runbooksDir: string;
  readonly webhookAuth: Credentials;
  /** Who may read the pages and APIs (READ_*, TRUSTED_PROXY_*); file.http.readAuth says what is required. */
  readonly readAccess: ReadAccess;
  readonly slack: {
    readonly token: string | undefined;
    readonly apiUrl: string;
    /** Turns on Slack actions (acknowledge, silence) and POST /slack/actions; undefined: off. */
    readonly signingSecret: string | undefined;
    /** The workspace whose clicks are accepted (SLACK_TEAM_ID); undefined: any the secret signs. */
    readonly teamId: string | undefined;
  };
  readonly pagerduty: { readonly eventsUrl: string; readonly routingKeys: Readonly<Record<string, string>> };
  readonly email: { readonly smtpUrl: string | undefined; readonly from: string | undefined };
  /**
   * Pinged after every successful dead man's check (HEARTBEAT_PING_URL, healthchecks.io style), so
   * an outside service notices when alert-router itself stops. Often holds a token: never logged.
   */
  readonly heartbeatPingUrl: string | undefined;
  readonly file: FileConfig;
}
