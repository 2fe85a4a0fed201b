import { IFinding } from './tokens';

/** The findings of one cell and the exact text they were computed for. */
export interface ICellFindings {
  source: string;
  findings: IFinding[];
}

/**
 * A cell, as the store knows it: its shared model. Cell ids are not enough,
 * because a notebook and its copy (`x.tf2.ipynb`) have the same ids.
 */
export type CellKey = object;

type Listener = (entry: ICellFindings | undefined) => void;

/**
 * Findings by cell, shared by every notebook's analyzer and every cell editor.
 *
 * The analyzer works on notebook models, editors come and go (a windowed
 * notebook creates a cell's editor only when it scrolls into view), so the two
 * meet here: an editor reads its cell's entry when it is created and follows
 * later updates.
 */
export class FindingsStore {
  private _entries = new WeakMap<CellKey, ICellFindings>();
  private _signatures = new WeakMap<CellKey, string>();
  private _listeners = new Map<CellKey, Set<Listener>>();

  get(cell: CellKey): ICellFindings | undefined {
    return this._entries.get(cell);
  }

  /** Store an entry; listeners hear about it only when it differs from the last one. */
  set(cell: CellKey, entry: ICellFindings): void {
    const signature = `${entry.source}\u0000${JSON.stringify(entry.findings)}`;
    if (this._signatures.get(cell) === signature) {
      return;
    }
    this._signatures.set(cell, signature);
    this._entries.set(cell, entry);
    this._notify(cell, entry);
  }

  delete(cell: CellKey): void {
    if (this._entries.delete(cell)) {
      this._signatures.delete(cell);
      this._notify(cell, undefined);
    }
  }

  /** Call `listener` on every change of the cell's entry; returns the unsubscribe function. */
  subscribe(cell: CellKey, listener: Listener): () => void {
    let listeners = this._listeners.get(cell);
    if (!listeners) {
      listeners = new Set();
      this._listeners.set(cell, listeners);
    }
    listeners.add(listener);
    return () => {
      listeners!.delete(listener);
      if (listeners!.size === 0) {
        this._listeners.delete(cell);
      }
    };
  }

  private _notify(cell: CellKey, entry: ICellFindings | undefined): void {
    for (const listener of this._listeners.get(cell) ?? []) {
      listener(entry);
    }
  }
}
