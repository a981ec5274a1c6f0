import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** A MIME body part, transfer-decoded. */
export interface MimePart {
  readonly contentType: string;
  readonly body: string;
}

/** One accepted message: envelope, unfolded headers (lower-case names, encoded-words decoded), parts. */
export interface SinkMessage {
  readonly from: string;
  readonly to: string[];
  readonly raw: string;
  readonly headers: ReadonlyMap<string, string>;
  readonly subject: string;
  readonly messageId: string | undefined;
  readonly inReplyTo: string | undefined;
  readonly references: string | undefined;
  readonly contentType: string;
  /** Leaf parts (text/plain, text/html, ...) in order; a single-part message has one. */
  readonly parts: MimePart[];
}

export interface SmtpSink {
  /** For SMTP_URL: `smtp://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  readonly messages: SinkMessage[];
  /** DATA commands received, accepted or rejected. */
  readonly attempts: number;
  /** The next DATA is answered with this code (550 permanent, 451 temporary). */
  rejectNext(code: number): void;
  /** Stops listening (SMTP down); `start()` listens again on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
}

const decodeWords = (s: string): string =>
  s.replace(/=\?([^?]+)\?([bBqQ])\?([^?]*)\?=\s*/g, (_m, _cs: string, enc: string, text: string) =>
    enc.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64').toString('utf8')
      : Buffer.from(
          text
            .replace(/_/g, ' ')
            .replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))),
          'latin1',
        ).toString('utf8'),
  );

function parseHeaders(head: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) headers.set(line.slice(0, i).trim().toLowerCase(), decodeWords(line.slice(i + 1).trim()));
  }
  return headers;
}

function decodeBody(body: string, encoding: string | undefined): string {
  switch ((encoding ?? '').toLowerCase()) {
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    case 'quoted-printable':
      return Buffer.from(
        body
          .replace(/=\r?\n/g, '')
          .replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))),
        'latin1',
      ).toString('utf8');
    default:
      return body;
  }
}

function splitEntity(raw: string): { headers: Map<string, string>; body: string } {
  const i = raw.indexOf('\r\n\r\n');
  return i < 0
    ? { headers: parseHeaders(raw), body: '' }
    : { headers: parseHeaders(raw.slice(0, i)), body: raw.slice(i + 4) };
}

function leafParts(raw: string): MimePart[] {
  const { headers, body } = splitEntity(raw);
  const contentType = headers.get('content-type') ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (contentType.toLowerCase().startsWith('multipart/') && boundary) {
    const sections = body.split(`--${boundary}`).slice(1);
    return sections
      .filter((s) => !s.startsWith('--'))
      .flatMap((s) => leafParts(s.replace(/^\r\n/, '').replace(/\r\n$/, '')));
  }
  return [{ contentType, body: decodeBody(body, headers.get('content-transfer-encoding')) }];
}

/** Parses a raw RFC 5322 message enough to assert on headers and the text/html alternatives. */
export function parseMessage(raw: string, from: string, to: string[]): SinkMessage {
  const { headers } = splitEntity(raw);
  return {
    from,
    to,
    raw,
    headers,
    subject: headers.get('subject') ?? '',
    messageId: headers.get('message-id'),
    inReplyTo: headers.get('in-reply-to'),
    references: headers.get('references'),
    contentType: headers.get('content-type') ?? '',
    parts: leafParts(raw),
  };
}

/**
 * A real SMTP server (the `smtp-server` package) on 127.0.0.1 that keeps every accepted message.
 * @example const sink = await startSmtpSink(); env.SMTP_URL = sink.url; await sink.stop(); await sink.start()
 */
export async function startSmtpSink(): Promise<SmtpSink> {
  const messages: SinkMessage[] = [];
  const rejects: number[] = [];
  let attempts = 0;
  let port = 0;
  let server: SMTPServer | undefined;

  const listen = async (): Promise<void> => {
    const s = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          attempts++;
          const code = rejects.shift();
          if (code !== undefined) {
            const err = Object.assign(new Error(code >= 500 ? 'mailbox unavailable' : 'try again later'), {
              responseCode: code,
            });
            callback(err);
            return;
          }
          const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
          const to = session.envelope.rcptTo.map((r) => r.address);
          messages.push(parseMessage(Buffer.concat(chunks).toString('utf8'), from, to));
          callback(null);
        });
      },
    });
    s.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      s.server.once('error', reject);
      s.listen(port, '127.0.0.1', () => resolve());
    });
    port = (s.server.address() as AddressInfo).port;
    server = s;
  };
  await listen();
  return {
    get url() {
      return `smtp://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    messages,
    get attempts() {
      return attempts;
    },
    rejectNext(code) {
      rejects.push(code);
    },
    async stop() {
      const s = server;
      server = undefined;
      if (!s) return;
      // Drop open connections too, so the next delivery finds the port closed.
      for (const conn of (s as unknown as { connections: Set<{ close(): void }> }).connections ?? [])
        conn.close();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    async start() {
      if (!server) await listen();
    },
  };
}
