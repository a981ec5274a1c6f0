import { pino, type Logger } from 'pino';

/**
 * JSON logs. Secrets are never passed to the logger; the redaction list is a second line of
 * defence for headers that might be logged by accident.
 */
export function createLogger(level = 'info'): Logger {
  return pino({
    level,
    base: { service: 'alert-router' },
    redact: {
      paths: [
        'req.headers.authorization',
        'headers.authorization',
        '*.token',
        '*.routingKey',
        '*.routing_key',
      ],
      censor: '[redacted]',
    },
  });
}

export type { Logger };
