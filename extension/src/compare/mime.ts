import { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';

import { COMPARE_MIME, ICompareResult } from '../tokens';
import { renderCompareResult } from './render';

/**
 * Renders `application/vnd.tf2-migrate.compare+json` outputs (from
 * `%%tf2_compare` or `kernel_helpers.compare.compare(...)`) in notebooks, as the
 * same table the migration panel shows.
 */
class CompareRenderer extends Widget implements IRenderMime.IRenderer {
  constructor() {
    super();
    this.addClass('tf2m-compare-output');
  }

  renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const data = model.data[COMPARE_MIME] as unknown as ICompareResult;
    this.node.replaceChildren(renderCompareResult(data));
    return Promise.resolve();
  }
}

export const rendererFactory: IRenderMime.IRendererFactory = {
  // Safe: the renderer writes text only, never markup from the payload.
  safe: true,
  mimeTypes: [COMPARE_MIME],
  createRenderer: () => new CompareRenderer()
};

const extension: IRenderMime.IExtension = {
  id: 'tf2-migrate:compare-renderer',
  description: 'Renders tf2-migrate Compare results.',
  rendererFactory,
  // Ahead of text/html, which the same bundle also carries for other frontends.
  rank: 10,
  dataType: 'json'
};

export default extension;
