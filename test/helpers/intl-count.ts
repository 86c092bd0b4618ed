/**
 * Replaces Intl.DateTimeFormat with a subclass that counts the formatters built (locale data is loaded on the first),
 * for tests that a path builds none, or builds one only when asked; `restore` puts the real one back.
 */
export function countDateFormats(): { made: () => number; restore: () => void } {
  const Real = Intl.DateTimeFormat;
  let made = 0;
  class Counting extends Real {
    constructor(...args: ConstructorParameters<typeof Real>) {
      super(...args);
      made++;
    }
  }
  Object.defineProperty(Intl, 'DateTimeFormat', { value: Counting, configurable: true, writable: true });
  return {
    made: () => made,
    restore: () => Object.defineProperty(Intl, 'DateTimeFormat', { value: Real, configurable: true, writable: true }),
  };
}
