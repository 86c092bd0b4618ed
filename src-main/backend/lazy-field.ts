/**
 * Makes `obj[key]` computed on first read, then kept. Enumerable, so the app
 * still receives it (structured clone and JSON read every property) while the
 * CLI, which prints only some fields, never pays for the others. Redefining an
 * existing key keeps its place in the object's field order.
 */
export function defineLazy<T extends object, K extends keyof T>(obj: T, key: K, compute: () => T[K]): void {
  Object.defineProperty(obj, key, {
    enumerable: true,
    configurable: true,
    get: () => {
      const value = compute();
      Object.defineProperty(obj, key, { value, enumerable: true, configurable: true, writable: true });
      return value;
    },
  });
}
