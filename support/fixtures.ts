import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { WebhookPayload } from '../src/alert/webhook-payload.js';

/** test/fixtures/: the bodies scripts/capture-fixtures.ts captured from a real Alertmanager. */
export const FIXTURES_DIR = fileURLToPath(new URL('../test/fixtures/', import.meta.url));

export type FixtureName = 'firing' | 'resolved' | 'grouped' | 'group-1000' | 'receiver-with-dot' | 'watchdog';

/**
 * A captured Alertmanager body, parsed fresh each call so callers can mutate it.
 * @example const p = fixture('firing'); p.alerts[0]!.labels.team = 'other'
 */
export function fixture(name: FixtureName): WebhookPayload {
  return JSON.parse(fixtureText(name)) as WebhookPayload;
}

/** The bytes Alertmanager sent, unparsed (its Go encoding/json output, trailing newline included). */
export function fixtureText(name: string): string {
  return readFileSync(fixturePath(name), 'utf8');
}

export function fixturePath(name: string): string {
  return `${FIXTURES_DIR}${name}.json`;
}
