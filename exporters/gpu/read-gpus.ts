/**
 * Where the GPU readings come from: `nvidia-smi`, or a file holding its output (recorded output
 * in tests, the demo's injected fault). "No devices" is a state, not an error: a node without a
 * GPU, or without the driver's tools, answers with zero devices and says why.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { parseGpuQuery, QUERY_FIELDS, type GpuReading } from './parse-query.js';

export type GpuRead =
  | { state: 'ok'; gpus: GpuReading[] }
  | { state: 'no_devices'; reason: string }
  | { state: 'error'; reason: string };

export interface GpuSource {
  /** Path or name of nvidia-smi (default: found on PATH). */
  nvidiaSmi?: string;
  /** Read this file instead of running nvidia-smi; a missing file means no devices. */
  queryFile?: string;
  timeoutMs?: number;
}

export async function readGpus(source: GpuSource): Promise<GpuRead> {
  let output: string;
  if (source.queryFile !== undefined) {
    try {
      output = await readFile(source.queryFile, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT')
        return { state: 'no_devices', reason: `no query file at ${source.queryFile}` };
      return { state: 'error', reason: (err as Error).message };
    }
  } else {
    const ran = await runNvidiaSmi(source.nvidiaSmi ?? 'nvidia-smi', source.timeoutMs ?? 10_000);
    if (ran.state !== 'ok') return ran;
    output = ran.output;
  }
  try {
    const gpus = parseGpuQuery(output);
    return gpus.length === 0
      ? { state: 'no_devices', reason: 'nvidia-smi listed no GPU' }
      : { state: 'ok', gpus };
  } catch (err) {
    return { state: 'error', reason: (err as Error).message };
  }
}

function runNvidiaSmi(
  binary: string,
  timeoutMs: number,
): Promise<{ state: 'ok'; output: string } | Exclude<GpuRead, { state: 'ok' }>> {
  const args = [`--query-gpu=${QUERY_FIELDS.join(',')}`, '--format=csv,nounits'];
  return new Promise((resolve) => {
    execFile(binary, args, { timeout: timeoutMs, maxBuffer: 4 << 20 }, (err, stdout, stderr) => {
      if (!err) return resolve({ state: 'ok', output: stdout });
      const said = `${stdout}\n${stderr}`.trim();
      if ((err as NodeJS.ErrnoException).code === 'ENOENT')
        return resolve({ state: 'no_devices', reason: `${binary} not found` });
      // What nvidia-smi prints on a machine with the driver but no GPU.
      if (/No devices were found/i.test(said))
        return resolve({ state: 'no_devices', reason: 'No devices were found' });
      resolve({ state: 'error', reason: `${binary} failed: ${said.split('\n')[0] || err.message}` });
    });
  });
}
