import { ServerConnection } from '@jupyterlab/services';
import { Widget } from '@lumino/widgets';

import { requestAPI } from './request';
import { IVersionResponse, STATUS_WIDGET_ID } from './tokens';

/** A one-line status item saying whether the server extension answers. */
export function createStatusWidget(): Widget {
  const widget = new Widget();
  widget.id = STATUS_WIDGET_ID;
  widget.addClass('tf2m-status');
  widget.node.textContent = 'tf2-migrate …';
  return widget;
}

/**
 * Ask the server for its version and show the outcome.
 *
 * A failure is shown rather than thrown: the notebook must stay usable when
 * the server extension is missing or disabled.
 */
export async function showServerVersion(
  widget: Widget,
  serverSettings: ServerConnection.ISettings
): Promise<void> {
  try {
    const { version } = await requestAPI<IVersionResponse>(
      'version',
      serverSettings
    );
    widget.node.textContent = `tf2-migrate ${version} ready`;
    widget.node.title = 'The tf2-migrate server extension is running.';
    widget.removeClass('tf2m-status-error');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    widget.node.textContent = 'tf2-migrate: server extension unavailable';
    widget.node.title = reason;
    widget.addClass('tf2m-status-error');
  }
}
