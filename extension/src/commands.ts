import { JupyterFrontEnd } from '@jupyterlab/application';
import { ICommandPalette, Notification } from '@jupyterlab/apputils';

import { MigrationController } from './actions';
import { migrateIcon } from './icon';
import { CommandIDs } from './tokens';

const CATEGORY = 'TF2 Migrate';

/**
 * The commands of the palette, the context menu, the notebook toolbar and the
 * shortcuts (menus, toolbar and shortcuts are declared in schema/plugin.json).
 */
export function addCommands(
  app: JupyterFrontEnd,
  controller: MigrationController,
  palette: ICommandPalette | null
): void {
  const { commands } = app;
  const hasCodeCell = () => controller.activeCodeCell() !== null;

  commands.addCommand(CommandIDs.showPanel, {
    label: 'Show TF2 Migration Panel',
    caption: 'Show the TensorFlow 1 → 2 migration panel',
    icon: args => (args['toolbar'] ? migrateIcon : undefined),
    execute: () => controller.showPanel()
  });

  commands.addCommand(CommandIDs.migrateCell, {
    label: 'Migrate Cell to TF2',
    caption: 'Replace the active cell by its TensorFlow 2 proposal (Undo in the migration panel)',
    isEnabled: hasCodeCell,
    execute: async () => {
      const active = controller.activeCodeCell();
      if (!active) {
        return false;
      }
      const applied = await controller.applyCell(active.session, active.cellId);
      if (!applied) {
        Notification.info('Nothing to migrate in this cell.', { autoClose: 3000 });
      }
      return applied;
    }
  });

  commands.addCommand(CommandIDs.compareCell, {
    label: 'Compare Cell: TF1 vs TF2',
    caption: 'Run the original and the migrated cell in the kernel and compare their values',
    isEnabled: hasCodeCell,
    execute: async () => {
      const active = controller.activeCodeCell();
      if (!active) {
        return null;
      }
      await controller.showPanel();
      return controller.compareCell(active.session, active.cellId);
    }
  });

  commands.addCommand(CommandIDs.migrateNotebook, {
    label: 'Migrate Notebook to a TF2 Copy',
    caption: 'Write <name>.tf2.ipynb beside the notebook and leave the notebook unchanged',
    isEnabled: () => controller.current() !== null,
    execute: async () => {
      const session = controller.current();
      if (!session) {
        return null;
      }
      try {
        return await controller.migrateNotebook(session);
      } catch (error) {
        Notification.error(
          `Could not migrate the notebook: ${error instanceof Error ? error.message : String(error)}`
        );
        return null;
      }
    }
  });

  commands.addCommand(CommandIDs.applyAllSafe, {
    label: 'Apply All Safe TF2 Fixes',
    caption: 'Apply every safe fix in the notebook (originals are kept for Undo)',
    isEnabled: () => controller.current() !== null,
    execute: async () => {
      const session = controller.current();
      return session ? controller.applyAllSafe(session) : 0;
    }
  });

  if (palette) {
    for (const command of [
      CommandIDs.showPanel,
      CommandIDs.migrateCell,
      CommandIDs.compareCell,
      CommandIDs.applyAllSafe,
      CommandIDs.migrateNotebook
    ]) {
      palette.addItem({ command, category: CATEGORY });
    }
  }
}
