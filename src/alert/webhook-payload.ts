import { z } from 'zod';

const labelSet = z.record(z.string(), z.string());

/** One alert as Alertmanager's webhook v4 sends it (notify/webhook/webhook.go). Unknown fields pass through. */
export const alertSchema = z
  .object({
    status: z.enum(['firing', 'resolved']),
    labels: labelSet,
    annotations: labelSet.default({}),
    startsAt: z.string().min(1),
    endsAt: z.string().default('0001-01-01T00:00:00Z'),
    generatorURL: z.string().default(''),
    fingerprint: z.string().min(1),
  })
  .passthrough();

/** Webhook v4 body; newer Alertmanagers add fields (notification_reason, routeLabels): accept them. */
export const webhookPayloadSchema = z
  .object({
    version: z.literal('4', { error: 'only webhook version "4" is supported' }),
    groupKey: z.string().min(1),
    truncatedAlerts: z.number().int().min(0).default(0),
    status: z.enum(['firing', 'resolved']),
    receiver: z.string().min(1),
    groupLabels: labelSet.default({}),
    commonLabels: labelSet.default({}),
    commonAnnotations: labelSet.default({}),
    externalURL: z.string().default(''),
    alerts: z.array(alertSchema).min(1),
  })
  .passthrough();

export type Alert = z.infer<typeof alertSchema>;
export type WebhookPayload = z.infer<typeof webhookPayloadSchema>;
