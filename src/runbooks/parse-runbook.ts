import { basename } from 'node:path';
import { Lexer, type Token, type Tokens } from 'marked';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { ZodError } from 'zod';
import type { Runbook } from './runbook.js';
import { RunbookError } from './runbook-error.js';
import { runbookFrontMatterSchema } from './runbook-front-matter.js';
import { zodMessages } from '../lib/zod-messages.js';

const FRONT_MATTER = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

const zodReason = (err: ZodError): string =>
  err.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : 'front matter'}: ${i.message}`).join('; ');

/**
 * Parses one runbook file: YAML front matter validated against the schema, then the markdown
 * body. Throws RunbookError with a human reason ("summary: Required") on any problem.
 * @example parseRunbook('/srv/runbooks/NodeDown.md', text).alerts // ['NodeDown']
 */
export function parseRunbook(path: string, text: string): Runbook {
  const file = basename(path);
  const name = file.replace(/\.md$/, '');
  const m = FRONT_MATTER.exec(text);
  if (!m) throw new RunbookError(file, 'missing YAML front matter (the file must start with a --- line)');
  let raw: unknown;
  try {
    raw = parseYaml(m[1] ?? '', { prettyErrors: true, uniqueKeys: true });
  } catch (err) {
    const reason = err instanceof YAMLParseError ? err.message.split('\n')[0] : String(err);
    throw new RunbookError(file, `front matter is not valid YAML: ${reason}`, { cause: err });
  }
  const parsed = runbookFrontMatterSchema.safeParse(raw ?? {}, zodMessages);
  if (!parsed.success) throw new RunbookError(file, zodReason(parsed.error), { cause: parsed.error });
  const fm = parsed.data;
  const body = text.slice(m[0].length).replace(/^\s*\n/, '');
  return {
    name,
    file: path,
    title: fm.title,
    alerts: fm.alerts ?? [name],
    ...(fm.severity ? { severity: fm.severity } : {}),
    ...(fm.team ? { team: fm.team } : {}),
    summary: fm.summary,
    links: fm.links,
    dashboards: fm.dashboards,
    context: fm.context.map((q) => ({ name: q.name, query: q.query, ...(q.unit ? { unit: q.unit } : {}) })),
    firstSteps: fm.first_steps ?? diagnosisSteps(body).slice(0, 3),
    body,
  };
}

/**
 * The items of the first ordered list under a "Diagnosis" heading, one line each with emphasis
 * markers removed (backticks kept: Slack renders them as code).
 */
export function diagnosisSteps(markdown: string): string[] {
  const tokens = new Lexer().lex(markdown);
  let inDiagnosis = false;
  let level = 0;
  for (const t of tokens as Token[]) {
    if (t.type === 'heading') {
      const h = t as Tokens.Heading;
      if (/^diagnos/i.test(h.text.trim())) {
        inDiagnosis = true;
        level = h.depth;
      } else if (inDiagnosis && h.depth <= level) {
        inDiagnosis = false;
      }
    } else if (inDiagnosis && t.type === 'list' && (t as Tokens.List).ordered) {
      return (t as Tokens.List).items
        .map((i) =>
          (i.text.split('\n')[0] ?? '')
            .replace(/\*\*|__/g, '')
            .replace(/\s+/g, ' ')
            .trim(),
        )
        .filter((s) => s.length > 0);
    }
  }
  return [];
}
