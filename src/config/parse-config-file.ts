import { parseDocument } from 'yaml';
import type { ZodError } from 'zod';
import { closestName } from './closest-name.js';
import { channelSchema, fileConfigSchema, type ChannelConfig, type FileConfig } from './config-schema.js';
import { zodMessages } from '../lib/zod-messages.js';

export interface ParsedConfigFile {
  /** The whole file, when every part of it is valid. */
  readonly file: FileConfig | undefined;
  /** Each channel that is valid on its own, even when the file is not: its credentials get checked too. */
  readonly channels: ReadonlyArray<readonly [string, ChannelConfig]>;
  /** `path: reason`, structural (the schema) and cross-checks (names that must exist) together. */
  readonly problems: readonly string[];
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const pathText = (path: ReadonlyArray<PropertyKey>): string =>
  path.reduce<string>(
    (acc, part) =>
      typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part),
    '',
  ) || '(root)';

const zodProblems = (error: ZodError): string[] =>
  error.issues.map((issue) => `${pathText(issue.path)}: ${issue.message}`);

/**
 * Every string where a channel name is expected, with its path. Walks the raw document rather than
 * the parsed one so that a mistake elsewhere (which fails the whole parse) does not hide these.
 */
function channelReferences(raw: Record<string, unknown>): Array<[string, string]> {
  const refs: Array<[string, string]> = [];
  const names = (path: string, list: unknown): void => {
    if (Array.isArray(list))
      list.forEach((name, j) => typeof name === 'string' && refs.push([`${path}[${j}]`, name]));
  };
  const each = (path: string, list: unknown, field: string): void => {
    if (Array.isArray(list))
      list.forEach((item, i) => isRecord(item) && names(`${path}[${i}].${field}`, item[field]));
  };
  names('defaultChannels', raw.defaultChannels);
  each('routes', raw.routes, 'channels');
  if (isRecord(raw.heartbeat)) {
    names('heartbeat.channels', raw.heartbeat.channels);
    each('heartbeat.sources', raw.heartbeat.sources, 'channels');
  }
  return refs;
}

function unknownChannel(name: string, known: readonly string[]): string {
  const hint = closestName(name, known);
  const list = known.length > 0 ? `known: ${known.join(', ')}` : 'no channels are defined';
  return `unknown channel ${JSON.stringify(name)} (${list}${hint ? `; did you mean ${JSON.stringify(hint)}?` : ''})`;
}

/** Orders `path: reason` problems by path (numbers as numbers), keeping each path's own order. */
export const sortByPath = (problems: readonly string[]): string[] => {
  const path = (p: string): string => p.slice(0, p.indexOf(': '));
  return problems
    .map((p, i) => [p, i] as const)
    .sort(([a, i], [b, j]) => path(a).localeCompare(path(b), 'en', { numeric: true }) || i - j)
    .map(([p]) => p);
};

/**
 * Parses the configuration file's text and lists every problem in it in one pass: YAML syntax
 * (with line and column), the schema's findings, and the cross-checks (channel names that must
 * exist, with the known ones and a close match), the latter on whatever parts are readable.
 * @example parseConfigFile('channels: {outbox: {type: outbox}}\ndefaultChannels: [outbox]\n').file
 */
export function parseConfigFile(text: string): ParsedConfigFile {
  const doc = parseDocument(text);
  if (doc.errors.length > 0)
    return {
      file: undefined,
      channels: [],
      problems: doc.errors.map((err) => {
        const at = err.linePos?.[0];
        const reason = err.message.split(/ at line \d+, column \d+/)[0] ?? err.message;
        return at ? `line ${at.line}, column ${at.col}: ${reason}` : reason;
      }),
    };
  const raw: unknown = doc.toJS() ?? {};
  const parsed = fileConfigSchema.safeParse(raw, zodMessages);
  const problems = parsed.success ? [] : zodProblems(parsed.error);
  const top = isRecord(raw) ? raw : {};
  const declared = isRecord(top.channels) ? top.channels : {};
  const known = Object.keys(declared);
  for (const [path, name] of channelReferences(top))
    if (!Object.hasOwn(declared, name)) problems.push(`${path}: ${unknownChannel(name, known)}`);
  const channels = Object.entries(declared).flatMap(([name, value]) => {
    const channel = channelSchema.safeParse(value, zodMessages);
    return channel.success ? [[name, channel.data] as const] : [];
  });
  return { file: parsed.success ? parsed.data : undefined, channels, problems };
}
