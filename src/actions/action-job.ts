import type { JobsOptions } from 'bullmq';

export const QUEUE_ACTIONS = 'slack-actions';

export type ActionKind = 'acknowledge' | 'silence' | 'unsilence';

/**
 * Data of one `slack-actions` job: one click on one message, as Slack's signed request described
 * it. The group is named only by the controls' opaque ref; the worker looks it up. No secrets: the
 * click's response_url (a capability to post into the channel) is kept apart, for 30 minutes.
 */
export interface ActionJobData {
  /** Stable for one click, the same when Slack retries it: the dedup id and the silence's marker. */
  readonly clickId: string;
  readonly kind: ActionKind;
  /** The block_id of the controls (controlsRef), as sent back; may be forged or stale. */
  readonly ref: string;
  /** Where the click happened: the message must still be the one stored for the group. */
  readonly slackChannel: string;
  readonly messageTs: string;
  readonly user: { readonly id: string; readonly name: string };
  /** Silence length for `silence`. */
  readonly hours?: number;
  readonly clickedAt: number;
}

/** A click is worth retrying for about a minute (2 + 4 + ... s); later, the user is told it failed. */
export function actionJobOptions(policy: { attempts: number; backoffMs: number }): JobsOptions {
  return {
    attempts: policy.attempts,
    backoff: { type: 'exponential', delay: policy.backoffMs },
    removeOnComplete: { age: 24 * 3600, count: 10_000 },
    removeOnFail: { age: 30 * 24 * 3600, count: 10_000 },
  };
}
