import { ICellModel } from '@jupyterlab/cells';

import { IMigrationRecord, METADATA_KEY, MigrationLevel } from './tokens';

/**
 * Apply and Undo on cell models, with the same metadata contract as the batch
 * tool: the first Apply records the exact source the user wrote, later ones
 * keep it, and Undo puts it back byte for byte.
 */

/** The cell's migration record, or null when it was never migrated (or the record is broken). */
export function migrationRecord(cell: ICellModel): IMigrationRecord | null {
  const record = cell.getMetadata(METADATA_KEY) as Partial<IMigrationRecord> | undefined;
  if (!record || typeof record.original !== 'string') {
    return null;
  }
  return {
    original: record.original,
    level: record.level === 'compat' ? 'compat' : 'tf2',
    codes: Array.isArray(record.codes) ? record.codes.filter(c => typeof c === 'string') : []
  };
}

/** Replace the cell's source by `proposal`, recording the original once. */
export function applyProposal(
  cell: ICellModel,
  proposal: string,
  level: MigrationLevel,
  codes: readonly string[]
): boolean {
  const current = cell.sharedModel.getSource();
  if (proposal === current) {
    return false;
  }
  const previous = migrationRecord(cell);
  const record: IMigrationRecord = {
    original: previous?.original ?? current,
    level,
    codes: Array.from(new Set([...(previous?.codes ?? []), ...codes])).sort()
  };
  // One transaction, so collaborators and the undo history see a single change.
  cell.sharedModel.transact(() => {
    cell.sharedModel.setSource(proposal);
    cell.setMetadata(METADATA_KEY, record as any);
  });
  return true;
}

/** Put back the source recorded by the first Apply and forget the record. */
export function undoMigration(cell: ICellModel): boolean {
  const record = migrationRecord(cell);
  if (!record) {
    return false;
  }
  cell.sharedModel.transact(() => {
    cell.sharedModel.setSource(record.original);
    cell.deleteMetadata(METADATA_KEY);
  });
  return true;
}

/**
 * What Compare runs: the user's original and the migrated code.
 *
 * After Apply the cell holds the migrated code and the metadata the original;
 * before, the cell is the original and the proposal (if any) the migration.
 */
export function comparePair(
  cell: ICellModel,
  proposal: string | null
): { original: string; migrated: string | null } {
  const current = cell.sharedModel.getSource();
  const record = migrationRecord(cell);
  if (record) {
    return { original: record.original, migrated: current };
  }
  return {
    original: current,
    migrated: proposal !== null && proposal !== current ? proposal : null
  };
}
