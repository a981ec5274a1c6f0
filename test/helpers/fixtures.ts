import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { WebhookPayload } from '../../src/alert/webhook-payload.js';

const dir = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** A captured Alertmanager body, parsed fresh each call so tests can mutate it. */
export function fixture(
  name: 'firing' | 'resolved' | 'grouped' | 'group-1000' | 'receiver-with-dot' | 'watchdog',
): WebhookPayload {
  return JSON.parse(readFileSync(`${dir}${name}.json`, 'utf8')) as WebhookPayload;
}

export function fixtureText(name: string): string {
  return readFileSync(`${dir}${name}.json`, 'utf8');
}
