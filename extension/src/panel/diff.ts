/** One line of a line diff. */
export interface IDiffLine {
  kind: 'same' | 'add' | 'del';
  text: string;
}

// Above this many line pairs the cell is shown as removed-then-added instead:
// the table would cost more than the diff is worth.
const MAX_CELLS = 250_000;

/**
 * A line diff of `before` → `after` (longest common subsequence), the way a
 * reviewer reads a proposal: unchanged lines, removed ones, added ones.
 */
export function diffLines(before: string, after: string): IDiffLine[] {
  const a = splitLines(before);
  const b = splitLines(after);
  // Common head and tail are by far the usual case; keep them out of the table.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) {
    head++;
  }
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  ) {
    tail++;
  }
  const middleA = a.slice(head, a.length - tail);
  const middleB = b.slice(head, b.length - tail);
  const same = (text: string): IDiffLine => ({ kind: 'same', text });
  return [
    ...a.slice(0, head).map(same),
    ...diffMiddle(middleA, middleB),
    ...a.slice(a.length - tail).map(same)
  ];
}

function diffMiddle(a: string[], b: string[]): IDiffLine[] {
  if (a.length * b.length > MAX_CELLS) {
    return [
      ...a.map(text => ({ kind: 'del' as const, text })),
      ...b.map(text => ({ kind: 'add' as const, text }))
    ];
  }
  // lengths[i][j]: LCS length of a[i:] and b[j:]
  const lengths = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i][j] =
        a[i] === b[j] ? lengths[i + 1][j + 1] + 1 : Math.max(lengths[i + 1][j], lengths[i][j + 1]);
    }
  }
  const out: IDiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push({ kind: 'same', text: a[i++] });
      j++;
    } else if (lengths[i + 1][j] >= lengths[i][j + 1]) {
      // Ties go to removals, so a changed block reads "old lines, then new lines".
      out.push({ kind: 'del', text: a[i++] });
    } else {
      out.push({ kind: 'add', text: b[j++] });
    }
  }
  while (i < a.length) {
    out.push({ kind: 'del', text: a[i++] });
  }
  while (j < b.length) {
    out.push({ kind: 'add', text: b[j++] });
  }
  return out;
}

function splitLines(text: string): string[] {
  return text === '' ? [] : text.split('\n');
}

/**
 * The changed part of a line pair, so the panel can emphasise `tf.log` →
 * `tf.math.log` inside an otherwise equal line: [prefix length, suffix length].
 */
export function commonAffixes(before: string, after: string): [number, number] {
  let prefix = 0;
  const max = Math.min(before.length, after.length);
  while (prefix < max && before[prefix] === after[prefix]) {
    prefix++;
  }
  let suffix = 0;
  while (
    suffix < max - prefix &&
    before[before.length - 1 - suffix] === after[after.length - 1 - suffix]
  ) {
    suffix++;
  }
  return [prefix, suffix];
}
