import { ICellModel } from '@jupyterlab/cells';
import { NotebookPanel } from '@jupyterlab/notebook';
import { ServerConnection } from '@jupyterlab/services';
import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

import { FindingsStore } from './findings';
import { requestAPI } from './request';
import { SettingsModel } from './settings';
import {
  IAnalysisSummary,
  IAnalyzeRequest,
  IAnalyzeResponse,
  ICellAnalysis,
  ISettings,
  MigrationLevel
} from './tokens';

/** A code cell as sent to the server. */
export interface ICellSource {
  id: string;
  source: string;
}

/**
 * Keeps the findings of one notebook up to date.
 *
 * It sends the whole notebook (the server caches unchanged cells, and imports
 * in one cell change how the others read), waits `debounceMs` after the last
 * edit, and drops answers that a newer request has overtaken.
 */
export class NotebookAnalyzer implements IDisposable {
  constructor(options: NotebookAnalyzer.IOptions) {
    this.panel = options.panel;
    this._settings = options.settings;
    this._serverSettings = options.serverSettings;
    this._store = options.store;

    this._settings.changed.connect(this._onSettingsChanged, this);
    this.panel.content.modelContentChanged.connect(this._onContentChanged, this);
    void this.panel.context.ready.then(() => {
      if (!this.isDisposed && this._settings.current.autoAnalyze) {
        void this.analyzeNow();
      }
    });
  }

  readonly panel: NotebookPanel;

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** Emitted after each answer (or failure), and when `busy` changes. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** The latest analysis of each code cell, by cell id. */
  get results(): ReadonlyMap<string, ICellAnalysis> {
    return this._results;
  }

  /** The sources the latest results were computed for, by cell id. */
  get analysedSources(): ReadonlyMap<string, string> {
    return this._analysedSources;
  }

  get summary(): IAnalysisSummary | null {
    return this._summary;
  }

  /** The level and unsafe switch of the latest results. */
  get options(): { level: MigrationLevel; unsafe: boolean } | null {
    return this._options;
  }

  /** Why the last request failed, or null. */
  get error(): string | null {
    return this._error;
  }

  get busy(): boolean {
    return this._inFlight > 0;
  }

  /** Whether the results describe the cells as they are now. */
  isCurrent(): boolean {
    const cells = this.codeCells();
    return (
      this._options !== null &&
      cells.length === this._analysedSources.size &&
      cells.every(cell => this._analysedSources.get(cell.id) === cell.source)
    );
  }

  /** The code cells of the notebook, in order. */
  codeCells(): ICellSource[] {
    const model = this.panel.content.model;
    if (!model) {
      return [];
    }
    const cells: ICellSource[] = [];
    for (const cell of model.cells) {
      if (cell.type === 'code') {
        cells.push({ id: cell.id, source: cell.sharedModel.getSource() });
      }
    }
    return cells;
  }

  cellModel(cellId: string): ICellModel | undefined {
    const model = this.panel.content.model;
    if (!model) {
      return undefined;
    }
    for (const cell of model.cells) {
      if (cell.id === cellId) {
        return cell;
      }
    }
    return undefined;
  }

  /** Analyse after the debounce delay; a newer call restarts the wait. */
  schedule(delayMs: number = this._settings.current.debounceMs): void {
    if (this._timer !== null) {
      clearTimeout(this._timer);
    }
    this._timer = setTimeout(() => {
      this._timer = null;
      void this.analyzeNow();
    }, delayMs);
  }

  /** Analyse right away, unless the results already describe the current cells. */
  async analyzeNow(force = false): Promise<void> {
    if (this._timer !== null) {
      clearTimeout(this._timer);
      this._timer = null;
    }
    if (!this.isPython()) {
      return;
    }
    const settings = this._settings.current;
    if (!force && this.isCurrent() && this._sameOptions(settings)) {
      return;
    }
    const cells = this.codeCells();
    const sequence = ++this._sequence;
    this._inFlight++;
    this._changed.emit();
    try {
      const answer = await this.request(cells, settings, settings.unsafeFixes);
      if (sequence !== this._sequence || this.isDisposed) {
        return; // overtaken by a newer request
      }
      this._accept(cells, answer, settings);
      this._error = null;
    } catch (error) {
      if (sequence === this._sequence && !this.isDisposed) {
        this._error = error instanceof Error ? error.message : String(error);
      }
    } finally {
      this._inFlight--;
      if (!this.isDisposed) {
        this._changed.emit();
      }
    }
  }

  /** One analysis with explicit options, leaving the shown results alone. */
  async request(
    cells: ICellSource[],
    settings: ISettings,
    unsafe: boolean
  ): Promise<IAnalyzeResponse> {
    const body: IAnalyzeRequest = {
      cells,
      level: settings.level,
      unsafe,
      ignored: settings.ignoredCodes
    };
    return requestAPI<IAnalyzeResponse>('analyze', this._serverSettings, {
      method: 'POST',
      body: JSON.stringify(body)
    });
  }

  /** Python notebooks only; one without any language information gets the benefit of the doubt. */
  isPython(): boolean {
    const metadata = this.panel.content.model?.metadata ?? {};
    const kernelspec = (metadata['kernelspec'] ?? {}) as { language?: string };
    const languageInfo = (metadata['language_info'] ?? {}) as { name?: string };
    const language = kernelspec.language ?? languageInfo.name;
    return !language || language.toLowerCase() === 'python';
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    if (this._timer !== null) {
      clearTimeout(this._timer);
    }
    this._settings.changed.disconnect(this._onSettingsChanged, this);
    for (const key of this._storeKeys.values()) {
      this._store.delete(key);
    }
    Signal.clearData(this);
  }

  private _accept(
    cells: ICellSource[],
    answer: IAnalyzeResponse,
    settings: ISettings
  ): void {
    const sent = new Map(cells.map(cell => [cell.id, cell.source]));
    const keys = this._cellKeys();
    for (const [id, key] of this._storeKeys) {
      if (!sent.has(id) || keys.get(id) !== key) {
        this._store.delete(key);
      }
    }
    this._storeKeys = new Map([...keys].filter(([id]) => sent.has(id)));
    this._results = new Map(answer.cells.map(cell => [cell.id, cell]));
    this._analysedSources = sent;
    this._summary = answer.summary;
    this._options = { level: answer.level, unsafe: answer.unsafe };
    this._ignoredKey = settings.ignoredCodes.slice().sort().join(',');
    for (const cell of answer.cells) {
      const key = this._storeKeys.get(cell.id);
      if (key) {
        this._store.set(key, { source: sent.get(cell.id) ?? '', findings: cell.findings });
      }
    }
  }

  /** The store's key of each cell: its shared model (ids repeat across copies of a notebook). */
  private _cellKeys(): Map<string, object> {
    const keys = new Map<string, object>();
    const model = this.panel.content.model;
    if (model) {
      for (const cell of model.cells) {
        keys.set(cell.id, cell.sharedModel);
      }
    }
    return keys;
  }

  private _sameOptions(settings: ISettings): boolean {
    return (
      this._options !== null &&
      this._options.level === settings.level &&
      this._options.unsafe === settings.unsafeFixes &&
      this._ignoredKey === settings.ignoredCodes.slice().sort().join(',')
    );
  }

  private _onContentChanged(): void {
    if (this._settings.current.autoAnalyze && !this.isCurrent()) {
      this.schedule();
    }
  }

  private _onSettingsChanged(): void {
    if (this._settings.current.autoAnalyze || this._options !== null) {
      void this.analyzeNow();
    }
  }

  private _settings: SettingsModel;
  private _serverSettings: ServerConnection.ISettings;
  private _store: FindingsStore;
  private _results = new Map<string, ICellAnalysis>();
  private _analysedSources = new Map<string, string>();
  private _storeKeys = new Map<string, object>();
  private _summary: IAnalysisSummary | null = null;
  private _options: { level: MigrationLevel; unsafe: boolean } | null = null;
  private _ignoredKey = '';
  private _error: string | null = null;
  private _timer: ReturnType<typeof setTimeout> | null = null;
  private _sequence = 0;
  private _inFlight = 0;
  private _isDisposed = false;
  private _changed = new Signal<this, void>(this);
}

export namespace NotebookAnalyzer {
  export interface IOptions {
    panel: NotebookPanel;
    settings: SettingsModel;
    serverSettings: ServerConnection.ISettings;
    store: FindingsStore;
  }
}
