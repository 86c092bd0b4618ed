/** Drift and monitoring operations (DESIGN §6): drift reports, performance, health. */
export const monitoringOps = {};
