export * from './prediction-log';
export * from './performance';
export * from './health';
export { percentiles, percentilesInPlace } from './percentile';
