/**
 * A node:* module, reached synchronously through process.getBuiltinModule (Node >= 20.16, Deno 2, Bun),
 * so that importing ringlog loads no node:* module and synchronous paths (attach()) can still use them.
 */
export function nodeBuiltin<T>(name: string): T {
  return (globalThis as unknown as { process: { getBuiltinModule(name: string): T } }).process.getBuiltinModule(name);
}
