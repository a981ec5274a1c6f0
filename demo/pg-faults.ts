/**
 * Database faults for the database exporter's rules: hold connections until the server is past
 * 90 % of max_connections (PostgresConnectionPoolSaturated), or keep one query running
 * (PostgresSlowQueries). Every connection is ours and closed on clear or exit, and the pool stops
 * short of the server's reserved superuser slots, so nothing else is locked out.
 */
import pg from 'pg';

export class PgFaults {
  private held: pg.Client[] = [];
  private slow: { client: pg.Client; pid: number } | undefined;

  constructor(private readonly databaseUrl: string) {}

  view(): { poolExhaustion: boolean; heldConnections: number; slowQuery: boolean } {
    return {
      poolExhaustion: this.held.length > 0,
      heldConnections: this.held.length,
      slowQuery: this.slow !== undefined,
    };
  }

  async exhaustPool(targetRatio = 0.9): Promise<number> {
    if (this.held.length > 0) return this.held.length;
    const probe = await this.connect('demo-pool-exhaustion');
    const { rows } = await probe.query<{ max: number; reserved: number; used: number }>(
      `SELECT current_setting('max_connections')::int AS max,
              current_setting('superuser_reserved_connections')::int AS reserved,
              (SELECT count(*) FROM pg_stat_activity WHERE datname IS NOT NULL)::int AS used`,
    );
    const { max, reserved, used } = rows[0]!;
    const wanted = Math.min(Math.ceil(max * targetRatio), max - reserved - 2) - used;
    this.held.push(probe);
    for (let i = 1; i < wanted; i += 1) this.held.push(await this.connect('demo-pool-exhaustion'));
    return this.held.length;
  }

  async startSlowQuery(seconds = 3600): Promise<void> {
    if (this.slow) return;
    const client = await this.connect('demo-slow-query');
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    this.slow = { client, pid: rows[0]!.pid };
    // Ends with an error when clear() closes the connection; that is the point.
    client.query('SELECT pg_sleep($1)', [seconds]).catch(() => undefined);
  }

  async clear(): Promise<void> {
    const slow = this.slow;
    const clients = [...this.held, ...(slow ? [slow.client] : [])];
    this.held = [];
    this.slow = undefined;
    // The server does not notice a client that goes away while pg_sleep runs: the query would
    // run on for its hour. Cancel it there first, from a connection of its own.
    if (slow) await this.cancel(slow.pid);
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  }

  private async cancel(pid: number): Promise<void> {
    const client = await this.connect('demo-pg-faults');
    try {
      await client.query('SELECT pg_cancel_backend($1)', [pid]);
    } finally {
      await client.end();
    }
  }

  private async connect(name: string): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: this.databaseUrl, application_name: name });
    client.on('error', () => undefined);
    await client.connect();
    return client;
  }
}
