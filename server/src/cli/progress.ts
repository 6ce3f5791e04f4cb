/** A one-line progress bar on stderr for long CLI work; silent when stderr is not a terminal or in --json mode. */
export function progressBar(
  label: string,
  enabled = process.stderr.isTTY === true,
): (done: number, total: number) => void {
  let last = -1;
  return (done, total) => {
    if (!enabled || total <= 0) return;
    const pct = Math.floor((done / total) * 100);
    if (pct === last) return;
    last = pct;
    const width = 30;
    const filled = Math.round((pct / 100) * width);
    process.stderr.write(
      `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${pct}%${done >= total ? '\n' : ''}`,
    );
  };
}
