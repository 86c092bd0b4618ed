export function findElectron(): { path: string | null; reason: string };
export const electronInstallScript: string;
