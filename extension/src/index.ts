import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { ICellModel } from '@jupyterlab/cells';
import { EditorExtensionRegistry, IEditorExtensionRegistry } from '@jupyterlab/codemirror';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { IStatusBar } from '@jupyterlab/statusbar';

import { MigrationController } from './actions';
import { addCommands } from './commands';
import { FindingsStore } from './findings';
import { findingsExtension } from './highlight/extension';
import { migrateIcon } from './icon';
import { MigrationPanel } from './panel/panel';
import { SettingsModel } from './settings';
import { createStatusWidget, showServerVersion } from './status';
import { PLUGIN_ID } from './tokens';

/**
 * Entry point. Features (highlight/, panel/, compare/) live in their own
 * folders and are wired here, so this file stays a table of contents.
 * The Compare MIME renderer is a separate mime extension (compare/mime.ts).
 *
 * Nothing here needs JupyterLab's own shell, so it runs in Notebook 7 too.
 */
const plugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description: 'Migrate TensorFlow 1.x notebooks to TensorFlow 2.',
  autoStart: true,
  requires: [INotebookTracker, IEditorExtensionRegistry],
  optional: [ISettingRegistry, ICommandPalette, IStatusBar, ILayoutRestorer],
  activate: (
    app: JupyterFrontEnd,
    tracker: INotebookTracker,
    editorExtensions: IEditorExtensionRegistry,
    settingRegistry: ISettingRegistry | null,
    palette: ICommandPalette | null,
    statusBar: IStatusBar | null,
    restorer: ILayoutRestorer | null
  ) => {
    const settings = new SettingsModel();
    const store = new FindingsStore();
    const controller = new MigrationController({ app, tracker, settings, store });

    editorExtensions.addExtension({
      name: 'tf2-migrate:findings',
      factory: ({ model }) => {
        // Every editor asks; only notebook code cells have findings (file
        // editors and markdown cells do not).
        const cell = model as Partial<ICellModel>;
        if (cell.type !== 'code' || !cell.sharedModel) {
          return null;
        }
        return EditorExtensionRegistry.createImmutableExtension(
          findingsExtension(cell.sharedModel, store)
        );
      }
    });

    const panel = new MigrationPanel(controller, migrateIcon);
    app.shell.add(panel, 'right', { rank: 900 });
    restorer?.add(panel, panel.id);

    addCommands(app, controller, palette);
    void settings.connect(settingRegistry);

    const status = createStatusWidget();
    if (statusBar) {
      statusBar.registerStatusItem(`${PLUGIN_ID}:status`, {
        item: status,
        align: 'left',
        rank: 100
      });
    } else {
      // Some shells (e.g. a kiosk layout) have no status bar.
      app.shell.add(status, 'top', { rank: 1000 });
    }
    void showServerVersion(status, app.serviceManager.serverSettings);
  }
};

export default plugin;
