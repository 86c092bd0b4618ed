"""The same drift check as `greenlens drift --reference A --current B`, written
the way an analyst would with pandas + scipy: read both CSVs, then per numeric
column PSI on reference deciles, ks_2samp, mean shift, Wasserstein and
Jensen-Shannon. Used only by bench/drift-cli.bench.ts for a timing comparison."""
import json
import sys
import time

import numpy as np
import pandas as pd
from scipy import stats
from scipy.spatial import distance

t0 = time.perf_counter()
cpu0 = time.process_time()
ref = pd.read_csv(sys.argv[1])
cur = pd.read_csv(sys.argv[2])
out = []
for col in ref.select_dtypes("number").columns:
    r = ref[col].dropna().to_numpy()
    c = cur[col].dropna().to_numpy()
    edges = np.unique(np.quantile(r, np.arange(1, 10) / 10))
    rp = np.bincount(np.searchsorted(edges, r, side="left"), minlength=len(edges) + 1) / len(r)
    cp = np.bincount(np.searchsorted(edges, c, side="left"), minlength=len(edges) + 1) / len(c)
    rp = np.where(rp == 0, 1e-4, rp)
    cp = np.where(cp == 0, 1e-4, cp)
    psi = float(np.sum((cp - rp) * np.log(cp / rp)))
    ks = stats.ks_2samp(r, c)
    sd = r.std()
    out.append({
        "name": col,
        "psi": psi,
        "ks": {"statistic": float(ks.statistic), "pValue": float(ks.pvalue)},
        "meanShift": float(abs(c.mean() - r.mean()) / sd) if sd else 0.0,
        "wasserstein": float(stats.wasserstein_distance(r, c) / sd) if sd else 0.0,
        "jensenShannon": float(distance.jensenshannon(rp, cp)),
    })
print(json.dumps({"seconds": time.perf_counter() - t0, "cpuSeconds": time.process_time() - cpu0, "features": out}))
