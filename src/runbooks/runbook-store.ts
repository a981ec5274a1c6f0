import { readdirSync, readFileSync, statSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Runbook, RunbookStore } from './runbook.js';
import { RunbookError } from './runbook-error.js';
import { unsafeEntryReason } from './runbook-path.js';
import { parseRunbook } from './parse-runbook.js';

/** A runbook file larger than this is refused: runbooks are read at 3 a.m., not novels. */
const MAX_BYTES = 256 * 1024;

export interface ReloadableRunbookStore extends RunbookStore {
  /** Re-reads the directory now; returns the new problems. Used on SIGHUP and file changes. */
  reload(): readonly string[];
}

interface Loaded {
  readonly runbooks: readonly Runbook[];
  readonly byAlert: ReadonlyMap<string, Runbook>;
  readonly problems: readonly string[];
}

/**
 * Reads every *.md in `dir`. A file with a problem is skipped and reported as "file: reason";
 * the others still load, so one broken runbook never hides the rest.
 */
function readRunbookDir(dir: string): Loaded {
  const problems: string[] = [];
  const runbooks: Runbook[] = [];
  const byAlert = new Map<string, Runbook>();
  let entries: string[];
  try {
    entries = readdirSync(dir)
      .filter((e) => e.endsWith('.md'))
      .sort();
  } catch (err) {
    return {
      runbooks,
      byAlert,
      problems: [`${dir}: cannot read runbooks directory: ${(err as Error).message}`],
    };
  }
  for (const entry of entries) {
    const unsafe = unsafeEntryReason(dir, entry);
    if (unsafe) {
      problems.push(`${entry}: ${unsafe}`);
      continue;
    }
    const path = join(dir, entry);
    try {
      if (statSync(path).size > MAX_BYTES) throw new RunbookError(entry, `larger than ${MAX_BYTES} bytes`);
      const rb = parseRunbook(path, readFileSync(path, 'utf8'));
      const taken = rb.alerts.filter((a) => byAlert.has(a));
      if (taken.length > 0)
        throw new RunbookError(
          entry,
          taken.map((a) => `alert ${a} is already covered by ${byAlert.get(a)?.name}.md`).join('; '),
        );
      if (rb.firstSteps.length === 0)
        problems.push(
          `${entry}: no diagnosis steps (add an ordered list under "## Diagnosis" or first_steps)`,
        );
      runbooks.push(rb);
      for (const a of rb.alerts) byAlert.set(a, rb);
    } catch (err) {
      problems.push(err instanceof RunbookError ? err.toString() : `${entry}: ${(err as Error).message}`);
    }
  }
  return { runbooks, byAlert, problems };
}

/**
 * Problems of a runbook directory as "file: reason" (empty when every runbook is valid).
 * @example runbookProblems('runbooks') // ['NodeDown.md: summary: Required']
 */
export function runbookProblems(dir: string): readonly string[] {
  return readRunbookDir(dir).problems;
}

/**
 * Loads the runbooks of `dir` and, with `watch`, reloads them (debounced) when a file changes.
 * Every problem is logged with its file and reason; invalid files are skipped.
 * @example const store = loadRunbookStore('runbooks', logger, { watch: true }); store.forAlert('NodeDown')
 */
export function loadRunbookStore(
  dir: string,
  logger: Logger,
  opts: {
    watch?: boolean;
    debounceMs?: number;
    /** Told the problems of every load (start-up, SIGHUP, a file change): the reload metrics. */
    onLoad?: (problems: readonly string[]) => void;
  } = {},
): ReloadableRunbookStore {
  let state: Loaded = { runbooks: [], byAlert: new Map(), problems: [] };
  const reload = (): readonly string[] => {
    state = readRunbookDir(dir);
    for (const p of state.problems) logger.warn({ problem: p }, 'runbook problem');
    logger.info({ dir, runbooks: state.runbooks.length, problems: state.problems.length }, 'runbooks loaded');
    opts.onLoad?.(state.problems);
    return state.problems;
  };
  reload();

  let watcher: FSWatcher | undefined;
  let timer: NodeJS.Timeout | undefined;
  if (opts.watch) {
    try {
      watcher = watch(dir, { persistent: false }, () => {
        clearTimeout(timer);
        timer = setTimeout(reload, opts.debounceMs ?? 200);
        timer.unref();
      });
      watcher.on('error', (err) => logger.warn({ err: err.message, dir }, 'runbook watcher failed'));
    } catch (err) {
      logger.warn(
        { err: (err as Error).message, dir },
        'cannot watch runbooks directory; reload with SIGHUP',
      );
    }
  }

  return {
    forAlert: (alertname) => state.byAlert.get(alertname),
    list: () => state.runbooks,
    problems: () => state.problems,
    reload,
    close() {
      clearTimeout(timer);
      watcher?.close();
    },
  };
}
