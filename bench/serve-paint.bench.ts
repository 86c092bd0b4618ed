// Web mode start-up: from spawning `greenlens serve` to a painted Overview tab
// in Chromium (the browser is started first: it is the user's, not ours).
import { chromium } from 'playwright-core';
import { serve } from '../e2e/serve';

const browser = await chromium.launch({
  executablePath: process.env.GREENLENS_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
const runs: { serveMs: number; paintMs: number }[] = [];
for (let i = 0; i < 5; i++) {
  const page = await browser.newPage();
  const app = await serve();
  await page.goto(app.url);
  await page.getByTestId('overview-metrics').waitFor({ state: 'visible' });
  // One animation frame after the cards exist = painted.
  await page.evaluate(
    () =>
      new Promise((r) => (globalThis as unknown as { requestAnimationFrame(cb: () => void): void }).requestAnimationFrame(() => r(null))),
  );
  runs.push({ serveMs: app.startupMs, paintMs: Date.now() - app.spawnedAt });
  await page.close();
  await app.stop();
}
await browser.close();
const paint = runs.map((r) => r.paintMs).sort((a, b) => a - b);
console.log(JSON.stringify({ bench: 'serve-to-paint', runs, medianPaintMs: paint[Math.floor(paint.length / 2)], targetMs: 1500 }));
