/** Model operations (DESIGN §5): CSV import, training, scoring, explanations. */
export const modelOps = {};
