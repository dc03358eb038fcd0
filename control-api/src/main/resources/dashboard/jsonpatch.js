// RFC 6902 JSON Patch applied to a plain JSON value (RFC 6901 pointers). Returns a new document;
// throws an Error naming the operation that does not apply, so the caller can resynchronize.

export function applyPatch(document, patch) {
  let root = structuredClone(document);
  patch.forEach((operation, index) => {
    try {
      root = apply(root, operation);
    } catch (e) {
      throw new Error(`patch operation ${index} (${operation.op} ${operation.path}): ${e.message}`);
    }
  });
  return root;
}

function apply(root, { op, path, from, value }) {
  switch (op) {
    case 'add': return add(root, tokens(path), structuredClone(value));
    case 'remove': return remove(root, tokens(path)).root;
    case 'replace': {
      const at = tokens(path);
      get(root, at); // must exist
      return add(remove(root, at).root, at, structuredClone(value));
    }
    case 'move': {
      const taken = remove(root, tokens(from));
      return add(taken.root, tokens(path), taken.value);
    }
    case 'copy': return add(root, tokens(path), structuredClone(get(root, tokens(from))));
    case 'test':
      if (JSON.stringify(get(root, tokens(path))) !== JSON.stringify(value)) throw new Error('test failed');
      return root;
    default: throw new Error(`unknown op '${op}'`);
  }
}

export function tokens(pointer) {
  if (pointer === '') return [];
  if (typeof pointer !== 'string' || pointer[0] !== '/') throw new Error(`bad pointer '${pointer}'`);
  return pointer.slice(1).split('/').map(t => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function get(root, path) {
  let node = root;
  for (const key of path) {
    if (Array.isArray(node)) node = node[index(key, node.length - 1)];
    else if (node !== null && typeof node === 'object' && Object.hasOwn(node, key)) node = node[key];
    else throw new Error(`no member '${key}'`);
  }
  return node;
}

function add(root, path, value) {
  if (path.length === 0) return value;
  const parent = get(root, path.slice(0, -1));
  const key = path[path.length - 1];
  if (Array.isArray(parent)) parent.splice(key === '-' ? parent.length : index(key, parent.length), 0, value);
  else if (parent !== null && typeof parent === 'object') parent[key] = value;
  else throw new Error('parent is not a container');
  return root;
}

function remove(root, path) {
  if (path.length === 0) return { root: null, value: root };
  const parent = get(root, path.slice(0, -1));
  const key = path[path.length - 1];
  if (Array.isArray(parent)) return { root, value: parent.splice(index(key, parent.length - 1), 1)[0] };
  if (parent === null || typeof parent !== 'object' || !Object.hasOwn(parent, key)) throw new Error(`no member '${key}'`);
  const value = parent[key];
  delete parent[key];
  return { root, value };
}

function index(key, max) {
  if (!/^(0|[1-9][0-9]*)$/.test(key) || Number(key) > max) throw new Error(`bad array index '${key}'`);
  return Number(key);
}
