// Answers are Markdown. markdown-it (a WebJar that index.html loads) only parses them; the elements are made here from
// its tokens, from a fixed set of tags and attributes. Raw HTML stays text (html: false), links keep only http(s) and
// mailto addresses, images show their description, and no string is ever parsed as HTML.

const parser = window.markdownit({ html: false, linkify: true, typographer: false });
// only addresses written out with their scheme become links: "handbook.md" is a file name, not a site in Moldova
parser.linkify.set({ fuzzyLink: false, fuzzyEmail: false });

const TAGS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'ul', 'ol', 'li', 'table', 'thead',
  'tbody', 'tr', 'th', 'td', 'em', 'strong', 's', 'code']);
const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);
/** The Markdown each shown block was built from. */
const sourceOf = new WeakMap();

/**
 * Renders {@code source} into {@code container}, one top-level block (paragraph, list, table…) per child. A block
 * whose Markdown has not changed since the last call keeps its element, so while an answer streams only its last block
 * is rebuilt: what is read, selected or hovered above stays put. {@code decorate(text)} turns a run of plain text
 * (never code or link text) into the nodes to show for it.
 */
export function renderMarkdown(container, source, decorate) {
  const lines = source.split('\n');
  const shown = [...container.children];
  const blocks = topLevelBlocks(parser.parse(source, {})).map((tokens, i) => {
    const [begin, end] = tokens[0].map || [0, 0];
    const key = lines.slice(begin, end).join('\n');
    if (shown[i] && sourceOf.get(shown[i]) === key) {
      return shown[i];
    }
    const block = element('div', build(tokens, decorate));
    block.className = 'md-block';
    sourceOf.set(block, key);
    return block;
  });
  blocks.forEach((block, i) => {
    if (!shown[i]) {
      container.append(block);
    } else if (shown[i] !== block) {
      shown[i].replaceWith(block);
    }
  });
  shown.slice(blocks.length).forEach((block) => block.remove());
}

function topLevelBlocks(tokens) {
  const blocks = [];
  let depth = 0;
  for (const token of tokens) {
    if (depth === 0) {
      blocks.push([]);
    }
    blocks[blocks.length - 1].push(token);
    depth += token.nesting;
  }
  return blocks;
}

function build(tokens, decorate) {
  const root = document.createDocumentFragment();
  const stack = [root];
  let inLink = 0;
  const walk = (list) => {
    for (const token of list) {
      const parent = stack[stack.length - 1];
      if (token.nesting === 1) {
        inLink += token.type === 'link_open' ? 1 : 0;
        stack.push(token.hidden ? parent : opened(token, parent));
      } else if (token.nesting === -1) {
        inLink -= token.type === 'link_close' ? 1 : 0;
        stack.pop();
      } else if (token.type === 'inline') {
        walk(token.children || []);
      } else if (token.type === 'text') {
        parent.append(...(inLink ? [token.content] : decorate(token.content)));
      } else if (token.type === 'fence' || token.type === 'code_block') {
        parent.append(element('pre', element('code', token.content.replace(/\n$/, ''))));
      } else if (token.type === 'softbreak' || token.type === 'hardbreak') {
        parent.append(element('br'));
      } else if (token.type === 'hr') {
        parent.append(element('hr'));
      } else {
        // code_inline as code; an image as its description; anything else (html_* cannot occur) as its text
        parent.append(token.type === 'code_inline' ? element('code', token.content) : token.content);
      }
    }
  };
  walk(tokens);
  return root;
}

/** The element for an opening token, appended to {@code parent}; children go into what this returns. */
function opened(token, parent) {
  if (token.type === 'link_open') {
    const href = safeHref(token.attrGet('href'));
    const link = href ? element('a') : element('span');
    if (href) {
      link.href = href;
      link.target = '_blank';
      link.rel = 'noopener noreferrer nofollow';
    }
    parent.append(link);
    return link;
  }
  const node = element(TAGS.has(token.tag) ? token.tag : 'div');
  const start = token.attrGet('start');
  if (token.tag === 'ol' && /^\d{1,9}$/.test(start || '')) {
    node.start = Number(start);
  }
  const align = /text-align:(left|center|right)/.exec(token.attrGet('style') || '');
  if (align) {
    node.className = `align-${align[1]}`;
  }
  const scroll = token.tag === 'table' ? element('div', node) : null;
  if (scroll) {
    scroll.className = 'table-scroll';
  }
  parent.append(scroll || node);
  return node;
}

function safeHref(href) {
  try {
    const url = new URL(href, window.location.href);
    return SAFE_PROTOCOLS.has(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

function element(tag, ...children) {
  const node = document.createElement(tag);
  node.append(...children);
  return node;
}
