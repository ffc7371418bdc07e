// The natural order of labels and folder names: numbers inside them compared as numbers (seed=2 before seed=10),
// the rest as text; compare's groups, charts and run folders are ordered by it. Nothing else.

// A minus sign counts only after =, a blank, a comma, a colon or a bracket (xor-2 is a name, lr=-2 a number).
const NUMBER = /(?:(?<=^|[=\s,:([])-)?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?/gi;

/** A label's pieces: text between numbers, and the numbers (decimals and exponents read as such). */
function pieces(label: string): (string | number)[] {
  const out: (string | number)[] = [];
  let at = 0;
  for (const m of label.matchAll(NUMBER)) {
    out.push(label.slice(at, m.index), Number(m[0]));
    at = m.index + m[0].length;
  }
  out.push(label.slice(at));
  return out;
}

/** Labels in natural order: numbers inside them compared as numbers (units=4 before units=16, lr=0.01 before lr=0.1, 1e-3 before 0.01). */
export function naturalOrder(a: string, b: string): number {
  const [pa, pb] = [pieces(a), pieces(b)];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const [x, y] = [pa[i], pb[i]];
    const d = typeof x === 'number' && typeof y === 'number' ? x - y : String(x) < String(y) ? -1 : String(x) > String(y) ? 1 : 0;
    if (d !== 0) return d;
  }
  return pa.length - pb.length || (a < b ? -1 : a > b ? 1 : 0);
}
