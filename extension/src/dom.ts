/**
 * A tiny DOM builder. The panel, hovers and the compare table are plain DOM:
 * every text goes in through `textContent`, so messages and code from the
 * server or the kernel can never inject markup.
 */
export type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: { [name: string]: string | undefined } = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined) {
      element.setAttribute(name, value);
    }
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    element.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return element;
}

/** A link that opens outside JupyterLab, without giving the page access to the opener. */
export function externalLink(href: string, text: string, className?: string): HTMLAnchorElement {
  return h('a', { href, target: '_blank', rel: 'noopener noreferrer', class: className }, text);
}

/** Render `text` with `backticked` parts as inline code. */
export function withInlineCode(text: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  text.split(/(`[^`]+`)/).forEach(part => {
    if (part.length > 2 && part.startsWith('`') && part.endsWith('`')) {
      fragment.append(h('code', {}, part.slice(1, -1)));
    } else if (part) {
      fragment.append(document.createTextNode(part));
    }
  });
  return fragment;
}
