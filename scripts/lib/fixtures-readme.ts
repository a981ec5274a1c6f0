import { readFile, writeFile } from 'node:fs/promises';
import { alertCounts, type Recorded } from './webhook-recorder.js';

export interface Fixture {
  readonly file: string;
  readonly rec: Recorded;
  readonly notes: readonly string[];
}

const BEGIN = '<!-- fixtures:begin';
const END = '<!-- fixtures:end -->';

const fmtLabels = (l: Record<string, string>): string =>
  Object.entries(l)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');

/** The generated part of test/fixtures/README.md: what this run captured. */
export function fixturesTable(fixtures: readonly Fixture[], amVersion: string): string {
  const rows = fixtures.map(({ file, rec: { raw, body: b } }) => {
    const n = alertCounts(b);
    return (
      `| \`${file}\` | ${raw.length} (${(raw.length / 1024).toFixed(1)} KiB) | \`${b.receiver}\` | ${b.status} | ` +
      `${n.total} (${n.firing} firing, ${n.resolved} resolved) | ${b.truncatedAlerts} | \`${b.groupKey}\` |`
    );
  });
  const details = fixtures.map(({ file, rec: { body: b }, notes }) =>
    [
      `- **${file}**: groupLabels {${fmtLabels(b.groupLabels)}}; commonLabels {${fmtLabels(b.commonLabels)}}.`,
      ...notes.map((n) => `  ${n.charAt(0).toUpperCase()}${n.slice(1)}.`),
    ].join('\n'),
  );
  return [
    `Captured ${new Date().toISOString().slice(0, 10)} from ${amVersion} (Debian package \`prometheus-alertmanager\`), Node ${process.version}.`,
    '',
    '| file | bytes | receiver | status | alerts | truncatedAlerts | groupKey |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    ...details,
  ].join('\n');
}

/** Replaces what stands between the README's markers, keeping the markers and everything else. */
/** Fails when the README has lost its markers, before the capture writes any fixture. */
export async function assertReadmeMarkers(readme: string): Promise<void> {
  markers(readme, await readFile(readme, 'utf8'));
}

function markers(readme: string, text: string): { begin: number; end: number } {
  const begin = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (begin < 0 || end < begin) throw new Error(`${readme}: no "${BEGIN} ... ${END}" markers`);
  return { begin, end };
}

export async function updateReadme(readme: string, table: string): Promise<void> {
  const text = await readFile(readme, 'utf8');
  const { begin, end } = markers(readme, text);
  const head = text.slice(0, text.indexOf('\n', begin) + 1);
  await writeFile(readme, `${head}${table}\n${text.slice(end)}`);
}
