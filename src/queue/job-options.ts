import type { JobsOptions } from 'bullmq';
import type { DeliveryPolicy } from './delivery-policy.js';
import { CAPPED_BACKOFF } from './capped-backoff.js';

/** Completed jobs are trimmed; failed ones are kept (bounded) so permanent failures stay visible. */
export function deliveryJobOptions(policy: DeliveryPolicy): JobsOptions {
  return {
    attempts: policy.attempts,
    backoff: { type: 'exponential', delay: policy.backoffMs, jitter: 0.5 },
    removeOnComplete: { age: 24 * 3600, count: 10_000 },
    removeOnFail: { age: 30 * 24 * 3600, count: 50_000 },
  };
}

export function notificationJobOptions(): JobsOptions {
  return {
    // About 15 minutes of retries (see capped-backoff.ts): a Redis outage is outlasted, a defect
    // is reported the same quarter hour.
    attempts: 20,
    backoff: { type: CAPPED_BACKOFF },
    removeOnComplete: { age: 24 * 3600, count: 10_000 },
    removeOnFail: { age: 30 * 24 * 3600, count: 50_000 },
  };
}
