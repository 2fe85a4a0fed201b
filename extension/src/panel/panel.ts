import { LabIcon } from '@jupyterlab/ui-components';
import { Widget } from '@lumino/widgets';

import { MigrationController } from '../actions';
import { h } from '../dom';
import { migrationRecord } from '../migration';
import { NotebookSession } from '../session';
import { FAMILY_LABELS, IAnalysisSummary, PANEL_ID } from '../tokens';
import { CardAction, ICardModel, renderCard } from './card';

/**
 * The migration sidebar: a summary of the active notebook, then one card per
 * cell that has findings, was migrated, or was compared.
 *
 * Cards are rebuilt only when what they show changed, so an analysis after a
 * keystroke in one cell does not redraw (and collapse) the others.
 */
export class MigrationPanel extends Widget {
  constructor(controller: MigrationController, icon: LabIcon) {
    super();
    this.id = PANEL_ID;
    this.addClass('tf2m-panel');
    this.title.icon = icon;
    this.title.caption = 'TensorFlow 1 → 2 migration';
    this._controller = controller;

    this._header = h('div', { class: 'tf2m-panel-header' });
    this._summary = h('div', { class: 'tf2m-summary' });
    this._kernel = h('div', { class: 'tf2m-kernel-status' });
    this._cards = h('div', { class: 'tf2m-cards' });
    this.node.append(this._header, this._summary, this._kernel, this._cards);

    controller.currentChanged.connect((_, session) => this._follow(session));
    controller.revealRequested.connect((_, cellId) => this.reveal(cellId));
    this._follow(controller.current());
  }

  /** Scroll a cell's card into view and flash it. */
  reveal(cellId: string): void {
    this._render();
    const card = this._cardElements.get(cellId)?.element;
    if (card) {
      card.scrollIntoView({ block: 'nearest' });
      card.classList.add('tf2m-card-flash');
      setTimeout(() => card.classList.remove('tf2m-card-flash'), 1200);
    }
  }

  private _follow(session: NotebookSession | null): void {
    if (session === this._session) {
      return;
    }
    this._session?.changed.disconnect(this._scheduleRender, this);
    this._session?.panel.content.model?.contentChanged.disconnect(this._scheduleRender, this);
    this._session = session;
    this._cardElements.clear();
    this._cards.replaceChildren();
    session?.changed.connect(this._scheduleRender, this);
    // Metadata edits (Apply, Undo, collaborators) do not go through the analysis.
    session?.panel.content.model?.contentChanged.connect(this._scheduleRender, this);
    this._render();
  }

  private _scheduleRender(): void {
    if (this._frame !== null) {
      return;
    }
    this._frame = requestAnimationFrame(() => {
      this._frame = null;
      this._render();
    });
  }

  private _render(): void {
    const session = this._session;
    if (!session || session.isDisposed) {
      this._header.replaceChildren(h('h2', {}, 'TF1 → TF2 migration'));
      this._summary.replaceChildren(
        h('p', { class: 'tf2m-empty' }, 'Open a notebook to see its TensorFlow 1.x code here.')
      );
      this._kernel.replaceChildren();
      this._cards.replaceChildren();
      return;
    }
    this._renderHeader(session);
    this._renderSummary(session);
    this._renderKernel(session);
    this._renderCards(session);
  }

  private _renderHeader(session: NotebookSession): void {
    const analyzer = session.analyzer;
    const settings = this._controller.settings.current;
    const state: HTMLElement | null = analyzer.error
      ? h('div', { class: 'tf2m-error', role: 'alert' }, `Analysis failed: ${analyzer.error}`)
      : analyzer.busy
        ? h('div', { class: 'tf2m-busy' }, 'Analysing…')
        : !analyzer.isPython()
          ? h('div', { class: 'tf2m-note' }, 'Not a Python notebook: nothing to migrate.')
          : null;
    const children: (HTMLElement | null)[] = [
      h('h2', {}, 'TF1 → TF2 migration'),
      h(
        'div',
        { class: 'tf2m-panel-notebook' },
        session.panel.context.localPath,
        h(
          'span',
          { class: 'tf2m-level', title: 'Change in Settings › tf2-migrate' },
          ` · level ${settings.level}${settings.unsafeFixes ? ', unsafe fixes on' : ''}`
        )
      ),
      state
    ];
    this._header.replaceChildren(...children.filter((node): node is HTMLElement => node !== null));
  }

  private _renderSummary(session: NotebookSession): void {
    const summary = session.analyzer.summary;
    const button = (action: string, label: string, title: string, onClick: () => void) => {
      const element = h(
        'button',
        { class: `tf2m-button tf2m-button-${action}`, type: 'button', 'data-tf2m-action': action, title },
        label
      );
      element.addEventListener('click', onClick);
      return element;
    };
    const applyAll = button(
      'apply-all-safe',
      'Apply all safe',
      'Apply every safe fix in the notebook (originals are kept for Undo)',
      () => void this._run(() => this._controller.applyAllSafe(session))
    );
    applyAll.disabled = !summary || summary.cells_changed === 0;
    const actions = h(
      'div',
      { class: 'tf2m-summary-actions' },
      applyAll,
      button(
        'migrate-notebook',
        'Migrate to copy',
        'Write <name>.tf2.ipynb beside this notebook and leave it unchanged',
        () => void this._run(() => this._controller.migrateNotebook(session))
      ),
      button('analyze', 'Re-analyse', 'Analyse the notebook again', () =>
        void session.analyzer.analyzeNow(true)
      )
    );
    this._summary.replaceChildren(summary ? renderSummary(summary) : h('p', { class: 'tf2m-empty' }, 'Not analysed yet.'), actions);
  }

  private _renderKernel(session: NotebookSession): void {
    const status = session.kernel.status;
    if (status.state === 'unknown') {
      this._kernel.replaceChildren();
      return;
    }
    this._kernel.dataset.tf2mKernel = status.state;
    this._kernel.replaceChildren(
      h(
        'div',
        {
          class: `tf2m-kernel tf2m-kernel-${status.state}`,
          role: status.state === 'missing' || status.state === 'error' ? 'alert' : undefined
        },
        status.message
      )
    );
  }

  private _renderCards(session: NotebookSession): void {
    const models = this._cardModels(session);
    const wanted = new Set(models.map(model => model.cellId));
    for (const [cellId, entry] of this._cardElements) {
      if (!wanted.has(cellId)) {
        entry.element.remove();
        this._cardElements.delete(cellId);
      }
    }
    const handlers = {
      action: (action: CardAction, cellId: string) => this._onAction(session, action, cellId),
      selectFinding: (cellId: string, finding: { utf16: { from: number; to: number } }) =>
        void this._controller.gotoCell(session, cellId, finding.utf16)
    };
    let previous: Element | null = null;
    for (const model of models) {
      const signature = JSON.stringify(model);
      let entry = this._cardElements.get(model.cellId);
      if (!entry || entry.signature !== signature) {
        const element = renderCard(model, handlers);
        if (entry) {
          entry.element.replaceWith(element);
        }
        entry = { element, signature };
        this._cardElements.set(model.cellId, entry);
      }
      const expectedPosition: Element | null = previous ? previous.nextElementSibling : this._cards.firstElementChild;
      if (expectedPosition !== entry.element) {
        if (previous) {
          previous.after(entry.element);
        } else {
          this._cards.prepend(entry.element);
        }
      }
      previous = entry.element;
    }
  }

  private _cardModels(session: NotebookSession): ICardModel[] {
    const analyzer = session.analyzer;
    const model = session.panel.content.model;
    if (!model) {
      return [];
    }
    const cards: ICardModel[] = [];
    let position = 0;
    for (const cell of model.cells) {
      position++;
      if (cell.type !== 'code') {
        continue;
      }
      const source = cell.sharedModel.getSource();
      const result = analyzer.results.get(cell.id) ?? null;
      const stale = result !== null && analyzer.analysedSources.get(cell.id) !== source;
      const record = migrationRecord(cell);
      const compare = session.compares.get(cell.id) ?? null;
      const hasFindings = (result?.findings.length ?? 0) > 0;
      if (!hasFindings && !record && !compare) {
        continue;
      }
      cards.push({
        cellId: cell.id,
        position,
        executionCount: (cell.sharedModel as { execution_count?: number | null }).execution_count ?? null,
        source,
        analysis: result,
        stale,
        record,
        compare
      });
    }
    return cards;
  }

  private _onAction(session: NotebookSession, action: CardAction, cellId: string): void {
    switch (action) {
      case 'apply':
        void this._run(() => this._controller.applyCell(session, cellId));
        break;
      case 'undo':
        this._controller.undoCell(session, cellId);
        break;
      case 'compare':
        void this._run(() => this._controller.compareCell(session, cellId));
        break;
      case 'goto':
        void this._controller.gotoCell(session, cellId);
        break;
    }
  }

  /** Buttons never fail silently: a failure becomes the panel's error line. */
  private async _run(action: () => Promise<unknown>): Promise<void> {
    try {
      await action();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this._header.append(h('div', { class: 'tf2m-error', role: 'alert' }, message));
    }
  }

  private _controller: MigrationController;
  private _session: NotebookSession | null = null;
  private _header: HTMLElement;
  private _summary: HTMLElement;
  private _kernel: HTMLElement;
  private _cards: HTMLElement;
  private _cardElements = new Map<string, { element: HTMLElement; signature: string }>();
  private _frame: number | null = null;
}

function renderSummary(summary: IAnalysisSummary): HTMLElement {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const families = Object.entries(summary.by_family).map(([family, count]) =>
    h(
      'li',
      { 'data-tf2m-family': family },
      h('span', { class: 'tf2m-code' }, family),
      ` ${FAMILY_LABELS[family] ?? 'Other'}: `,
      h('strong', {}, String(count))
    )
  );
  const stat = (key: string, value: number, label: string, title: string) =>
    h('span', { class: `tf2m-stat tf2m-stat-${key}`, 'data-tf2m-stat': key, title }, h('strong', {}, String(value)), ` ${label}`);
  return h(
    'div',
    { class: 'tf2m-summary-body' },
    h(
      'div',
      { class: 'tf2m-summary-total' },
      summary.findings === 0
        ? 'No TensorFlow 1.x code found.'
        : `${plural(summary.findings, 'finding')} in ${plural(summary.cells_with_findings, 'cell')}`
    ),
    h(
      'div',
      { class: 'tf2m-stats' },
      stat('auto-fixable', summary.auto_fixable, 'auto-fixable', 'Safe findings with a fix; “Apply all safe” applies them'),
      stat('unsafe', summary.by_applicability.unsafe, 'unsafe', 'Fixes that can change behaviour or numerics; applied only with “Apply unsafe fixes” on'),
      stat('manual', summary.by_applicability.manual, 'manual', 'Findings to migrate by hand, with a link to the guide')
    ),
    families.length ? h('ul', { class: 'tf2m-families' }, ...families) : null
  );
}
