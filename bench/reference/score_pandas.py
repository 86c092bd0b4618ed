"""The same scoring request as `greenlens score --data F.csv --out G.csv`,
written the way an analyst would with pandas + scikit-learn: fit an
IsolationForest (outside the timing: GreenLens loads a trained model), then
read the CSV, score the feature columns, flag, and write the rows plus
anomaly_score and is_anomaly. Used only by bench/score-cli.bench.ts.

argv: data.csv out.csv features(comma separated) trees sample_size threshold"""
import json
import sys
import time

import pandas as pd
from sklearn.ensemble import IsolationForest

data, out, features, trees, sample_size, threshold = sys.argv[1:7]
features = features.split(",")
t_fit = time.perf_counter()
fit = pd.read_csv(data, usecols=features)
model = IsolationForest(n_estimators=int(trees), max_samples=int(sample_size), random_state=1).fit(fit.to_numpy())
fit_seconds = time.perf_counter() - t_fit

t0 = time.perf_counter()
cpu0 = time.process_time()
df = pd.read_csv(data)
# Like GreenLens, keep an input column of the added names under <name>_input.
df = df.rename(columns={c: c + "_input" for c in ("anomaly_score", "is_anomaly") if c in df.columns})
# GreenLens's anomaly score is sklearn's score_samples negated (higher = more anomalous).
scores = -model.score_samples(df[features].to_numpy())
df["anomaly_score"] = scores
df["is_anomaly"] = (scores > float(threshold)).astype(int)
df.to_csv(out, index=False)
seconds = time.perf_counter() - t0
cpu_seconds = time.process_time() - cpu0
print(json.dumps({"seconds": seconds, "cpuSeconds": cpu_seconds, "fitSeconds": fit_seconds, "rows": len(df), "anomalies": int(df["is_anomaly"].sum())}))
