/**
 * Is this byte string one JSON text (RFC 8259), as JSON.parse would accept it?
 * A single pass over the bytes that builds nothing: the registry only needs
 * to know an artifact is data, and a full JSON.parse of a 5 MB model costs
 * about ten times more than this check.
 */
const OBJECT = 1;
const ARRAY = 2;

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isHex(c: number): boolean {
  return isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** Index after the string starting at `i` (which holds the opening quote), or -1. */
function skipString(b: Uint8Array, i: number): number {
  const n = b.length;
  for (i++; i < n; i++) {
    const c = b[i]!;
    if (c === 0x22) return i + 1;
    if (c < 0x20) return -1;
    if (c === 0x5c) {
      const e = b[++i];
      if (e === 0x75) {
        if (i + 4 >= n) return -1;
        for (let k = 1; k <= 4; k++) if (!isHex(b[i + k]!)) return -1;
        i += 4;
      } else if (e !== 0x22 && e !== 0x5c && e !== 0x2f && e !== 0x62 && e !== 0x66 && e !== 0x6e && e !== 0x72 && e !== 0x74) {
        return -1;
      }
    }
  }
  return -1;
}

/** Index after the number starting at `i`, or -1. */
function skipNumber(b: Uint8Array, i: number): number {
  if (b[i] === 0x2d) i++;
  if (b[i] === 0x30) i++;
  else if (isDigit(b[i] ?? 0) && b[i] !== 0x30) while (isDigit(b[i] ?? 0)) i++;
  else return -1;
  if (b[i] === 0x2e) {
    i++;
    if (!isDigit(b[i] ?? 0)) return -1;
    while (isDigit(b[i] ?? 0)) i++;
  }
  if (b[i] === 0x65 || b[i] === 0x45) {
    i++;
    if (b[i] === 0x2b || b[i] === 0x2d) i++;
    if (!isDigit(b[i] ?? 0)) return -1;
    while (isDigit(b[i] ?? 0)) i++;
  }
  return i;
}

function skipLiteral(b: Uint8Array, i: number, word: string): number {
  for (let k = 0; k < word.length; k++) if (b[i + k] !== word.charCodeAt(k)) return -1;
  return i + word.length;
}

export function isJsonText(b: Uint8Array): boolean {
  try {
    return scan(b);
  } catch {
    return false; // nesting deeper than the call stack: JSON.parse fails there too
  }
}

function scan(b: Uint8Array): boolean {
  const n = b.length;
  const stack: number[] = [];
  let i = 0;
  const ws = (): void => {
    while (i < n && isWs(b[i]!)) i++;
  };
  // Expects a value at i; containers are pushed and closed by the loop below.
  const value = (): boolean => {
    ws();
    const c = b[i];
    if (c === 0x7b || c === 0x5b) {
      i++;
      ws();
      if (b[i] === (c === 0x7b ? 0x7d : 0x5d)) {
        i++;
        return true;
      }
      stack.push(c === 0x7b ? OBJECT : ARRAY);
      return c === 0x7b ? member() : value();
    }
    if (c === 0x22) i = skipString(b, i);
    else if (c === 0x74) i = skipLiteral(b, i, 'true');
    else if (c === 0x66) i = skipLiteral(b, i, 'false');
    else if (c === 0x6e) i = skipLiteral(b, i, 'null');
    else i = skipNumber(b, i);
    return i >= 0;
  };
  // Expects `"key": value` at i.
  const member = (): boolean => {
    ws();
    if (b[i] !== 0x22) return false;
    i = skipString(b, i);
    if (i < 0) return false;
    ws();
    if (b[i] !== 0x3a) return false;
    i++;
    return value();
  };

  if (!value()) return false;
  while (stack.length > 0) {
    ws();
    const top = stack[stack.length - 1];
    const c = b[i];
    if (c === 0x2c) {
      i++;
      if (!(top === OBJECT ? member() : value())) return false;
    } else if (c === (top === OBJECT ? 0x7d : 0x5d)) {
      i++;
      stack.pop();
    } else {
      return false;
    }
  }
  ws();
  return i === n;
}
