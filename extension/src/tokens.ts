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

/** `GET /tf2-migrate/version` */
export interface IVersionResponse {
  version: string;
}

/** Body of every error answer of the server extension. */
export interface IErrorResponse {
  message: string;
}
