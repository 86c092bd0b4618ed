import type { Router } from '../backend/host/router';
import type { LiveScoreInfo } from '../contract/ops/live';

/**
 * POST /api/readings: systems that push (BMS gateways, scripts) send the same
 * payload as over MQTT (one JSON object, or an array) and get the same result
 * objects back, in the payload's shape; a rejected reading in an array is
 * answered in its place with {"error": "..."}. `?model=` and `?alias=`
 * choose the version like the stream command. 200 once the readings are
 * scored and in the prediction log; 400 when none could be scored.
 */
export async function postReadings(router: Router, body: unknown, url: URL): Promise<{ status: number; body: unknown }> {
  const model = url.searchParams.get('model');
  const alias = url.searchParams.get('alias');
  const r = await router.call('live.score', { readings: body, ...(model ? { model } : {}), ...(alias ? { alias } : {}) });
  if (!r.ok) {
    const status = r.error.code === 'invalid_input' ? 400 : r.error.code === 'not_found' ? 404 : 500;
    return {
      status,
      body: { ok: false, error: { code: r.error.code, message: r.error.message, ...(r.error.hint ? { hint: r.error.hint } : {}) } },
    };
  }
  const v = r.value as LiveScoreInfo;
  return { status: 200, body: v.array ? v.items : v.items[0] };
}
