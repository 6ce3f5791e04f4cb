import { onBeforeUnmount, onMounted } from 'vue';

/**
 * After a failed action, focus moves to its error message (WCAG 3.3.1, 2.4.3): a keyboard or screen-reader
 * user lands on the sentence that says what to do, instead of staying on a button far from it. One observer
 * for the whole console: an error sentence (`.error[role=alert]`) that appears inside a form or a dialog
 * takes the focus. Errors of a page's background loading (outside forms) do not steal it.
 */
function focusNewErrors(mutations: MutationRecord[]): void {
  for (const m of mutations) {
    for (const node of m.addedNodes) {
      if (!(node instanceof HTMLElement)) continue;
      const el = node.matches('.error[role="alert"]') ? node : node.querySelector<HTMLElement>('.error[role="alert"]');
      if (!el || !el.closest('form, [role="dialog"]')) continue;
      if (!el.hasAttribute('tabindex')) el.setAttribute('tabindex', '-1');
      el.focus();
      return;
    }
    // The same <p> re-used for a new sentence (a second failure): Vue patches its text in place.
    if (m.type === 'characterData') {
      const el = m.target.parentElement;
      if (el?.matches('.error[role="alert"]') && el.closest('form, [role="dialog"]')) {
        if (!el.hasAttribute('tabindex')) el.setAttribute('tabindex', '-1');
        el.focus();
        return;
      }
    }
  }
}

export function useFocusOnError(): void {
  let observer: MutationObserver | null = null;
  onMounted(() => {
    observer = new MutationObserver(focusNewErrors);
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
  });
  onBeforeUnmount(() => observer?.disconnect());
}
