import { HttpError } from './http-error.js';
import { webhookPayloadSchema, type WebhookPayload } from '../alert/webhook-payload.js';
import { JsonTooDeepError, wellFormedJson } from '../lib/well-formed-json.js';
import { zodMessages } from '../lib/zod-messages.js';

/**
 * Turns a raw request into a validated webhook v4 payload, or a 400 that says exactly what is wrong.
 * Lone surrogates are replaced with U+FFFD here, once, for everything downstream.
 * @example parseWebhook('application/json', Buffer.from(json))
 */
export function parseWebhook(contentType: string | undefined, body: Buffer): WebhookPayload {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new HttpError(
      400,
      'unsupported_content_type',
      `content-type must be application/json, got ${JSON.stringify(contentType ?? '')}`,
    );
  }
  // A byte order mark may be ignored by a JSON parser (RFC 8259, section 8.1); JSON.parse does not.
  const decoded = body.toString('utf8');
  const text = decoded.charCodeAt(0) === 0xfeff ? decoded.slice(1) : decoded;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new HttpError(400, 'malformed_json', `body is not valid JSON: ${(err as Error).message}`);
  }
  try {
    json = wellFormedJson(json, text);
  } catch (err) {
    if (!(err instanceof JsonTooDeepError)) throw err;
    throw new HttpError(400, 'invalid_payload', `${err.message} at ${err.path}`, {
      details: [{ path: err.path, message: 'nested too deep' }],
      cause: err,
    });
  }
  const result = webhookPayloadSchema.safeParse(json, zodMessages);
  if (!result.success) {
    const problems = result.error.issues
      .slice(0, 20)
      .map((i) => ({ path: i.path.join('.') || '(root)', message: i.message }));
    throw new HttpError(400, 'invalid_payload', 'body is not an Alertmanager webhook v4 notification', {
      details: problems,
    });
  }
  return result.data;
}
