// The benchmark's rows: what was measured, through what, the figure, its bar and the verdict; printed as a
// plain table and written as Markdown.

export interface Row {
  area: string;
  what: string;
  /** What was measured: a node inside Node-RED, the client library, … */
  via: string;
  result: string;
  bar: string;
  /** undefined: no verdict (not measured, or a row shown for context). */
  pass: boolean | undefined;
}

export function verdict(row: Row): string {
  return row.pass === undefined ? 'n/a' : row.pass ? 'PASS' : 'FAIL';
}

export function markdownTable(rows: readonly Row[]): string {
  const esc = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = ['| Area | Measure | Measured through | Result | Bar | Verdict |', '|---|---|---|---|---|---|'];
  for (const r of rows) lines.push(`| ${[r.area, r.what, r.via, r.result, r.bar, `**${verdict(r)}**`].map(esc).join(' | ')} |`);
  return lines.join('\n');
}

/** One block per row: wide cells do not fit a terminal table. */
export function textReport(rows: readonly Row[]): string {
  return rows
    .map((r) => `${verdict(r).padEnd(4)}  ${r.area} — ${r.what}\n      result: ${r.result}\n      bar:    ${r.bar}\n      via:    ${r.via}`)
    .join('\n');
}

export function int(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function ms(n: number): string {
  return n >= 10_000 ? `${(n / 1000).toFixed(1)} s` : `${Math.round(n)} ms`;
}

export function ratio(n: number): string {
  return `${n.toFixed(n >= 10 ? 0 : 2)}×`;
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
