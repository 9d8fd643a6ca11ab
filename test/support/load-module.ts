// Loads a CommonJS module whose path is known only at run time (a node file of the build, or a package inside
// the Node-RED under test), typed by the caller. The same module cache and loading as `require(file)`.
import { createRequire } from 'node:module';

const load = createRequire(__filename);

/** `file`: an absolute path (for a package, from require.resolve with the folder to look in). */
export function loadModule<T>(file: string): T {
  return load(file) as T;
}
