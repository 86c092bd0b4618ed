import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// eslint.config.js refuses store selectors that build a new array or object on every read.
const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });

async function flagged(code: string): Promise<number> {
  const [result] = await eslint.lintText(code, { filePath: 'src-renderer/src/tabs/data/probe.tsx' });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-syntax').length;
}

const header = "import { useMemo, useState } from 'react';\nimport { useApp } from '../../state/store';\n";

describe('store selectors return what the store holds', () => {
  it.each([
    ['a fallback array', 'useApp((s) => s.settings?.recentRegistries ?? [])'],
    ['a fallback object', 'useApp((s) => s.info ?? {})'],
    ['a conditional array', 'useApp((s) => (s.settings ? s.settings.recentRegistries : []))'],
    ['an object literal', 'useApp((s) => ({ tab: s.tab, info: s.info }))'],
    ['an array literal', 'useApp((s) => [s.tab, s.info])'],
    ['a filtered list', "useApp((s) => s.datasets.filter((d) => d.id !== ''))"],
    ['Object.values', 'useApp((s) => Object.values(s.jobs))'],
  ])('flags %s', async (_, selector) => {
    expect(await flagged(`${header}export function Probe() {\n  return ${selector};\n}\n`)).toBe(1);
  });

  it.each([
    ['a stored value', 'useApp((s) => s.settings?.recentRegistries ?? NONE)'],
    ['a primitive from a list', "useApp((s) => Object.values(s.jobs).some((j) => j.op === 'model.train'))"],
    ['a lazy useState', 'useState(() => [])'],
    ['a memo', 'useMemo(() => ({ a: 1 }), [])'],
  ])('leaves %s alone', async (_, selector) => {
    expect(await flagged(`${header}const NONE: string[] = [];\nexport function Probe() {\n  return ${selector};\n}\n`)).toBe(0);
  });
});
