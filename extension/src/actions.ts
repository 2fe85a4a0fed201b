import { JupyterFrontEnd } from '@jupyterlab/application';
import { Notification } from '@jupyterlab/apputils';
import { ICellModel } from '@jupyterlab/cells';
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { ISignal, Signal } from '@lumino/signaling';

import { CompareOutcome, runCompare } from './compare/kernel';
import { FindingsStore } from './findings';
import { applyProposal, comparePair, undoMigration } from './migration';
import { requestAPI } from './request';
import { NotebookSession } from './session';
import { SettingsModel } from './settings';
import { ICellAnalysis, IMigrateNotebookResponse, PANEL_ID } from './tokens';

/**
 * What the panel's buttons and the commands do, in one place: both call these,
 * so a command and a button can never behave differently.
 */
export class MigrationController {
  constructor(options: MigrationController.IOptions) {
    this._app = options.app;
    this._tracker = options.tracker;
    this.settings = options.settings;
    this._store = options.store;
    // Notebooks restored with the layout may be open before this plugin starts.
    this._tracker.forEach(panel => this.sessionFor(panel));
    this._tracker.widgetAdded.connect((_, panel) => this.sessionFor(panel));
    this._tracker.currentChanged.connect(() => this._currentChanged.emit(this.current()));
  }

  readonly settings: SettingsModel;

  /** Emitted when the active notebook changes (null when none is open). */
  get currentChanged(): ISignal<this, NotebookSession | null> {
    return this._currentChanged;
  }

  /** Emitted with a cell id when a badge asks the panel to show that cell's card. */
  get revealRequested(): ISignal<this, string> {
    return this._revealRequested;
  }

  /** The session of the active notebook. */
  current(): NotebookSession | null {
    const panel = this._tracker.currentWidget;
    return panel ? this.sessionFor(panel) : null;
  }

  sessionFor(panel: NotebookPanel): NotebookSession {
    let session = this._sessions.get(panel);
    if (!session) {
      session = new NotebookSession({
        panel,
        settings: this.settings,
        serverSettings: this._app.serviceManager.serverSettings,
        store: this._store,
        onBadgeClick: cellId => {
          void this.showPanel().then(() => this._revealRequested.emit(cellId));
        }
      });
      this._sessions.set(panel, session);
      panel.disposed.connect(() => this._sessions.delete(panel));
    }
    return session;
  }

  async showPanel(): Promise<void> {
    this._app.shell.activateById(PANEL_ID);
  }

  /** The active cell of the active notebook, if it is a code cell. */
  activeCodeCell(): { session: NotebookSession; cellId: string } | null {
    const session = this.current();
    const cell = session?.panel.content.activeCell;
    if (!session || !cell || cell.model.type !== 'code') {
      return null;
    }
    return { session, cellId: cell.model.id };
  }

  /** Replace the cell by its proposal (fresh analysis first); false when there is nothing to apply. */
  async applyCell(session: NotebookSession, cellId: string): Promise<boolean> {
    const fresh = await this._freshAnalysis(session, cellId);
    if (!fresh) {
      return false;
    }
    const { cell, analysis } = fresh;
    const level = session.analyzer.options?.level ?? this.settings.current.level;
    const applied = analysis.changed && applyProposal(cell, analysis.source, level, analysis.applied);
    this._refresh(session);
    return applied;
  }

  /**
   * Apply the safe fixes of every cell, as one change. With unsafe fixes on,
   * the proposals shown include unsafe ones, so ask for safe-only proposals.
   */
  async applyAllSafe(session: NotebookSession): Promise<number> {
    const analyzer = session.analyzer;
    await analyzer.analyzeNow();
    const cells = analyzer.codeCells();
    const answer = await analyzer.request(cells, this.settings.current, false);
    const sent = new Map(cells.map(cell => [cell.id, cell.source]));
    const model = session.panel.content.model;
    let count = 0;
    const apply = () => {
      for (const result of answer.cells) {
        const cell = analyzer.cellModel(result.id);
        if (
          cell &&
          result.changed &&
          cell.sharedModel.getSource() === sent.get(result.id) &&
          applyProposal(cell, result.source, answer.level, result.applied)
        ) {
          count++;
        }
      }
    };
    if (model) {
      model.sharedModel.transact(apply);
    } else {
      apply();
    }
    this._refresh(session);
    return count;
  }

  undoCell(session: NotebookSession, cellId: string): boolean {
    const cell = session.analyzer.cellModel(cellId);
    const undone = cell ? undoMigration(cell) : false;
    this._refresh(session);
    return undone;
  }

  /** Run the original and the migrated cell side by side in the kernel; the card shows the outcome. */
  async compareCell(session: NotebookSession, cellId: string): Promise<CompareOutcome | null> {
    const cell = session.analyzer.cellModel(cellId);
    if (!cell) {
      return null;
    }
    session.setCompare(cellId, { state: 'running' });
    let outcome: CompareOutcome;
    try {
      const fresh = await this._freshAnalysis(session, cellId);
      const pair = comparePair(cell, fresh?.analysis.source ?? null);
      outcome = await runCompare(session.panel.sessionContext, pair.original, pair.migrated);
    } catch (reason) {
      outcome = { kind: 'error', message: `Compare failed: ${String(reason)}` };
    }
    session.setCompare(cellId, { state: 'done', outcome });
    if (outcome.kind === 'missing') {
      // The kernel status line should say so too, not only this card.
      void session.kernel.check();
    }
    return outcome;
  }

  /** Activate the cell and scroll to it; with a range, select that text in its editor. */
  async gotoCell(
    session: NotebookSession,
    cellId: string,
    range?: { from: number; to: number }
  ): Promise<void> {
    const notebook = session.panel.content;
    const index = notebook.widgets.findIndex(widget => widget.model.id === cellId);
    if (index < 0) {
      return;
    }
    this._app.shell.activateById(session.panel.id);
    notebook.deselectAll();
    notebook.activeCellIndex = index;
    const cell = notebook.widgets[index];
    await notebook.scrollToCell(cell, 'center');
    // A windowed notebook creates the editor only once the cell is in view.
    await cell.ready;
    const editor = cell.editor;
    if (!editor) {
      return;
    }
    if (range) {
      const start = editor.getPositionAt(range.from);
      const end = editor.getPositionAt(range.to);
      if (start && end) {
        notebook.mode = 'edit';
        editor.setSelection({ start, end });
        editor.revealSelection?.({ start, end });
      }
    }
    editor.focus();
  }

  /** Write `<name>.tf2.ipynb` beside the notebook (from its saved version) and offer to open it. */
  async migrateNotebook(session: NotebookSession): Promise<IMigrateNotebookResponse> {
    const context = session.panel.context;
    const path = this._app.serviceManager.contents.localPath(context.path);
    const settings = this.settings.current;
    if (context.model.dirty) {
      Notification.warning(
        `${path} has unsaved changes: the migrated copy is made from the saved file.`,
        { autoClose: 5000 }
      );
    }
    const answer = await requestAPI<IMigrateNotebookResponse>(
      'migrate-notebook',
      this._app.serviceManager.serverSettings,
      {
        method: 'POST',
        body: JSON.stringify({ path, level: settings.level, unsafe: settings.unsafeFixes })
      }
    );
    if (answer.written) {
      Notification.success(
        `Wrote ${answer.path}: ${answer.cells_changed} cell${answer.cells_changed === 1 ? '' : 's'} migrated, ${path} left unchanged.`,
        {
          autoClose: 5000,
          actions: [
            {
              label: 'Open',
              callback: () => {
                void this._app.commands.execute('docmanager:open', { path: answer.path });
              }
            }
          ]
        }
      );
    } else {
      Notification.info(`${path} was not migrated: ${answer.skipped}`, { autoClose: 8000 });
    }
    return answer;
  }

  /** After an edit of ours the user waits for the result: analyse now, not after the typing delay. */
  private _refresh(session: NotebookSession): void {
    session.touch();
    void session.analyzer.analyzeNow();
  }

  /** The cell and an analysis that describes its current text, re-analysing when needed. */
  private async _freshAnalysis(
    session: NotebookSession,
    cellId: string
  ): Promise<{ cell: ICellModel; analysis: ICellAnalysis } | null> {
    const analyzer = session.analyzer;
    for (let attempt = 0; attempt < 2; attempt++) {
      await analyzer.analyzeNow(attempt > 0);
      const cell = analyzer.cellModel(cellId);
      const analysis = analyzer.results.get(cellId);
      if (!cell) {
        return null;
      }
      if (analysis && analyzer.analysedSources.get(cellId) === cell.sharedModel.getSource()) {
        return { cell, analysis };
      }
    }
    return null;
  }

  private _app: JupyterFrontEnd;
  private _tracker: INotebookTracker;
  private _store: FindingsStore;
  private _sessions = new Map<NotebookPanel, NotebookSession>();
  private _currentChanged = new Signal<this, NotebookSession | null>(this);
  private _revealRequested = new Signal<this, string>(this);
}

export namespace MigrationController {
  export interface IOptions {
    app: JupyterFrontEnd;
    tracker: INotebookTracker;
    settings: SettingsModel;
    store: FindingsStore;
  }
}
