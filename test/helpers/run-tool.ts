import { execFile } from 'node:child_process';

export interface ToolResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a command-line checker (promtool, amtool) to completion. A non-zero exit is a result, not
 * an error, so the test can show the tool's own output; a missing binary rejects, naming the
 * Debian package that brings it (the suite fails, it is never skipped).
 * @example const r = await runTool('promtool', ['check', 'rules', file], { pkg: 'prometheus', cwd: ROOT })
 */
export function runTool(
  binary: string,
  args: readonly string[],
  opts: { pkg: string; cwd: string; timeoutMs?: number },
): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    execFile(
      binary,
      [...args],
      { cwd: opts.cwd, timeout: opts.timeoutMs ?? 120_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
          reject(new Error(`${binary} is not installed or not on PATH (Debian: apt-get install ${opts.pkg})`));
          return;
        }
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });
}
