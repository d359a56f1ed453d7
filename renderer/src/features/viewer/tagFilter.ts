import type { TagNode } from '../../../../shared/viewer';

/** The elements matching the query (tag, keyword, VR or value), with the sequences that hold matches. */
export function filterTags(nodes: readonly TagNode[], needle: string): TagNode[] {
  if (!needle) return [...nodes];
  // A tag matches with or without its punctuation: (0010,0010), 0010,0010 or 00100010.
  const bare = needle.replace(/[(),\s]/g, '');
  const out: TagNode[] = [];
  for (const node of nodes) {
    const own =
      [node.tag, node.keyword, node.vr, node.value].some((v) => v.toLowerCase().includes(needle)) ||
      (bare !== '' && node.tag.replace(/[(),]/g, '').toLowerCase().includes(bare));
    const items = node.items?.map((item) => filterTags(item, needle)).filter((item) => item.length > 0);
    if (own) out.push(node);
    else if (items && items.length > 0) out.push({ ...node, items });
  }
  return out;
}
