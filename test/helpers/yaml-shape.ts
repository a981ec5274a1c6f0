import assert from 'node:assert/strict';

/** Assertions that narrow parsed YAML, naming the path when the shape is wrong. */
export type Obj = Record<string, unknown>;

export function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function obj(value: unknown, what: string): Obj {
  assert.ok(isObj(value), `${what}: expected a mapping, got ${JSON.stringify(value)}`);
  return value;
}

export function list(value: unknown, what: string): unknown[] {
  assert.ok(Array.isArray(value), `${what}: expected a list, got ${JSON.stringify(value)}`);
  return value;
}

export function str(value: unknown, what: string): string {
  assert.equal(typeof value, 'string', `${what}: expected a string, got ${JSON.stringify(value)}`);
  return value as string;
}
