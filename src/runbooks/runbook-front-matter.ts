import { z } from 'zod';
import { ALERT_NAME_PATTERN } from './runbook-path.js';

const oneLine = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((s) => !/[\r\n]/.test(s), 'must be a single line');

const httpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//i.test(u), 'must be an http(s) URL');

/**
 * A Grafana dashboard uid: at most 40 characters
 * (https://grafana.com/docs/grafana/latest/http_api/dashboard/), letters, digits, `-` and `_`.
 */
const dashboardUid = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,40}$/, 'must be a Grafana dashboard uid (up to 40 of A-Z a-z 0-9 - _)');

/** Placeholders `{{ label }}`: only label-name shaped identifiers, never expressions. */
const placeholders = /\{\{\s*([^}]*?)\s*\}\}/g;

const contextQuery = z
  .object({
    name: z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'must be an identifier like error_ratio'),
    query: z.string().trim().min(1).max(4000),
    unit: z.string().trim().min(1).max(32).optional(),
  })
  .strict()
  .superRefine((q, ctx) => {
    for (const m of q.query.matchAll(placeholders)) {
      if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(m[1] ?? ''))
        ctx.addIssue({
          code: 'custom',
          path: ['query'],
          message: `placeholder "${m[0]}" is not a label name`,
        });
    }
  });

/**
 * YAML front matter of a runbook. `.strict()` so a typo (`sumary:`) is reported instead of
 * silently ignored.
 */
export const runbookFrontMatterSchema = z
  .object({
    title: oneLine(200),
    alerts: z
      .array(z.string().regex(ALERT_NAME_PATTERN, 'is not a valid alert name'))
      .min(1)
      .max(50)
      .optional(),
    severity: z.enum(['critical', 'warning', 'info', 'none']).optional(),
    team: oneLine(100).optional(),
    summary: oneLine(300),
    links: z
      .array(
        z
          .object({
            title: oneLine(100),
            // A full dashboard URL only works where it was written (localhost:3000 on one laptop).
            url: httpUrl.refine(
              (u) => !/^\/d\//.test(new URL(u).pathname),
              'a Grafana dashboard: name it by uid under `dashboards` instead (linked on GRAFANA_URL)',
            ),
          })
          .strict(),
      )
      .max(20)
      .default([]),
    /** Dashboards by uid, linked as GRAFANA_URL/d/<uid> only where GRAFANA_URL is set. */
    dashboards: z
      .array(z.object({ title: oneLine(60), uid: dashboardUid }).strict())
      .max(5)
      .default([])
      .refine((ds) => new Set(ds.map((d) => d.uid)).size === ds.length, 'dashboard uids must be unique'),
    context: z
      .array(contextQuery)
      .max(10)
      .default([])
      .refine(
        (qs) => new Set(qs.map((q) => q.name)).size === qs.length,
        'context query names must be unique',
      ),
    first_steps: z.array(oneLine(300)).min(1).max(10).optional(),
  })
  .strict();

export type RunbookFrontMatter = z.infer<typeof runbookFrontMatterSchema>;
