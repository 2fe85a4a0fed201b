import { h } from '../dom';
import { ICompareResult, ICompareRow } from '../tokens';

/**
 * The side-by-side table of a Compare: one row per value, with its largest
 * absolute and relative difference, then the wall time and device of each side.
 *
 * Used by the migration panel and by the MIME renderer, so a notebook output
 * and a panel card look the same.
 */
export function renderCompareResult(result: ICompareResult): HTMLElement {
  const rows = Array.isArray(result.rows) ? result.rows : [];
  const failed = rows.filter(row => !row.ok).length;
  const ok = result.ok === true && !result.error;
  const verdict = ok
    ? `Same results: ${rows.length} value${rows.length === 1 ? '' : 's'} compared`
    : result.error
      ? 'The comparison did not finish'
      : `${failed} of ${rows.length} value${rows.length === 1 ? '' : 's'} differ`;

  return h(
    'div',
    { class: 'tf2m-compare-result', 'data-tf2m-ok': String(ok) },
    h('div', { class: `tf2m-compare-verdict ${ok ? 'tf2m-ok' : 'tf2m-fail'}` }, `${ok ? '✓' : '✗'} ${verdict}`),
    rows.length > 0 ? renderTable(rows) : h('div', { class: 'tf2m-compare-empty' }, 'No values to compare: the cell bound no numbers, arrays or tensors.'),
    renderSides(result),
    result.error ? h('pre', { class: 'tf2m-compare-error' }, result.error) : null,
    renderStdout(result.stdout)
  );
}

function renderTable(rows: ICompareRow[]): HTMLElement {
  const header = h(
    'tr',
    {},
    h('th', {}, 'Name'),
    h('th', {}, 'Shape'),
    h('th', { class: 'tf2m-compare-dtype' }, 'Dtype'),
    h('th', { class: 'tf2m-num', title: 'Largest absolute difference' }, 'Abs err'),
    h('th', { class: 'tf2m-num', title: 'Largest relative difference' }, 'Rel err'),
    h('th', {}, '')
  );
  const body = rows.map(row =>
    h(
      'tr',
      { 'data-tf2m-ok': String(row.ok === true), title: row.note || undefined },
      h('td', { class: 'tf2m-compare-name' }, row.name),
      h('td', {}, formatShape(row.shape)),
      h('td', { class: 'tf2m-compare-dtype' }, row.dtype ?? '–'),
      h('td', { class: 'tf2m-num' }, formatError(row.max_abs_err)),
      h('td', { class: 'tf2m-num' }, formatError(row.max_rel_err)),
      h('td', { class: row.ok ? 'tf2m-ok' : 'tf2m-fail' }, row.ok ? '✓' : '✗')
    )
  );
  // The wrapper scrolls sideways when a sidebar is narrower than the table.
  return h(
    'div',
    { class: 'tf2m-compare-table-wrapper' },
    h('table', { class: 'tf2m-compare-table' }, h('thead', {}, header), h('tbody', {}, ...body))
  );
}

function renderSides(result: ICompareResult): HTMLElement {
  const side = (label: string, seconds: number | null | undefined, device: string | null | undefined) =>
    h(
      'div',
      { class: 'tf2m-compare-side' },
      h('span', { class: 'tf2m-compare-side-label' }, label),
      ` ${formatSeconds(seconds)} on ${device || 'unknown device'}`
    );
  return h(
    'div',
    { class: 'tf2m-compare-timings' },
    side('Original (TF1):', result.timings?.original, result.devices?.original),
    side('Migrated (TF2):', result.timings?.migrated, result.devices?.migrated)
  );
}

function renderStdout(stdout: ICompareResult['stdout']): HTMLElement | null {
  const text =
    typeof stdout === 'string'
      ? stdout
      : stdout
        ? Object.entries(stdout)
            .filter(([, value]) => value)
            .map(([side, value]) => `# ${side}\n${value}`)
            .join('\n')
        : '';
  if (!text.trim()) {
    return null;
  }
  return h(
    'details',
    { class: 'tf2m-compare-stdout' },
    h('summary', {}, 'Printed output'),
    h('pre', {}, text)
  );
}

export function formatShape(shape: ICompareRow['shape']): string {
  if (shape === null || shape === undefined) {
    return '–';
  }
  if (typeof shape === 'string') {
    return shape;
  }
  return `(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`;
}

export function formatError(value: ICompareRow['max_abs_err']): string {
  if (value === null || value === undefined) {
    return '–';
  }
  if (typeof value === 'string') {
    return value;
  }
  return value === 0 ? '0' : value.toExponential(2);
}

export function formatSeconds(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) {
    return '–';
  }
  if (seconds < 1) {
    return `${(seconds * 1000).toFixed(1)} ms`;
  }
  return `${seconds.toFixed(2)} s`;
}
