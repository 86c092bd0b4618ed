export const markerFile: string;
export function electronFingerprint(o: { electronVersion: string | null; lockFile: string | null; nodeVersion: string }): string;
export function startDecision(s: {
  binary: boolean;
  installScript: boolean;
  forceWeb: boolean;
  noDownload: boolean;
  marker: { fingerprint: string; reason: string } | null;
  fingerprint: string;
}): { action: 'electron' | 'download' | 'web'; why: string; clearMarker: boolean };
export function readMarker(file?: string): { fingerprint: string; reason: string } | null;
export function writeMarker(fingerprint: string, reason: string, file?: string): void;
export function clearMarker(file?: string): void;
export function currentFingerprint(): string;
