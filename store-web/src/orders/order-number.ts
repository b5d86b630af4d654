/** The human order number: the order's sequence number as ST-000123 (more digits once past 999999). */
export function formatOrderNumber(sequence: number): string {
  return `ST-${String(sequence).padStart(6, "0")}`;
}

/** The sequence number behind an order number, or undefined for anything formatOrderNumber would not write. */
export function parseOrderNumber(text: string): number | undefined {
  const match = /^ST-(\d{6,12})$/.exec(text);
  if (!match?.[1]) return undefined;
  const sequence = Number(match[1]);
  return sequence > 0 && formatOrderNumber(sequence) === text ? sequence : undefined;
}
