/**
 * A minimal POSIX ustar writer and reader (regular files and their folders only), so `--tar` needs no
 * package: any `tar -xf` reads what this writes. Paths longer than 100 bytes use the ustar prefix field.
 */
const BLOCK = 512;

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, '0') + '\0';
}

function header(name: string, size: number, type: '0' | '5', mtime: number): Buffer {
  const h = Buffer.alloc(BLOCK);
  let prefix = '';
  let base = name;
  if (Buffer.byteLength(name) > 100) {
    const cut = name.lastIndexOf('/', 155);
    prefix = name.slice(0, cut);
    base = name.slice(cut + 1);
  }
  if (Buffer.byteLength(base) > 100 || Buffer.byteLength(prefix) > 155)
    throw new Error(`path too long for tar: ${name}`);
  h.write(base, 0, 'utf8');
  h.write(octal(type === '5' ? 0o755 : 0o644, 8), 100, 'ascii');
  h.write(octal(0, 8), 108, 'ascii');
  h.write(octal(0, 8), 116, 'ascii');
  h.write(octal(size, 12), 124, 'ascii');
  h.write(octal(mtime, 12), 136, 'ascii');
  h.write('        ', 148, 'ascii');
  h.write(type, 156, 'ascii');
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  h.write(prefix, 345, 'utf8');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(octal(sum, 7) + ' ', 148, 'ascii');
  return h;
}

/** The tar bytes of `files` (relative path → content) under the top folder `root`. */
export function tarBytes(
  root: string,
  files: Map<string, Buffer | string>,
  mtime = Math.floor(Date.now() / 1000),
): Buffer {
  const parts: Buffer[] = [];
  const folders = new Set<string>([root]);
  for (const path of [...files.keys()].sort()) {
    const segments = path.split('/');
    for (let i = 1; i < segments.length; i++) folders.add(`${root}/${segments.slice(0, i).join('/')}`);
  }
  for (const folder of [...folders].sort()) parts.push(header(`${folder}/`, 0, '5', mtime));
  for (const path of [...files.keys()].sort()) {
    const body = Buffer.from(files.get(path)!);
    parts.push(
      header(`${root}/${path}`, body.length, '0', mtime),
      body,
      Buffer.alloc((BLOCK - (body.length % BLOCK)) % BLOCK),
    );
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}

const field = (h: Buffer, at: number, len: number): string =>
  h
    .subarray(at, at + len)
    .toString('utf8')
    .replace(/\0.*$/s, '');

/** The regular files of a tar (path relative to its single top folder → content). */
export function untar(bytes: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (let at = 0; at + BLOCK <= bytes.length;) {
    const h = bytes.subarray(at, at + BLOCK);
    if (h.every((b) => b === 0)) break;
    const prefix = field(h, 345, 155);
    const name = prefix ? `${prefix}/${field(h, 0, 100)}` : field(h, 0, 100);
    const size = parseInt(field(h, 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(h[156] || 48);
    at += BLOCK;
    if (type === '0') files.set(name.replace(/^[^/]+\//, ''), Buffer.from(bytes.subarray(at, at + size)));
    at += Math.ceil(size / BLOCK) * BLOCK;
  }
  return files;
}
