import { readFile, writeFile } from 'node:fs/promises';
import { alertCounts, type Recorded } from './webhook-recorder.js';

export interface Fixture {
  readonly file: string;
  readonly rec: Recorded;
  readonly notes: readonly string[];
}

/** The README's generated blocks: from `<!-- name:begin ... -->` to `<!-- name:end -->`. */
export type Block = 'config' | 'fixtures';
const beginOf = (b: Block): string => `<!-- ${b}:begin`;
const endOf = (b: Block): string => `<!-- ${b}:end -->`;

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

/** Fails when the README has lost a block's markers, before the capture writes any fixture. */
export async function assertReadmeMarkers(readme: string, blocks: readonly Block[]): Promise<void> {
  const text = await readFile(readme, 'utf8');
  for (const b of blocks) markers(readme, text, b);
}

function markers(readme: string, text: string, b: Block): { begin: number; end: number } {
  const begin = text.indexOf(beginOf(b));
  const end = text.indexOf(endOf(b));
  if (begin < 0 || end < begin) throw new Error(`${readme}: no "${beginOf(b)} ... ${endOf(b)}" markers`);
  return { begin, end };
}

/** Replaces what stands between each block's markers, keeping the markers and everything else. */
export async function updateReadme(readme: string, blocks: Partial<Record<Block, string>>): Promise<void> {
  let text = await readFile(readme, 'utf8');
  for (const [b, content] of Object.entries(blocks) as Array<[Block, string]>) {
    const { begin, end } = markers(readme, text, b);
    const head = text.slice(0, text.indexOf('\n', begin) + 1);
    text = `${head}${content}\n${text.slice(end)}`;
  }
  await writeFile(readme, text);
}
