import { Notebook } from '@jupyterlab/notebook';

import { h } from '../dom';
import { ICellAnalysis } from '../tokens';

const BADGE_CLASS = 'tf2m-cell-badge';
const HAS_FINDINGS_CLASS = 'tf2m-has-findings';

/**
 * Put a badge on every cell with findings and take it off the others.
 *
 * The badge lives on the cell widget's node, not in the editor, so it is there
 * for cells whose editor a windowed notebook has not created yet.
 */
export function syncBadges(
  notebook: Notebook,
  results: ReadonlyMap<string, ICellAnalysis>,
  onClick: (cellId: string) => void
): void {
  for (const cell of notebook.widgets) {
    const analysis = results.get(cell.model.id);
    const count = analysis?.findings.length ?? 0;
    let badge = cell.node.querySelector<HTMLElement>(`:scope > .${BADGE_CLASS}`);
    if (count === 0) {
      badge?.remove();
      cell.removeClass(HAS_FINDINGS_CLASS);
      continue;
    }
    if (!badge) {
      badge = h('button', { class: BADGE_CLASS, type: 'button' });
      const cellId = cell.model.id;
      badge.addEventListener('click', event => {
        event.stopPropagation();
        onClick(cellId);
      });
      cell.node.append(badge);
    }
    const codes = Array.from(new Set(analysis!.findings.map(f => f.code))).join(', ');
    badge.textContent = `TF1 ${count}`;
    badge.title = `${count} TensorFlow 1.x finding${count === 1 ? '' : 's'} (${codes}); click to open the migration panel`;
    badge.dataset.tf2mCount = String(count);
    cell.addClass(HAS_FINDINGS_CLASS);
  }
}

/** Remove every badge, e.g. when the notebook is no longer analysed. */
export function clearBadges(notebook: Notebook): void {
  syncBadges(notebook, new Map(), () => undefined);
}
