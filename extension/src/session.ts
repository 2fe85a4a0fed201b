import { NotebookPanel } from '@jupyterlab/notebook';
import { ServerConnection } from '@jupyterlab/services';
import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

import { NotebookAnalyzer } from './analyzer';
import { CompareOutcome, KernelHelpers } from './compare/kernel';
import { FindingsStore } from './findings';
import { clearBadges, syncBadges } from './highlight/badges';
import { SettingsModel } from './settings';

/** The state of a cell's Compare, shown in its card. */
export type CompareState =
  | { state: 'running' }
  | { state: 'done'; outcome: CompareOutcome };

/**
 * Everything tf2-migrate keeps for one open notebook: its analysis, its
 * kernel's kernel_helpers status, the Compare results of its cells, and the
 * badges on its cells.
 */
export class NotebookSession implements IDisposable {
  constructor(options: NotebookSession.IOptions) {
    this.panel = options.panel;
    this.analyzer = new NotebookAnalyzer(options);
    this.kernel = new KernelHelpers(options.panel.sessionContext);
    this._onBadgeClick = options.onBadgeClick;

    this.analyzer.changed.connect(this._onAnalysis, this);
    this.kernel.changed.connect(this._emit, this);
    // Cell widgets are re-created when cells move or the notebook re-renders.
    this.panel.content.model?.cells.changed.connect(this._refreshBadges, this);
    this.panel.disposed.connect(() => this.dispose());
  }

  readonly panel: NotebookPanel;
  readonly analyzer: NotebookAnalyzer;
  readonly kernel: KernelHelpers;

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** Emitted whenever something the panel shows may have changed. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get compares(): ReadonlyMap<string, CompareState> {
    return this._compares;
  }

  setCompare(cellId: string, state: CompareState): void {
    this._compares.set(cellId, state);
    this._emit();
  }

  /** Tell listeners that cell models changed in a way the analysis does not show (metadata). */
  touch(): void {
    this._emit();
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    if (!this.panel.isDisposed) {
      clearBadges(this.panel.content);
    }
    this.analyzer.dispose();
    this.kernel.dispose();
    Signal.clearData(this);
  }

  private _onAnalysis(): void {
    this._refreshBadges();
    this._emit();
  }

  private _refreshBadges(): void {
    if (!this._isDisposed && !this.panel.isDisposed) {
      // Let the notebook create widgets for new cells first.
      requestAnimationFrame(() => {
        if (!this._isDisposed && !this.panel.isDisposed) {
          syncBadges(this.panel.content, this.analyzer.results, this._onBadgeClick);
        }
      });
    }
  }

  private _emit(): void {
    if (!this._isDisposed) {
      this._changed.emit();
    }
  }

  private _onBadgeClick: (cellId: string) => void;
  private _compares = new Map<string, CompareState>();
  private _changed = new Signal<this, void>(this);
  private _isDisposed = false;
}

export namespace NotebookSession {
  export interface IOptions {
    panel: NotebookPanel;
    settings: SettingsModel;
    serverSettings: ServerConnection.ISettings;
    store: FindingsStore;
    onBadgeClick: (cellId: string) => void;
  }
}
