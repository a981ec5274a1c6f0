import type { WebhookPayload } from '../alert/webhook-payload.js';
import { readSecret, type Env } from '../lib/read-secret.js';
import type { Command } from './cli-context.js';
import { loadLastTest, saveLastTest } from './last-test.js';
import { parseLabels } from './parse-labels.js';
import { parseOptions } from './parse-options.js';
import { resolutionOf, testNotification } from './test-notification.js';
import { UsageError } from './usage-error.js';

/** Alertmanager's own webhook timeout is 10 s; a healthy alert-router answers in milliseconds. */
const TIMEOUT_MS = 10_000;

/** The Authorization header the service expects, from --token or the same variables it reads. */
function authorization(token: string | undefined, env: Env, problems: string[]): string | undefined {
  const bearer = token ?? readSecret(env, 'WEBHOOK_BEARER_TOKEN', problems);
  if (bearer) return `Bearer ${bearer}`;
  const basic = readSecret(env, 'WEBHOOK_BASIC_AUTH', problems);
  return basic ? `Basic ${Buffer.from(basic).toString('base64')}` : undefined;
}

function webhookUrl(base: string): string {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new UsageError(`--url: not a URL: ${base}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError('--url: must be http or https');
  return `${base.replace(/\/+$/, '')}/webhook/alertmanager`;
}

/** The server's answer in one line: its JSON `status`/`key`, or `error: message`, or the raw text. */
function describe(status: number, text: string): string {
  try {
    const body = JSON.parse(text) as { status?: string; key?: string; error?: string; message?: string };
    if (body.error !== undefined) return `${status} ${body.error}: ${body.message ?? ''}`;
    return `${status} ${body.status ?? ''}${body.key ? ` key=${body.key}` : ''}`;
  } catch {
    return `${status} ${text.slice(0, 500)}`;
  }
}

/**
 * `send-test [--url URL] [--token T] [--receiver NAME] [--resolve] [label=value ...]`: posts a
 * synthetic notification through a running instance, the way Alertmanager does, to check the
 * whole path (auth, queue, routing, each channel's credentials) without waiting for a real alert.
 * @example alert-router send-test --url http://alert-router:8080 severity=critical team=ml
 */
export const sendTest: Command = async (args, ctx) => {
  const { values, positionals } = parseOptions(args, {
    url: { type: 'string', default: 'http://127.0.0.1:8080' },
    token: { type: 'string' },
    receiver: { type: 'string', default: 'alert-router-test' },
    resolve: { type: 'boolean', default: false },
  });
  const target = webhookUrl(values.url);
  let payload: WebhookPayload;
  if (values.resolve) {
    if (positionals.length > 0)
      throw new UsageError('--resolve resolves the last test as it was sent: no labels');
    const last = loadLastTest();
    if (typeof last === 'string') {
      ctx.err(`error: ${last}`);
      return 1;
    }
    payload = resolutionOf(last, new Date());
  } else {
    payload = testNotification(parseLabels(positionals), values.receiver, new Date());
  }
  const problems: string[] = [];
  const auth = authorization(values.token, ctx.env, problems);
  if (problems.length > 0) {
    ctx.err(problems.map((p) => `error: ${p}`).join('\n'));
    return 1;
  }

  let res: Response;
  try {
    res = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (err) {
    const cause = (err as Error & { cause?: NodeJS.ErrnoException }).cause;
    ctx.err(`error: cannot reach ${target} (${cause?.code ?? cause?.message ?? (err as Error).message})`);
    return 1;
  }
  const answer = describe(res.status, await res.text());
  if (!res.ok) {
    ctx.err(`error: ${target} answered ${answer}`);
    return 1;
  }
  if (!values.resolve) saveLastTest(payload);
  ctx.out(`${answer} ${payload.status} groupKey=${payload.groupKey}`);
  return 0;
};
