/**
 * Parses `nvidia-smi --query-gpu=... --format=csv[,nounits]` output (with its header line). Columns
 * are found by name, so any field order and any superset of fields works, the header's unit
 * suffixes (`utilization.gpu [%]`) and the values' units (`45 %`, `1024 MiB`) are both accepted,
 * and a value nvidia-smi cannot give (`[N/A]`, `[Not Supported]`, ...) is left out
 * (`nvidia-smi --help-query-gpu`).
 */
export interface GpuReading {
  index: string;
  uuid: string;
  name: string;
  utilizationGpu?: number;
  utilizationMemory?: number;
  memoryUsedMiB?: number;
  memoryFreeMiB?: number;
  memoryTotalMiB?: number;
  temperatureC?: number;
  powerDrawW?: number;
  smClockMHz?: number;
}

/** The fields the exporter asks for. `clocks.sm` is printed back as `clocks.current.sm`. */
export const QUERY_FIELDS = [
  'index',
  'uuid',
  'name',
  'utilization.gpu',
  'utilization.memory',
  'memory.used',
  'memory.free',
  'memory.total',
  'temperature.gpu',
  'power.draw',
  'clocks.sm',
] as const;

const ALIASES: Record<string, string> = { 'clocks.sm': 'clocks.current.sm' };
const NUMBER = /^-?\d+(\.\d+)?(\s*[A-Za-z%]+)?$/;

export class QueryParseError extends Error {
  override name = 'QueryParseError';
}

/** @example parseGpuQuery('index, uuid, name, temperature.gpu\n0, GPU-a, Tesla T4, 48\n')[0]?.temperatureC // 48 */
export function parseGpuQuery(output: string): GpuReading[] {
  const lines = output.split(/\r?\n/).filter((line) => line.trim() !== '');
  const [header, ...rows] = lines;
  if (header === undefined) return [];
  const columns = header.split(',').map((c) => c.trim().replace(/\s*\[[^\]]*\]$/, ''));
  const at = (field: string): number => {
    const alias = ALIASES[field];
    const i = alias === undefined ? -1 : columns.indexOf(alias);
    return i === -1 ? columns.indexOf(field) : i;
  };
  for (const required of ['index', 'uuid', 'name'])
    if (at(required) === -1) throw new QueryParseError(`nvidia-smi output has no "${required}" column`);
  return rows.map((row, n) => {
    const cells = row.split(',').map((c) => c.trim());
    if (cells.length !== columns.length)
      throw new QueryParseError(
        `nvidia-smi line ${n + 2} has ${cells.length} values for ${columns.length} columns`,
      );
    const text = (field: string): string => cells[at(field)] ?? '';
    const num = (field: string): number | undefined => {
      const i = at(field);
      const cell = i === -1 ? '' : (cells[i] ?? '');
      return NUMBER.test(cell) ? Number.parseFloat(cell) : undefined;
    };
    return {
      index: text('index'),
      uuid: text('uuid'),
      name: text('name'),
      utilizationGpu: num('utilization.gpu'),
      utilizationMemory: num('utilization.memory'),
      memoryUsedMiB: num('memory.used'),
      memoryFreeMiB: num('memory.free'),
      memoryTotalMiB: num('memory.total'),
      temperatureC: num('temperature.gpu'),
      powerDrawW: num('power.draw'),
      smClockMHz: num('clocks.sm'),
    };
  });
}
