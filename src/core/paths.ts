import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The installed package's root folder (where package.json, data/ and contracts/ live),
 * found by walking up from this compiled file, so it works from dist/ or any build folder.
 */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'data'))) return dir;
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}

/** A path inside the package root. */
export function packagePath(...parts: string[]): string {
  return join(packageRoot(), ...parts);
}
