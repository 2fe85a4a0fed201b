import {
  EditorState,
  Extension,
  RangeSetBuilder,
  StateEffect,
  StateField
} from '@codemirror/state';
import {
  Decoration,
  DecorationSet,
  EditorView,
  ViewPlugin,
  hoverTooltip
} from '@codemirror/view';

import { CellKey, FindingsStore, ICellFindings } from '../findings';
import { IFinding } from '../tokens';
import { renderTooltip } from './tooltip';

/** New findings for the editor's document (already checked to be for its current text). */
const setFindings = StateEffect.define<IFinding[]>();

/** Marks carry their finding, so hovers and tests read it from the decoration. */
interface IFindingSpec {
  finding: IFinding;
}

/**
 * The CodeMirror 6 extension for one code cell: underlines its findings and
 * explains them on hover.
 *
 * Marks are mapped through edits, so they stay on the right text while the
 * user types; the next analysis (after the debounce) replaces them. Answers
 * computed for another text than the editor's are ignored: a newer request is
 * already on its way.
 */
export function findingsExtension(cell: CellKey, store: FindingsStore): Extension {
  const field = StateField.define<DecorationSet>({
    create: state => decorationsFor(state, store.get(cell)),
    update: (decorations, transaction) => {
      let next = decorations.map(transaction.changes);
      for (const effect of transaction.effects) {
        if (effect.is(setFindings)) {
          next = buildDecorations(transaction.state, effect.value);
        }
      }
      return next;
    },
    provide: f => EditorView.decorations.from(f)
  });

  const follower = ViewPlugin.define(view => {
    let destroyed = false;
    const unsubscribe = store.subscribe(cell, entry => {
      // A store update can arrive while CodeMirror is inside an update cycle,
      // where dispatching is not allowed; a microtask runs right after it.
      queueMicrotask(() => {
        const findings = destroyed ? null : findingsFor(view.state, entry);
        if (findings !== null) {
          view.dispatch({ effects: setFindings.of(findings) });
        }
      });
    });
    return {
      destroy: () => {
        destroyed = true;
        unsubscribe();
      }
    };
  });

  const hover = hoverTooltip(
    (view, pos, side) => {
      const found: { from: number; to: number; finding: IFinding }[] = [];
      view.state.field(field).between(pos, pos, (from, to, value) => {
        const spec = value.spec as IFindingSpec;
        if ((from < pos || (from === pos && side > 0)) && (pos < to || (pos === to && side < 0))) {
          found.push({ from, to, finding: spec.finding });
        }
      });
      if (found.length === 0) {
        return null;
      }
      return {
        pos: Math.min(...found.map(f => f.from)),
        end: Math.max(...found.map(f => f.to)),
        above: true,
        create: () => ({ dom: renderTooltip(found.map(f => f.finding)) })
      };
    },
    { hoverTime: 300 }
  );

  return [field, follower, hover];
}

/** The findings of `entry` if they describe the editor's text, `[]` if there is none. */
function findingsFor(state: EditorState, entry: ICellFindings | undefined): IFinding[] | null {
  if (!entry) {
    return [];
  }
  return entry.source === state.doc.toString() ? entry.findings : null;
}

function decorationsFor(state: EditorState, entry: ICellFindings | undefined): DecorationSet {
  const findings = findingsFor(state, entry);
  return findings ? buildDecorations(state, findings) : Decoration.none;
}

function buildDecorations(state: EditorState, findings: IFinding[]): DecorationSet {
  const length = state.doc.length;
  const ranges = findings
    .map(finding => {
      const from = clamp(finding.utf16.from, 0, length);
      let to = clamp(finding.utf16.to, from, length);
      if (to === from) {
        // A mark needs at least one character; an empty range marks the next one.
        to = Math.min(from + 1, length);
      }
      return { from, to, finding };
    })
    .filter(range => range.to > range.from)
    .sort((a, b) => a.from - b.from || a.to - b.to);

  const builder = new RangeSetBuilder<Decoration>();
  for (const { from, to, finding } of ranges) {
    const spec: IFindingSpec = { finding };
    builder.add(
      from,
      to,
      Decoration.mark({
        class: `tf2m-finding tf2m-${finding.applicability}`,
        attributes: { 'data-tf2m-code': finding.code },
        ...spec
      })
    );
  }
  return builder.finish();
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}
