/**
 * Opens another registry folder. Filled in by the registry views: in the
 * desktop app a native folder dialog, in web mode a typed path.
 */
export function OpenRegistryButton() {
  return null;
}
