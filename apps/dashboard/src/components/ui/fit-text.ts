/** A figure never shrinks below this share of its styled size (it would no longer read across a room). */
const MIN_SCALE = 0.35;

/**
 * Shrinks the element's font until its text fits its width, never cutting it: a long figure gets
 * smaller instead of an ellipsis. Fits again when the text or the width changes (the height is
 * left out: it follows the font, and watching it would loop).
 */
export function fitText(node: HTMLElement): { destroy(): void } {
  let frame = 0;
  let lastWidth = -1;

  const fit = () => {
    frame = 0;
    node.style.fontSize = '';
    const styled = parseFloat(getComputedStyle(node).fontSize);
    let size = styled;
    for (let attempt = 0; attempt < 8 && node.scrollWidth > node.clientWidth; attempt++) {
      const next = Math.max(styled * MIN_SCALE, (size * node.clientWidth) / node.scrollWidth - 0.5);
      if (next >= size) break;
      size = next;
      node.style.fontSize = `${size.toFixed(2)}px`;
    }
  };
  const schedule = () => {
    if (frame === 0) frame = requestAnimationFrame(fit);
  };

  const resize = new ResizeObserver((entries) => {
    const width = entries[entries.length - 1].contentRect.width;
    if (width === lastWidth) return;
    lastWidth = width;
    schedule();
  });
  resize.observe(node);
  const mutation = new MutationObserver(fit);
  mutation.observe(node, { childList: true, characterData: true, subtree: true });
  fit();

  return {
    destroy() {
      resize.disconnect();
      mutation.disconnect();
      if (frame !== 0) cancelAnimationFrame(frame);
    },
  };
}
