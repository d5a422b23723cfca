import { renderTable } from '../../src/report/consoleTable';

describe('renderTable', () => {
  it('pads every column to its widest cell', () => {
    expect(renderTable(['A', 'LONGER'], [['wide cell', 'x'], ['y', 'z']]).split('\n').map(l => l.trimEnd())).toEqual(['A          LONGER', 'wide cell  x', 'y          z']);
  });

  it('renders two hundred thousand rows without overflowing the stack', () => {
    const rows = Array.from({ length: 200_000 }, (_, i) => [String(i), 'x']);
    const lines = renderTable(['N', 'V'], rows).split('\n');
    expect(lines).toHaveLength(200_001);
    expect(lines[200_000].trimEnd()).toBe('199999  x');
  });
});
