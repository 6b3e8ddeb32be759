#!/usr/bin/env node
// After tsc: copies what the compiled app reads at run time (templates, data, styles, and the
// browser scripts in platform/public) into dist/.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const wanted = /\.(njk|json|css|md)$|^platform\/public\/.*\.js$/;

function copy(dir) {
  for (const entry of fs.readdirSync(path.join(root, 'src', dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) copy(rel);
    else if (wanted.test(entry.name) || wanted.test(rel.split(path.sep).join('/'))) {
      fs.mkdirSync(path.join(root, 'dist', dir), { recursive: true });
      fs.copyFileSync(path.join(root, 'src', rel), path.join(root, 'dist', rel));
    }
  }
}
copy('.');
