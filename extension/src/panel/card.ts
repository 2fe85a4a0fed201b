import { renderCompareResult } from '../compare/render';
import { externalLink, h, withInlineCode } from '../dom';
import { applicabilityLabel } from '../highlight/tooltip';
import { CompareState } from '../session';
import { ICellAnalysis, IFinding, IMigrationRecord } from '../tokens';
import { commonAffixes, diffLines, IDiffLine } from './diff';

/** What one cell's card shows. */
export interface ICardModel {
  cellId: string;
  /** 1-based position among the notebook's cells. */
  position: number;
  executionCount: number | null;
  source: string;
  /** The analysis of the cell, if it describes `source`. */
  analysis: ICellAnalysis | null;
  /** Whether the cell changed since it was analysed (buttons wait for the next analysis). */
  stale: boolean;
  record: IMigrationRecord | null;
  compare: CompareState | null;
}

export type CardAction = 'apply' | 'undo' | 'compare' | 'goto';

export interface ICardHandlers {
  action(action: CardAction, cellId: string): void;
  selectFinding(cellId: string, finding: IFinding): void;
}

export function renderCard(model: ICardModel, handlers: ICardHandlers): HTMLElement {
  const { analysis, record } = model;
  const findings = analysis?.findings ?? [];
  const canApply = !model.stale && analysis !== null && analysis.changed;
  const running = model.compare?.state === 'running';

  const button = (action: CardAction, label: string, title: string, enabled = true) => {
    const element = h(
      'button',
      { class: `tf2m-button tf2m-button-${action}`, type: 'button', 'data-tf2m-action': action, title },
      label
    );
    element.disabled = !enabled;
    element.addEventListener('click', () => handlers.action(action, model.cellId));
    return element;
  };

  return h(
    'section',
    {
      class: `tf2m-card${record ? ' tf2m-card-migrated' : ''}`,
      'data-tf2m-cell-id': model.cellId
    },
    h(
      'header',
      { class: 'tf2m-card-header' },
      h('span', { class: 'tf2m-card-title' }, `Cell ${model.position}`),
      model.executionCount !== null
        ? h('span', { class: 'tf2m-card-prompt' }, `[${model.executionCount}]`)
        : null,
      h('span', { class: 'tf2m-card-counts' }, countsLabel(model)),
      button('goto', 'Go to cell', 'Select this cell in the notebook')
    ),
    findings.length > 0 ? renderFindings(model.cellId, findings, handlers) : null,
    analysis && !analysis.parsed ? h('div', { class: 'tf2m-note' }, 'This cell does not parse, so it is left as it is.') : null,
    analysis?.skipped ? h('div', { class: 'tf2m-note' }, `Skipped: ${analysis.skipped}`) : null,
    renderProposal(model),
    h(
      'div',
      { class: 'tf2m-card-actions' },
      button('apply', 'Apply', 'Replace the cell with the proposal (the original is kept for Undo)', canApply),
      button('undo', 'Undo', 'Restore the source as it was before the first Apply', record !== null),
      button(
        'compare',
        running ? 'Comparing…' : 'Compare',
        'Run the original (TF1) and the migrated code (TF2) in the kernel and compare their values',
        !running
      )
    ),
    renderCompare(model.compare)
  );
}

function countsLabel(model: ICardModel): string {
  const findings = model.analysis?.findings ?? [];
  const parts: string[] = [];
  if (findings.length > 0) {
    parts.push(`${findings.length} finding${findings.length === 1 ? '' : 's'}`);
  }
  if (model.record) {
    parts.push('migrated');
  }
  if (model.stale) {
    parts.push('analysing…');
  }
  return parts.join(' · ');
}

function renderFindings(cellId: string, findings: IFinding[], handlers: ICardHandlers): HTMLElement {
  return h(
    'ul',
    { class: 'tf2m-findings' },
    ...findings.map(finding => {
      const item = h(
        'li',
        {
          class: `tf2m-finding-item tf2m-finding-${finding.applicability}`,
          'data-tf2m-code': finding.code,
          title: 'Select this code in the cell',
          tabindex: '0'
        },
        h('span', { class: 'tf2m-code' }, finding.code),
        h('span', { class: `tf2m-chip tf2m-chip-${finding.applicability}` }, applicabilityLabel(finding)),
        h('span', { class: 'tf2m-finding-location' }, `line ${finding.range.line}`),
        h('div', { class: 'tf2m-finding-message' }, withInlineCode(finding.message)),
        externalLink(finding.doc, 'guide ↗', 'tf2m-finding-doc')
      );
      const select = (event: Event) => {
        if ((event.target as HTMLElement).closest('a')) {
          return; // the guide link opens the guide
        }
        handlers.selectFinding(cellId, finding);
      };
      item.addEventListener('click', select);
      item.addEventListener('keydown', event => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          select(event);
        }
      });
      return item;
    })
  );
}

/** The diff of the proposal, or of the applied migration once the cell holds it. */
function renderProposal(model: ICardModel): HTMLElement | null {
  const { analysis, record } = model;
  if (analysis && analysis.changed && !model.stale) {
    const extra = [
      analysis.hidden_unsafe > 0
        ? `${analysis.hidden_unsafe} unsafe fix${analysis.hidden_unsafe === 1 ? '' : 'es'} left out (turn on “Apply unsafe fixes” in the settings)`
        : '',
      analysis.manual > 0 ? `${analysis.manual} finding${analysis.manual === 1 ? '' : 's'} to migrate by hand` : ''
    ].filter(Boolean);
    return h(
      'div',
      { class: 'tf2m-proposal' },
      h('div', { class: 'tf2m-proposal-title' }, 'Proposed change'),
      renderDiff(diffLines(model.source, analysis.source)),
      extra.length ? h('div', { class: 'tf2m-note' }, extra.join('; ')) : null
    );
  }
  if (record && record.original !== model.source) {
    return h(
      'details',
      { class: 'tf2m-proposal tf2m-applied' },
      h('summary', { class: 'tf2m-proposal-title' }, `Applied (${record.codes.join(', ') || 'no codes'})`),
      renderDiff(diffLines(record.original, model.source))
    );
  }
  return null;
}

function renderDiff(lines: IDiffLine[]): HTMLElement {
  const rows: HTMLElement[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.kind === 'del') {
      // Pair a block of removed lines with the added block after it, line by line,
      // to emphasise what changed inside each line.
      let end = i;
      while (end < lines.length && lines[end].kind === 'del') {
        end++;
      }
      let addEnd = end;
      while (addEnd < lines.length && lines[addEnd].kind === 'add') {
        addEnd++;
      }
      const removed = lines.slice(i, end);
      const added = lines.slice(end, addEnd);
      removed.forEach((del, k) => rows.push(diffRow('del', del.text, added[k]?.text)));
      added.forEach((add, k) => rows.push(diffRow('add', add.text, removed[k]?.text)));
      i = addEnd - 1;
    } else {
      rows.push(diffRow(line.kind, line.text));
    }
  }
  return h('pre', { class: 'tf2m-diff' }, ...rows);
}

function diffRow(kind: IDiffLine['kind'], text: string, counterpart?: string): HTMLElement {
  const sign = kind === 'add' ? '+' : kind === 'del' ? '-' : ' ';
  const row = h('div', { class: `tf2m-diff-line tf2m-diff-${kind}` }, h('span', { class: 'tf2m-diff-sign' }, sign));
  if (counterpart === undefined) {
    row.append(text);
    return row;
  }
  const [prefix, suffix] = commonAffixes(text, counterpart);
  if (prefix + suffix < Math.min(text.length, counterpart.length) / 2) {
    // Lines that share little are different lines, not an edit inside one.
    row.append(text);
    return row;
  }
  row.append(
    text.slice(0, prefix),
    h('span', { class: 'tf2m-diff-changed' }, text.slice(prefix, text.length - suffix)),
    text.slice(text.length - suffix)
  );
  return row;
}

function renderCompare(compare: CompareState | null): HTMLElement | null {
  if (!compare) {
    return null;
  }
  if (compare.state === 'running') {
    return h(
      'div',
      { class: 'tf2m-compare-area tf2m-compare-running' },
      'Running the original and the migrated code in the kernel…'
    );
  }
  const outcome = compare.outcome;
  if (outcome.kind === 'result') {
    return h('div', { class: 'tf2m-compare-area' }, renderCompareResult(outcome.result));
  }
  return h(
    'div',
    { class: 'tf2m-compare-area' },
    h(
      'div',
      { class: `tf2m-compare-message tf2m-compare-${outcome.kind}`, role: 'alert' },
      withInlineCode(outcome.message.split('\n\n')[0]),
      outcome.message.includes('\n\n') ? h('pre', {}, outcome.message.split('\n\n').slice(1).join('\n\n')) : null
    )
  );
}
