// Folder-level import graph from dependency-cruiser's JSON: each source file is collapsed to its folder
// (a server module, a server/src or shared/ or console/src sub-folder), and the strongly connected
// components with more than one folder are the cycles between folders.

/**
 * The folder a source file belongs to, or null for files outside the checked tree (node_modules, …).
 * A file beside a folder of the same name (shared/contract.ts beside shared/contract/) is that
 * folder's entry point and belongs to it; `folders` is the set of folders that exist.
 */
function folderOf(file, folders = new Set()) {
  const p = file.replace(/\\/g, '/');
  const m = /^server\/src\/modules\/([^/]+)\//.exec(p);
  if (m) return `server/src/modules/${m[1]}`;
  for (const root of ['server/src', 'shared', 'console/src']) {
    if (!p.startsWith(`${root}/`)) continue;
    const rest = p.slice(root.length + 1);
    const slash = rest.indexOf('/');
    if (slash >= 0) return `${root}/${rest.slice(0, slash)}`;
    const barrel = `${root}/${rest.replace(/\.[cm]?[jt]s$/, '')}`;
    return folders.has(barrel) ? barrel : root;
  }
  return null;
}

/** Edges folder → folder, each with one example file import that makes it. */
export function folderEdges(cruise) {
  const edges = new Map();
  const folders = new Set(cruise.modules.map((m) => folderOf(m.source)).filter(Boolean));
  for (const mod of cruise.modules) {
    const from = folderOf(mod.source, folders);
    if (!from) continue;
    for (const dep of mod.dependencies ?? []) {
      const to = dep.resolved ? folderOf(dep.resolved, folders) : null;
      if (!to || to === from) continue;
      const key = `${from}\u0000${to}`;
      if (!edges.has(key)) edges.set(key, { from, to, via: `${mod.source} → ${dep.resolved}` });
    }
  }
  return [...edges.values()];
}

/** Strongly connected components (Tarjan) with more than one folder, each sorted, the list sorted. */
export function folderCycles(edges) {
  const next = new Map();
  for (const { from, to } of edges) {
    if (!next.has(from)) next.set(from, []);
    if (!next.has(to)) next.set(to, []);
    next.get(from).push(to);
  }
  let index = 0;
  const idx = new Map(),
    low = new Map(),
    stack = [],
    onStack = new Set(),
    out = [];
  const visit = (v) => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v)) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const comp = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1) out.push(comp.sort());
    }
  };
  for (const v of [...next.keys()].sort()) if (!idx.has(v)) visit(v);
  return out.sort((a, b) => a[0].localeCompare(b[0]));
}

/** For one component, the edges inside it (what to cut to break it). */
export function edgesWithin(edges, comp) {
  const inComp = new Set(comp);
  return edges
    .filter((e) => inComp.has(e.from) && inComp.has(e.to))
    .sort((a, b) => `${a.from}${a.to}`.localeCompare(`${b.from}${b.to}`));
}
