import fc from 'fast-check';

// Generators of webhook bodies that are valid by the schema but hostile in content, plus a share
// of invalid ones (which must get a 4xx and change nothing).

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

/** Text a sender could put anywhere: any Unicode, lone surrogates, markup and link syntax. */
const nasty = fc.constantFrom(
  '|',
  '`',
  '``',
  '*',
  '_',
  '~',
  '<!channel>',
  '<!here>',
  '<@U123>',
  '<https://evil.example|click>',
  '&amp;',
  '&',
  '<',
  '>',
  '"',
  "'",
  '\\',
  '\u0000',
  '\r\n',
  '\u202e',
  '\ufeff',
  '🔥',
  '👩‍👩‍👧',
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  '%ZZ',
  '{{ $labels.x }}',
);

export const text = (maxLength = 40): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength }) },
    { weight: 3, arbitrary: fc.array(fc.oneof(nasty, loneSurrogate, fc.string({ maxLength: 4 })), { maxLength: 8 }).map((a) => a.join('')) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('a', '🔥', '<', '&', '`', '|'), fc.integer({ min: 200, max: 20_000 })).map(([c, n]) => c.repeat(n)) },
  );

/** Keys that name Object.prototype members: a plain lookup by them finds a function. */
const protoKey = fc.constantFrom('constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty');

const nonEmpty = (maxLength = 40): fc.Arbitrary<string> =>
  fc.oneof({ weight: 9, arbitrary: text(maxLength).filter((s) => s.length > 0) }, { weight: 1, arbitrary: protoKey });

/** A URL as a generatorURL or externalURL could be, from fine to hostile. */
const url = fc.oneof(
  fc.constant(''),
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  text(60).map((t) => `http://prometheus:9090/graph?g0.expr=${t}&g0.tab=1`),
  fc.constantFrom(
    'javascript:alert(document.domain)//',
    'JaVaScRiPt:alert(1)',
    ' javascript:alert(1)',
    'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
    'http://a|b.example/x',
    'https://prom.example/graph?g0.expr=a|b`c>d',
    '//evil.example/x',
    'not a url',
  ),
  text(30),
);

const labelName = fc.oneof(
  fc.constantFrom('instance', 'severity', 'service', 'team', 'job', 'pod', 'alertname'),
  nonEmpty(30),
);
const labels = fc.dictionary(labelName, text(60), { maxKeys: 6 });

const time = fc.oneof(
  { weight: 4, arbitrary: fc.date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()) },
  { weight: 1, arbitrary: fc.constantFrom('0001-01-01T00:00:00Z', '2026-12-01T00:00:00.123456789Z', '2026-12-01T03:00:00+03:00', 'yesterday', '9999-12-31T23:59:59Z') },
  { weight: 1, arbitrary: nonEmpty(30) },
);

const alert = fc.record({
  status: fc.constantFrom('firing', 'resolved'),
  labels: fc.tuple(labels, fc.option(text(40), { nil: undefined })).map(([l, name]) => (name === undefined ? l : { ...l, alertname: name })),
  annotations: fc.dictionary(fc.oneof(fc.constantFrom('summary', 'description', 'runbook_url'), nonEmpty(20)), text(200), { maxKeys: 4 }),
  startsAt: time,
  endsAt: time,
  generatorURL: url,
  fingerprint: nonEmpty(20),
});

/** Extra fields newer Alertmanagers (or hostile senders) add: any JSON, sometimes deep. */
const extra = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.integer({ min: 1, max: 60 }).map((depth) => {
    let v: unknown = 'bottom';
    for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { k: v };
    return v;
  }),
);

const number = fc.oneof(
  fc.constantFrom(0, 1, 2 ** 31, 2 ** 53 - 1, Number.MAX_SAFE_INTEGER, 1e308),
  fc.nat(),
);

/** A webhook v4 body, valid by the schema, hostile in content. */
export const hostilePayload = fc
  .record({
    groupKey: nonEmpty(60),
    receiver: fc.oneof(fc.constantFrom('quiet', 'team-a', 'team\\.a'), nonEmpty(40)),
    status: fc.constantFrom('firing', 'resolved'),
    truncatedAlerts: number,
    groupLabels: labels,
    commonLabels: labels,
    commonAnnotations: fc.dictionary(fc.constantFrom('summary', 'description'), text(300), { maxKeys: 2 }),
    externalURL: url,
    alerts: fc.oneof(
      { weight: 8, arbitrary: fc.array(alert, { minLength: 1, maxLength: 8 }) },
      // A big group: the same hostile alert many times over (distinct fingerprints).
      { weight: 1, arbitrary: fc.tuple(alert, fc.integer({ min: 100, max: 3000 })).map(([a, n]) => Array.from({ length: n }, (_, i) => ({ ...a, fingerprint: `${a.fingerprint}-${i}` }))) },
    ),
    extra: fc.option(extra, { nil: undefined }),
  })
  .map(({ extra: x, ...p }) => ({ version: '4', ...p, ...(x === undefined ? {} : { notification_extra: x }) }));

/** A body that breaks the schema in one place: it must get a 400 and change nothing. */
export const invalidPayload = fc
  .tuple(
    hostilePayload,
    fc.constantFrom<(p: Record<string, unknown>) => void>(
      (p) => (p.version = '3'),
      (p) => delete p.groupKey,
      (p) => (p.alerts = []),
      (p) => (p.status = 'pending'),
      (p) => (p.truncatedAlerts = -1),
      (p) => (p.truncatedAlerts = 1.5),
      (p) => (p.receiver = ''),
      (p) => (p.commonLabels = { a: 1 }),
      (p) => ((p.alerts as Array<Record<string, unknown>>)[0]!.fingerprint = ''),
      (p) => ((p.alerts as Array<Record<string, unknown>>)[0]!.labels = null),
    ),
  )
  .map(([p, breakIt]) => {
    const copy = structuredClone(p) as Record<string, unknown>;
    breakIt(copy);
    return copy;
  });
