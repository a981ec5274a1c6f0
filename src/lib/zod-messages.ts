import type { z } from 'zod';

/**
 * Per-parse error map: a missing field reads "Required" (zod 3's wording, and what an operator
 * fixing a YAML file or a webhook sender needs), not zod 4's "Invalid input: expected string,
 * received undefined". Everything else keeps zod's own message.
 * https://zod.dev/error-customization#per-parse-error-customization
 */
export const zodMessages: z.core.ParseContext<z.core.$ZodIssue> = {
  error: (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? 'Required' : undefined),
};
