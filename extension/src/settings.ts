import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ISignal, Signal } from '@lumino/signaling';

import { DEFAULT_SETTINGS, ISettings, MigrationLevel, PLUGIN_ID } from './tokens';

/**
 * The user's tf2-migrate settings, always complete: features read `current`
 * and listen to `changed` instead of each talking to the registry.
 */
export class SettingsModel {
  private _current: ISettings = { ...DEFAULT_SETTINGS };
  private _changed = new Signal<this, ISettings>(this);

  get current(): ISettings {
    return this._current;
  }

  get changed(): ISignal<this, ISettings> {
    return this._changed;
  }

  /** Follow the registry; without one (or on a broken schema) the defaults stay. */
  async connect(registry: ISettingRegistry | null): Promise<void> {
    if (!registry) {
      return;
    }
    try {
      const settings = await registry.load(PLUGIN_ID);
      this.update(settings.composite as Partial<ISettings>);
      settings.changed.connect(() =>
        this.update(settings.composite as Partial<ISettings>)
      );
    } catch (error) {
      console.warn('tf2-migrate: settings could not be loaded; using defaults', error);
    }
  }

  update(values: Partial<ISettings>): void {
    this._current = normalize({ ...this._current, ...values });
    this._changed.emit(this._current);
  }
}

/** Clamp values a hand-edited settings file may get wrong. */
function normalize(values: ISettings): ISettings {
  const level: MigrationLevel = values.level === 'compat' ? 'compat' : 'tf2';
  const debounce = Number(values.debounceMs);
  return {
    level,
    unsafeFixes: values.unsafeFixes === true,
    ignoredCodes: Array.isArray(values.ignoredCodes)
      ? values.ignoredCodes.filter(code => typeof code === 'string')
      : [],
    debounceMs: Number.isFinite(debounce)
      ? Math.min(Math.max(debounce, 0), 10000)
      : DEFAULT_SETTINGS.debounceMs,
    autoAnalyze: values.autoAnalyze !== false
  };
}
