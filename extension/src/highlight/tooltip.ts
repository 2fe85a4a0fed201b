import { externalLink, h, withInlineCode } from '../dom';
import { IFinding } from '../tokens';

const GUIDE_LABEL = 'Migration guide';

/** The hover card of one or more findings on the same text. */
export function renderTooltip(findings: IFinding[]): HTMLElement {
  return h(
    'div',
    { class: 'tf2m-tooltip' },
    ...findings.map(finding =>
      h(
        'div',
        { class: 'tf2m-tooltip-finding', 'data-tf2m-code': finding.code },
        h(
          'div',
          { class: 'tf2m-tooltip-header' },
          h('span', { class: 'tf2m-code' }, finding.code),
          h(
            'span',
            { class: `tf2m-chip tf2m-chip-${finding.applicability}` },
            applicabilityLabel(finding)
          )
        ),
        h('div', { class: 'tf2m-tooltip-message' }, withInlineCode(finding.message)),
        finding.replacement !== null && finding.replacement !== ''
          ? h(
              'div',
              { class: 'tf2m-tooltip-replacement' },
              'Proposed: ',
              h('code', {}, finding.replacement)
            )
          : null,
        externalLink(finding.doc, GUIDE_LABEL, 'tf2m-tooltip-doc')
      )
    )
  );
}

export function applicabilityLabel(finding: IFinding): string {
  switch (finding.applicability) {
    case 'safe':
      return finding.fixable ? 'safe fix' : 'safe';
    case 'unsafe':
      return finding.fixable ? 'unsafe fix' : 'unsafe';
    default:
      return 'manual';
  }
}
