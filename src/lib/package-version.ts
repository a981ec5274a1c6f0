import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * alert-router's version from its package.json, found by walking up from this file: the same code
 * runs from src/ (tsx) and from dist/src/ (the image), at different depths. 'unknown' if none.
 */
export function packageVersion(from = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from, i = 0; i < 6; i++, dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'alert-router' && pkg.version) return pkg.version;
    } catch {
      // no package.json here: one level up
    }
  }
  return 'unknown';
}
