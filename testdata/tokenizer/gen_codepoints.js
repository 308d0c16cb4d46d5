// Writes codepoints_uncased.txt.gz, codepoints_cased.txt and punct.txt: how the oracle
// (HuggingFace tokenizers, npm package tokenizers@0.23.2) normalises and
// pre-tokenises every Unicode code point on its own. text/ tests compare
// text's normaliser against these files code point by code point.
//
// Line format of codepoints_*.txt:  FIRST LAST CLASS  (hex code points)
//   CLASS "=" keeps the character, "-" deletes it, "_" maps it to a space,
//   "cjk" surrounds it with spaces; otherwise CLASS is the output as
//   comma-separated hex code points (then FIRST == LAST).
// punct.txt lists FIRST LAST ranges of characters the BERT pre-tokenizer
// splits off as words of their own.
const t = require('tokenizers');
const fs = require('fs');
const zlib = require('zlib');

function classify(norm, c) {
  const s = String.fromCodePoint(c);
  const r = norm.normalizeString(s);
  if (r === s) return '=';
  if (r === '') return '-';
  if (r === ' ') return '_';
  if (r === ' ' + s + ' ') return 'cjk';
  return [...r].map((x) => x.codePointAt(0).toString(16)).join(',');
}

function writeRanges(file, fn) {
  const lines = [];
  let first = -1, last = -1, cls = null;
  const flush = () => { if (cls !== null) lines.push(`${first.toString(16)} ${last.toString(16)} ${cls}`); };
  for (let c = 0; c <= 0x10ffff; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    const k = fn(c);
    const simple = k === '=' || k === '-' || k === '_' || k === 'cjk' || k === 'p';
    if (simple && k === cls && c === last + 1) { last = c; continue; }
    flush();
    first = last = c; cls = k;
    if (!simple) { flush(); cls = null; }
  }
  flush();
  const body = lines.join('\n') + '\n';
  // The uncased table is large (one line per case or accent mapping): store it gzipped.
  fs.writeFileSync(file, file.endsWith('.gz') ? zlib.gzipSync(body, { level: 9 }) : body);
  return lines.length;
}

const opts = (lower) => ({ cleanText: true, handleChineseChars: true, stripAccents: lower, lowercase: lower });
const uncased = t.bertNormalizer(opts(true));
const cased = t.bertNormalizer(opts(false));
console.log('uncased', writeRanges('codepoints_uncased.txt.gz', (c) => classify(uncased, c)));
console.log('cased', writeRanges('codepoints_cased.txt', (c) => classify(cased, c)));

const pre = t.bertPreTokenizer();
const lines = [];
let first = -1, last = -2;
for (let c = 0; c <= 0x10ffff; c++) {
  if (c >= 0xd800 && c <= 0xdfff) continue;
  const words = pre.preTokenizeString('a' + String.fromCodePoint(c) + 'b').map((w) => w[0]);
  const isolated = words.length === 3;
  if (isolated && c === last + 1) { last = c; continue; }
  if (isolated) { if (last >= 0) lines.push(`${first.toString(16)} ${last.toString(16)}`); first = last = c; }
}
lines.push(`${first.toString(16)} ${last.toString(16)}`);
fs.writeFileSync('punct.txt', lines.join('\n') + '\n');
console.log('punct', lines.length);
