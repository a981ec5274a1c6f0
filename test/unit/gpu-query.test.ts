/**
 * nvidia-smi's --query-gpu CSV as the GPU exporter parses it: the recorded output of a real H100
 * (exporters/gpu/recorded/, source in its README), the exporter's own nounits form, and the
 * values nvidia-smi prints when it has none.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gpuQueryOutput } from '../../demo/gpu-fault.js';
import { parseGpuQuery, QueryParseError } from '../../exporters/gpu/parse-query.js';

const RECORDED = join(import.meta.dirname, '../../exporters/gpu/recorded');
const recorded = (name: string): string => readFileSync(join(RECORDED, name), 'utf8');

describe('parseGpuQuery', () => {
  it('reads the recorded H100 under load (every field, units in the values)', () => {
    assert.deepEqual(parseGpuQuery(recorded('h100-load.csv')), [
      {
        index: '0',
        uuid: 'GPU-00000000-0000-0000-0000-000000000000',
        name: 'NVIDIA H100 80GB HBM3',
        utilizationGpu: 100,
        utilizationMemory: 11,
        memoryUsedMiB: 19818,
        memoryFreeMiB: 61263,
        memoryTotalMiB: 81559,
        temperatureC: 59,
        powerDrawW: 631.95,
        smClockMHz: 1980,
      },
    ]);
  });

  it('reads the recorded idle H100', () => {
    const [gpu] = parseGpuQuery(recorded('h100-idle.csv'));
    assert.equal(gpu?.utilizationGpu, 0);
    assert.equal(gpu?.temperatureC, 41);
    assert.equal(gpu?.powerDrawW, 69.85);
    assert.equal(gpu?.smClockMHz, 345);
  });

  it("reads the exporter's own query (nounits, clocks.sm), two GPUs, and leaves out [N/A]", () => {
    const output = [
      'index, uuid, name, utilization.gpu [%], utilization.memory [%], memory.used [MiB], memory.free [MiB], memory.total [MiB], temperature.gpu, power.draw [W], clocks.current.sm [MHz]',
      '0, GPU-a, Tesla T4, 37, 12, 1020, 14000, 15360, 48, 31.50, 1590',
      '1, GPU-b, Tesla T4, [N/A], [Not Supported], 0, 15020, 15360, 35, [N/A], 300',
    ].join('\n');
    const gpus = parseGpuQuery(`${output}\n`);
    assert.equal(gpus.length, 2);
    assert.equal(gpus[0]?.powerDrawW, 31.5);
    assert.equal(gpus[1]?.utilizationGpu, undefined);
    assert.equal(gpus[1]?.utilizationMemory, undefined);
    assert.equal(gpus[1]?.powerDrawW, undefined);
    assert.equal(gpus[1]?.smClockMHz, 300);
  });

  it('a header alone is no GPU; an empty output is none either', () => {
    assert.deepEqual(parseGpuQuery('index, uuid, name\n'), []);
    assert.deepEqual(parseGpuQuery(''), []);
  });

  it('refuses output it cannot line up, naming the line', () => {
    assert.throws(() => parseGpuQuery('index, uuid, name\n0, GPU-a\n'), QueryParseError);
    assert.throws(() => parseGpuQuery('index, uuid, name\n0, GPU-a\n'), /line 2 has 2 values for 3 columns/);
    assert.throws(() => parseGpuQuery('temperature.gpu\n40\n'), /no "index" column/);
  });
});

describe("the demo's GPU fault", () => {
  it('is the recorded output with only the temperature replaced', () => {
    const [hot] = parseGpuQuery(gpuQueryOutput({ temperatureC: 92 }));
    const [original] = parseGpuQuery(recorded('h100-load.csv'));
    assert.deepEqual(hot, { ...original, temperatureC: 92 });
  });

  it('fills the memory to a ratio, used and free adding up to the total', () => {
    const [full] = parseGpuQuery(gpuQueryOutput({ memoryUsedRatio: 0.97 }));
    assert.equal(full?.memoryUsedMiB, Math.round(81559 * 0.97));
    assert.equal((full?.memoryUsedMiB ?? 0) + (full?.memoryFreeMiB ?? 0), 81559);
  });
});
