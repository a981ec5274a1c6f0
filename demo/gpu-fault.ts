/**
 * The GPU fault: writes nvidia-smi output for the GPU exporter to read (its GPU_QUERY_FILE): the
 * recorded output of a real H100 under load (exporters/gpu/recorded/), with the temperature, or
 * the memory used, replaced. Clearing removes the file, and the exporter reports no devices again.
 */
import { readFileSync } from 'node:fs';
import { rm, writeFile, rename } from 'node:fs/promises';
import { join } from 'node:path';

const RECORDED = join(import.meta.dirname, '../exporters/gpu/recorded/h100-load.csv');

export interface GpuFault {
  temperatureC?: number;
  memoryUsedRatio?: number;
}

/** The recorded line with some columns replaced (by header name; units kept as recorded). */
export function gpuQueryOutput(fault: GpuFault, recorded = readFileSync(RECORDED, 'utf8')): string {
  const [header = '', row = ''] = recorded.split('\n');
  const columns = header.split(',').map((c) => c.trim());
  const cells = row.split(',').map((c) => c.trim());
  const set = (column: string, value: string): void => {
    const i = columns.indexOf(column);
    if (i === -1) throw new Error(`recorded nvidia-smi output has no "${column}" column`);
    cells[i] = value;
  };
  if (fault.temperatureC !== undefined) set('temperature.gpu', String(Math.round(fault.temperatureC)));
  if (fault.memoryUsedRatio !== undefined) {
    const total = Number.parseFloat(cells[columns.indexOf('memory.total [MiB]')] ?? '');
    const used = Math.round(total * fault.memoryUsedRatio);
    set('memory.used [MiB]', `${used} MiB`);
    set('memory.free [MiB]', `${Math.max(0, Math.round(total) - used)} MiB`);
  }
  return `${header}\n${cells.join(', ')}\n`;
}

export async function writeGpuFault(path: string, fault: GpuFault): Promise<void> {
  // Written aside and renamed, so the exporter never reads half a file.
  await writeFile(`${path}.tmp`, gpuQueryOutput(fault));
  await rename(`${path}.tmp`, path);
}

export async function clearGpuFault(path: string): Promise<void> {
  await rm(path, { force: true });
}
