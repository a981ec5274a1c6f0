/** One Prometheus (or other sender) whose Watchdog heartbeat the switch watches. */
export interface HeartbeatSource {
  readonly name: string;
  /** Labels a Watchdog alert must carry to count for this source, e.g. `{cluster: "eu-1"}`. */
  readonly labels: Readonly<Record<string, string>>;
  readonly graceSeconds?: number;
  /** Page when no first heartbeat came this long after the source was first expected; unset: wait. */
  readonly expectFirstWithinSeconds?: number;
  /** Who is paged when this source goes quiet, when not the policy's `channels`. */
  readonly channels?: readonly string[];
}

/** What the dead man's switch is told (the `heartbeat:` section of the configuration file). */
export interface HeartbeatPolicy {
  /** Alertmanager receiver that carries the heartbeats, unquoted. */
  readonly receiver: string;
  readonly alertname: string;
  readonly defaultGraceSeconds: number;
  /** After a gap in watching (alert-router or Redis down), sources get this long again. */
  readonly startupGraceSeconds: number;
  readonly checkIntervalSeconds: number;
  readonly channels: readonly string[];
  readonly sources: readonly HeartbeatSource[];
}
