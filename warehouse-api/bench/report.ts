// What both benchmarks print: summary statistics in a fixed-width text table.

/** The p-quantile (0..1) of `sorted` (ascending), by the nearest-rank method; NaN when there is none. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? Number.NaN;
  return sorted.length % 2 ? upper : ((sorted[middle - 1] ?? Number.NaN) + upper) / 2;
}

/** `value` with `digits` decimals, or "-" for a number that is not one (a median of nothing). */
export const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : "-");

/**
 * A fixed-width text table: `row` pads each cell to its column's width, the first `labels` columns to the
 * left (names), the others to the right (numbers); `header` is the row of titles.
 */
export function textTable(columns: readonly (readonly [title: string, width: number])[], labels: number) {
  const row = (cells: string[]) =>
    cells
      .map((cell, i) => {
        const width = columns[i]?.[1] ?? 0;
        return i < labels ? cell.padEnd(width) : cell.padStart(width);
      })
      .join(" ");
  return { row, header: row(columns.map(([title]) => title)) };
}
