import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { webhookPayloadSchema, type WebhookPayload } from '../alert/webhook-payload.js';

/**
 * Where `send-test` keeps the last test it sent, so `send-test --resolve` can resolve that very
 * group (same groupKey, same alert). It holds the notification only, no credentials.
 */
const lastTestPath = (): string => join(tmpdir(), 'alert-router-send-test.json');

export function saveLastTest(payload: WebhookPayload): void {
  writeFileSync(lastTestPath(), JSON.stringify(payload));
}

/** The last test sent from this machine, or a sentence saying why there is none. */
export function loadLastTest(): WebhookPayload | string {
  const path = lastTestPath();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return `no test notification to resolve: send one first with alert-router send-test (${path})`;
  }
  try {
    return webhookPayloadSchema.parse(JSON.parse(text));
  } catch {
    return `${path} does not hold a test notification; send a new one with alert-router send-test`;
  }
}
