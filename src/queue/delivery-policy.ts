/** How hard deliveries are tried (the `delivery:` section of the configuration file). */
export interface DeliveryPolicy {
  readonly attempts: number;
  /** First retry delay; each further retry doubles it (with jitter). */
  readonly backoffMs: number;
  /** Job lock length and stalled-job check interval (see `delivery.lockMs` in the config schema). */
  readonly lockMs: number;
}
