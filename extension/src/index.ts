import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { IStatusBar } from '@jupyterlab/statusbar';

import { createStatusWidget, showServerVersion } from './status';
import { PLUGIN_ID } from './tokens';

/**
 * Entry point. Features (highlight/, panel/, compare/) live in their own
 * folders and are wired here, so this file stays a table of contents.
 */
const plugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description: 'Migrate TensorFlow 1.x notebooks to TensorFlow 2.',
  autoStart: true,
  optional: [IStatusBar],
  activate: (app: JupyterFrontEnd, statusBar: IStatusBar | null) => {
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
