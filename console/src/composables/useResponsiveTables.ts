import { onBeforeUnmount, onMounted, type Ref } from 'vue';

/**
 * One pattern for every table of the console, without editing each page: on a phone the CSS shows each row
 * as a card (styles.css, max-width 700px) and labels each cell with `data-label`, copied here from the
 * column's heading. A MutationObserver keeps the labels right as pages render and re-render.
 *
 * It also makes every region that scrolls sideways (a wide table, a JSON block) reachable by keyboard
 * (WCAG 2.1.1): tabindex=0 and an accessible name, so a keyboard user can scroll it with the arrow keys.
 */
function labelTables(root: ParentNode): void {
  for (const table of root.querySelectorAll<HTMLTableElement>('table.table')) {
    const heads = [...table.querySelectorAll('thead th')].map((th) => th.textContent?.trim() ?? '');
    if (!heads.length) continue;
    for (const row of table.querySelectorAll<HTMLTableRowElement>('tbody tr')) {
      let col = 0;
      for (const cell of row.cells) {
        const label = cell.colSpan > 1 ? '' : (heads[col] ?? '');
        if (cell.getAttribute('data-label') !== label) cell.setAttribute('data-label', label);
        col += cell.colSpan;
      }
    }
  }
  for (const region of root.querySelectorAll<HTMLElement>('.table-wrap, pre.json')) {
    if (region.getAttribute('tabindex') === '0') continue;
    region.setAttribute('tabindex', '0');
    if (!region.hasAttribute('aria-label') && !region.hasAttribute('aria-labelledby')) {
      region.setAttribute('role', 'region');
      region.setAttribute('aria-label', regionName(region));
    }
  }
}

/** The table's caption or the nearest heading before it, so that the region is announced by what it holds. */
function regionName(region: HTMLElement): string {
  const caption = region.querySelector('caption')?.textContent?.trim();
  if (caption) return caption;
  const testid = region.querySelector('[data-testid]')?.getAttribute('data-testid');
  let el: Element | null = region;
  while (el) {
    let prev = el.previousElementSibling;
    while (prev) {
      const h = prev.matches('h1, h2, h3') ? prev : prev.querySelector('h1, h2, h3');
      if (h?.textContent?.trim()) return h.textContent.trim();
      prev = prev.previousElementSibling;
    }
    el = el.parentElement;
  }
  return testid ?? 'table';
}

export function useResponsiveTables(root: Ref<HTMLElement | null>): void {
  let observer: MutationObserver | null = null;
  let queued = false;
  const run = () => {
    queued = false;
    if (root.value) labelTables(root.value);
  };
  onMounted(() => {
    if (!root.value) return;
    run();
    observer = new MutationObserver(() => {
      if (queued) return;
      queued = true;
      queueMicrotask(run);
    });
    observer.observe(root.value, { childList: true, subtree: true, characterData: true });
  });
  onBeforeUnmount(() => observer?.disconnect());
}
