/** Public surface of the anomaly model (ARCHITECTURE §5). */
export { cFactor, DEFAULT_PARAMS, fitIsolationForest, predict, resolveParams, scoreSamples } from './isolation-forest';
export type { FitHooks, ForestArrays, IForestModel, IForestParams } from './isolation-forest';
export { loadModel, modelToJson, serializeModel, MODEL_FORMAT, MODEL_FORMAT_VERSION } from './serialize';
export type { SerializedForest, SerializedModel } from './serialize';
export { explainRow, explainRowAt, featureShares, referenceFromColumns } from './explain';
export type { FeatureContribution, FeatureReference } from './explain';
export { evaluate, evaluateLabels, rocAuc, sortedScores, summarizeScores } from './evaluate';
export type { Evaluation, ScoreSummary } from './evaluate';
export { applyGroupScaler, fitGroupScaler, loadScaler, scalerToJson, unseenGroups, IQR_TO_SIGMA, MIN_GROUP_VALUES } from './preprocess';
export type { GroupCodes, GroupScaler, GroupStats, ScalerStats } from './preprocess';
export { applyPreprocess, loadModelArtifact, modelArtifactToJson, ARTIFACT_FORMAT, ARTIFACT_FORMAT_VERSION } from './artifact';
export type { ModelArtifact, Preprocess } from './artifact';
