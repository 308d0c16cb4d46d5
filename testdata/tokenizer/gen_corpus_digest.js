// Writes corpus_digest.json: the oracle's encodings of whole shared data
// files, as SHA-256 digests of chunks of 500 lines, so text/ can check
// every sentence of them without storing the ids. For each file, field
// (src, trg) and vocabulary (uncased, cased), the digest of a chunk is
// sha256 over one line per example: the ids joined by single spaces,
// then "\n". Go: TestWordPieceSharedCorpora in text/oracle_test.go.
//
// Run from testdata/tokenizer:  node gen_corpus_digest.js
const t = require('tokenizers');
const fs = require('fs');
const crypto = require('crypto');

const shared = '../../../shared/data/';
// [file, number of lines to use (0 = all)]
const files = [
  ['multi30k_de_en/valid.jsonl', 0],
  ['multi30k_de_en/train.jsonl', 5000],
  ['qqp/valid.jsonl', 0],
  ['iwslt14_de_en/valid.jsonl', 0],
  ['commonsense_conversation/train.jsonl', 0],
];
const CHUNK = 500;

async function build(vocab, lower) {
  const model = await t.WordPiece.fromFile(vocab, { unkToken: '[UNK]' });
  const tok = new t.Tokenizer(model);
  tok.setNormalizer(t.bertNormalizer({ cleanText: true, handleChineseChars: true, stripAccents: lower, lowercase: lower }));
  tok.setPreTokenizer(t.bertPreTokenizer());
  tok.setPostProcessor(t.bertProcessing(['[SEP]', tok.tokenToId('[SEP]')], ['[CLS]', tok.tokenToId('[CLS]')]));
  tok.addSpecialTokens(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']);
  return tok;
}

(async () => {
  const out = { chunk_lines: CHUNK, files: {} };
  const toks = { uncased: await build('vocab_uncased.txt', true), cased: await build('vocab_cased.txt', false) };
  for (const [file, limit] of files) {
    let lines = fs.readFileSync(shared + file, 'utf8').split('\n').filter((l) => l);
    if (limit) lines = lines.slice(0, limit);
    const rows = lines.map((l) => JSON.parse(l));
    const entry = { lines: rows.length };
    for (const [name, tok] of Object.entries(toks)) {
      for (const field of ['src', 'trg']) {
        const digests = [];
        for (let lo = 0; lo < rows.length; lo += CHUNK) {
          const h = crypto.createHash('sha256');
          for (const row of rows.slice(lo, lo + CHUNK)) {
            // The reference strip()s src and trg before encoding.
            const e = await tok.encode(row[field].trim());
            h.update(e.getIds().join(' ') + '\n');
          }
          digests.push(h.digest('hex'));
        }
        entry[`${name}_${field}`] = digests;
      }
    }
    out.files[file] = entry;
    console.log(file, rows.length);
  }
  fs.writeFileSync('corpus_digest.json', JSON.stringify(out, null, 1) + '\n');
})();
