/**
 * Names and wire types shared by the frontend features and the
 * `kernel_helpers.server` routes. Keep them in one place so the Python side
 * and the TypeScript side have a single spot to agree on.
 */

/** Plugin id; also the id of the settings schema in `schema/plugin.json`. */
export const PLUGIN_ID = 'tf2-migrate:plugin';

/** URL namespace of the server extension: `<baseUrl>/tf2-migrate/...`. */
export const API_NAMESPACE = 'tf2-migrate';

/** DOM id of the status item; UI tests look it up. */
export const STATUS_WIDGET_ID = 'tf2m-status';

/** DOM id of the migration sidebar; UI tests look it up. */
export const PANEL_ID = 'tf2-migrate-panel';

/** Cell metadata key holding the original source of a migrated cell. */
export const METADATA_KEY = 'tf2_migrate';

/** MIME type of `kernel_helpers.compare.CompareResult._repr_mimebundle_`. */
export const COMPARE_MIME = 'application/vnd.tf2-migrate.compare+json';

/** Where users are sent when a kernel cannot import `kernel_helpers`. */
export const INSTALL_HINT = 'pip install tf2-migrate';

export namespace CommandIDs {
  export const migrateCell = 'tf2-migrate:migrate-cell';
  export const migrateNotebook = 'tf2-migrate:migrate-notebook';
  export const compareCell = 'tf2-migrate:compare-cell';
  export const showPanel = 'tf2-migrate:show-panel';
  export const applyAllSafe = 'tf2-migrate:apply-all-safe';
}

/** How far a migration goes (see DESIGN.md, "Levels and applicability"). */
export type MigrationLevel = 'compat' | 'tf2';

/** User settings, mirroring `schema/plugin.json`. */
export interface ISettings {
  level: MigrationLevel;
  unsafeFixes: boolean;
  ignoredCodes: string[];
  debounceMs: number;
  autoAnalyze: boolean;
}

export const DEFAULT_SETTINGS: ISettings = {
  level: 'tf2',
  unsafeFixes: false,
  ignoredCodes: [],
  debounceMs: 400,
  autoAnalyze: true
};

/** `GET /tf2-migrate/version` */
export interface IVersionResponse {
  version: string;
}

/** Body of every error answer of the server extension. */
export interface IErrorResponse {
  message: string;
}

/** Ruff's model: safe fixes apply by default, unsafe on opt-in, manual only explain. */
export type Applicability = 'safe' | 'unsafe' | 'manual';

/** `Finding.to_dict()["range"]`: code-point offsets, 1-based lines, 0-based columns. */
export interface IFindingRange {
  line: number;
  column: number;
  end_line: number;
  end_column: number;
  start: number;
  end: number;
}

/** One finding as `POST /tf2-migrate/analyze` sends it. */
export interface IFinding {
  code: string;
  name: string;
  message: string;
  cell: number | null;
  range: IFindingRange;
  /** The range in UTF-16 code units, as CodeMirror counts positions. */
  utf16: { from: number; to: number };
  applicability: Applicability;
  fixable: boolean;
  replacement: string | null;
  doc: string;
}

/** One code cell of `POST /tf2-migrate/analyze`'s answer. */
export interface ICellAnalysis {
  id: string;
  /** The proposed source (equal to the input when nothing applies). */
  source: string;
  changed: boolean;
  /** Codes whose fixes the proposal applies. */
  applied: string[];
  hidden_unsafe: number;
  manual: number;
  skipped: string | null;
  parsed: boolean;
  findings: IFinding[];
}

export interface IAnalysisSummary {
  findings: number;
  by_family: { [family: string]: number };
  by_applicability: { [applicability in Applicability]: number };
  auto_fixable: number;
  hidden_unsafe: number;
  manual: number;
  cells_with_findings: number;
  cells_changed: number;
}

/** `POST /tf2-migrate/analyze` */
export interface IAnalyzeRequest {
  cells: { id: string; source: string }[];
  level: MigrationLevel;
  unsafe: boolean;
  ignored: string[];
}

export interface IAnalyzeResponse {
  level: MigrationLevel;
  unsafe: boolean;
  cells: ICellAnalysis[];
  summary: IAnalysisSummary;
  cache: { hits: number; misses: number; size: number };
}

/** `POST /tf2-migrate/migrate-notebook` */
export interface IMigrateNotebookResponse {
  path: string;
  written: boolean;
  changed: boolean;
  cells_changed: number;
  findings: number;
  remaining: number;
  skipped: string | null;
  validation_errors: string[];
}

/** `cell.metadata.tf2_migrate`, the same contract as the batch tool's. */
export interface IMigrationRecord {
  original: string;
  level: MigrationLevel;
  codes: string[];
}

/** One compared value of `CompareResult.to_dict()["rows"]`. */
export interface ICompareRow {
  name: string;
  shape: number[] | string | null;
  dtype: string | null;
  /** Non-finite errors arrive as the strings "inf", "-inf" or "nan". */
  max_abs_err: number | string | null;
  max_rel_err: number | string | null;
  ok: boolean;
  note?: string;
}

/** `CompareResult.to_dict()`, the payload of `COMPARE_MIME`. */
export interface ICompareResult {
  ok: boolean;
  rows: ICompareRow[];
  /** Wall time of each side, in seconds. */
  timings: { original: number | null; migrated: number | null };
  devices: { original: string | null; migrated: string | null };
  stdout: string | { original?: string; migrated?: string } | null;
  error: string | null;
}

/** Rule families by hundreds (DESIGN.md, "Rule codes"). */
export const FAMILY_LABELS: { [family: string]: string } = {
  TFM0xx: 'API renames and arguments',
  TFM1xx: 'Execution model',
  TFM2xx: 'Variables and layers',
  TFM3xx: 'Training',
  TFM4xx: 'Input pipelines',
  TFM5xx: 'I/O and tooling',
  TFM6xx: 'Estimators and distribution',
  TFM9xx: 'No TF2 home'
};
