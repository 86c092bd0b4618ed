/** The model registry (ARCHITECTURE §4): pure Node, no Electron. */
export { Registry, defaultUser, type ListOptions, type RegistryOptions } from './registry';
export { exportRegistry, importRegistry, type ExportResult, type ImportResult } from './archive';
export { withLock, type LockInfo, type LockOptions } from './lock';
export { appendLine, appendLines, readNdjson, writeFileAtomic, type NdjsonRead } from './atomic';
export { rollbackTarget } from './deployments';
export { compareRecords, metricDirection } from './compare';
export { CURRENT_FORMAT_VERSION, MANIFEST_FILE } from './manifest';
export { compareSemver, isValidName, isValidVersion } from './names';
export type { Manifest } from './schema';
export type * from './types';
