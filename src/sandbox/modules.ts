/**
 * The module whitelist a deployment starts from, and the modules no whitelist can add. The sandbox's
 * Python guard (runtime/guard.py) enforces the same lists from the inside.
 */

/** Importable by default, as in MCPBox. Admins extend the list per deployment; tools can only request. */
export const DEFAULT_ALLOWED_MODULES: readonly string[] = Object.freeze([
  'json', 'base64', 'binascii', 'html', 'datetime', 'calendar', 'zoneinfo', 'math', 'cmath', 'decimal', 'fractions',
  'statistics', 're', 'string', 'textwrap', 'difflib', 'urllib.parse', 'collections', 'collections.abc', 'itertools',
  'functools', 'typing', 'dataclasses', 'enum', 'uuid', 'copy', 'hashlib', 'hmac',
]);

/** Never importable, whatever the whitelist says: the OS, processes, sockets, introspection and the JS bridge. */
export const ALWAYS_FORBIDDEN_MODULES: readonly string[] = Object.freeze([
  'os', 'sys', 'subprocess', 'shutil', 'pathlib', 'pickle', 'marshal', 'socket', 'inspect', 'gc', 'builtins',
  'ctypes', 'js', 'pyodide_js', 'pyodide', 'pyodide.code', 'pyodide.ffi', '_pyodide', 'importlib', 'io', 'asyncio',
  'threading', 'multiprocessing', 'signal', 'select', 'ssl', 'http', 'urllib.request', 'tempfile', 'glob', 'types', 'ast',
]);

/** True when `name` (or a parent package of it) is always forbidden. */
export function isAlwaysForbidden(name: string): boolean {
  const parts = name.split('.');
  return parts.some((_, i) => ALWAYS_FORBIDDEN_MODULES.includes(parts.slice(0, i + 1).join('.')));
}
