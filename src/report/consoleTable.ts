/** A plain text table for terminals: left-aligned columns, one header line. */
export function renderTable(headers: string[], rows: string[][]): string {
  // Folded, not spread into Math.max: a table of a hundred thousand rows would overflow the stack.
  const widths = headers.map((h, i) => rows.reduce((width, r) => Math.max(width, (r[i] ?? '').length), h.length));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

/** Terminal control characters from tags or names must not reach the screen. */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}
