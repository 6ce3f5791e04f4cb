import { ref } from 'vue';

/** A short confirmation message that announces itself to screen readers and fades after a while. */
export function useFlash(ms = 6000) {
  const message = ref<string | null>(null);
  let timer: ReturnType<typeof setTimeout> | undefined;
  function show(text: string): void {
    message.value = text;
    clearTimeout(timer);
    timer = setTimeout(() => (message.value = null), ms);
  }
  return { message, show };
}
