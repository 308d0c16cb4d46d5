// Writes expect_uncased.jsonl and expect_cased.jsonl: for each test string,
// the ids and tokens the oracle (HuggingFace tokenizers@0.23.2, Node
// binding, configured as bert-base-uncased's tokenizer.json is) produces with
// vocab_uncased.txt / vocab_cased.txt, and its decoding without clean-up.
// Go tests (text/oracle_test.go) read these files; they never run Node.
//
// Run from testdata/tokenizer:  node gen_expect.js
const t = require('tokenizers');
const fs = require('fs');

// A small seeded generator (mulberry32), so the random strings are stable.
function rng(seed) {
  return () => {
    seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const tricky = [
  '', ' ', '   \t\n ', 'Hello, World!', 'Two dogs are walking, Café naïve!',
  'Café naïve résumé façade coöperate', 'ÀÉÎÕÜ àéîõü ÇÑ', 'straße STRASSE Straße', 'İstanbul ıi',
  'ΣΊΣΥΦΟΣ σίσυφος', 'Ελληνικά κείμενα', 'Привет, мир!', 'ЁЖИК ёжик', '中文字符测试', '北京是中国的首都。',
  'abc中def', '日本語のテキスト', 'ひらがな カタカナ ｶﾀｶﾅ', '한국어 텍스트', '서울은 한국의 수도입니다',
  'emoji 😀🎉👍 ok', '👍🏽 thumbs', 'family 👨‍👩‍👧 zwj', '❤️ heart with VS16', '❤ plain heart',
  'zero\u200bwidth space', 'zero\u200cwidth\u200dnon-joiner', 'soft\u00adhyphen', '\ufeffbom start',
  'ctrl\u0001\u0002\u001fchars', 'del\u007fchar', 'tab\there\nnewline\r\nend', 'vt\u000bff\u000cfs\u001cgs\u001d',
  'nbsp\u00a0space', 'ideographic\u3000space', 'en\u2002em\u2003thin\u2009space', 'line\u2028para\u2029sep',
  'nel\u0085char', 'NUL\u0000byte', 'replacement\ufffdchar', 'private\ue000use', 'lrm\u200emark rlm\u200f',
  '[CLS] literal [SEP]', 'a[SEP]b', '[cls] lowercase [sep]', '[MASK][MASK]', '[UNK]', '[PAD] x [PAD]',
  '[CLS', 'CLS]', '[[CLS]]', '[ CLS ]', 'x[MASK]y[UNK]z', '[SEP][CLS]', '[Cls]', '[MASK]ed',
  "don't can't won't I'm you're it's we've", 'e-mail@example.com http://x.org/a?b=c&d=e', '$100 + 50% ^ `tick` ~tilde |pipe',
  '\u201csmart quotes\u201d \u2018single\u2019 \u2014 dash \u2026 ellipsis', '¿Qué? ¡Sí!', '«guillemets» ‹single›',
  '3.14159 1,000,000 -42 +7', '1st 2nd 3rd', 'e\u0301 combining acute', 'a\u0308\u0301 two marks',
  'o\u0323\u0302 reorder marks', '\u1e9e capital sharp s', 'ﬁ ligature ﬀ', 'Ⅻ roman Ⅳ', '①②③ circled', 'fullwidth ＡＢＣ１２３',
  '\u0130 dotted I', '\u212a Kelvin \u2126 Ohm', 'مرحبا بالعالم', 'שלום עולם', 'สวัสดี', 'नमस्ते दुनिया',
  'Ǆ ǅ ǆ titlecase', 'ŉ apostrophe n', 'ǰ j caron', 'Ａ', '\u00b5 micro', '\u00aa\u00ba ordinals',
  '#hashtag ##double ###triple', '##', 'a##b', '＃fullwidth hash', '@@ bpe@@ joiner', '__ underscores __init__',
  'supercalifragilisticexpialidocious', 'Donaudampfschifffahrtsgesellschaftskapitän', 'antidisestablishmentarianism',
  'a'.repeat(99), 'a'.repeat(100), 'a'.repeat(101), 'é'.repeat(100), 'é'.repeat(101), 'ab'.repeat(50), 'ab'.repeat(51),
  'x' + '\u0301'.repeat(120), 'word ' + 'z'.repeat(150) + ' word', '中'.repeat(120), '😀'.repeat(101),
  '𝐀𝐁𝐂 math bold', '𠀀𠀁 ext B', '\u{2b820} \u{2b920} CJK ext E/F boundary', '\u{1f970}\u{1fae0} newer emoji',
  'Ⓐ circled latin', 'ß ẞ ß', 'ς final sigma ΟΔΟΣ', 'Ω ω Ωmega', 'ﬃ', '\u0345 ypogegrammeni',
  'A man in a blue shirt is standing on a ladder cleaning a window.',
];

// Random strings drawn from a mixed alphabet, seeded.
const alphabet = [
  ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
  ...' \t\n.,;:!?\'"()[]{}<>-_#@$%^&*+=/\\|~`',
  ...'éèêëáàâäóòôöúùûüíìîïñçßÉÀÖÜÑ', '\u0301', '\u0308', '\u0327',
  ...'中文字测试北京日本語', ...'ひらがなカタカナ', ...'한국어', ...'αβγδΣΩ', ...'жизнь',
  '😀', '🎉', '👍', '\u200b', '\u200d', '\u00ad', '\ufeff', '\u0000', '\u0001', '\u007f', '\u00a0', '\u3000', '\ufffd',
  '[CLS]', '[SEP]', '[MASK]', '[UNK]', '[PAD]', '##', '[', ']',
];
const rand = rng(20260101);
const random = [];
for (let i = 0; i < 200; i++) {
  const n = 1 + Math.floor(rand() * 40);
  let s = '';
  for (let j = 0; j < n; j++) s += alphabet[Math.floor(rand() * alphabet.length)];
  random.push(s);
}

// Real sentences from the shared data sets (one field per line).
function firstLines(file, n, field) {
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l);
  return lines.slice(0, n).map((l) => JSON.parse(l)[field]);
}
const shared = '../../../shared/data/';
const real = [
  ...firstLines(shared + 'multi30k_de_en/valid.jsonl', 60, 'src'),
  ...firstLines(shared + 'multi30k_de_en/valid.jsonl', 60, 'trg'),
  ...firstLines(shared + 'qqp/valid.jsonl', 60, 'src'),
  ...firstLines(shared + 'iwslt14_de_en/valid.jsonl', 30, 'src'),
  ...firstLines(shared + 'commonsense_conversation/train.jsonl', 10, 'trg'),
];

const cases = [...tricky.map((s) => ['tricky', s]), ...random.map((s) => ['random', s]), ...real.map((s) => ['real', s])];

async function build(vocab, lower) {
  const model = await t.WordPiece.fromFile(vocab, { unkToken: '[UNK]' });
  const tok = new t.Tokenizer(model);
  tok.setNormalizer(t.bertNormalizer({ cleanText: true, handleChineseChars: true, stripAccents: lower, lowercase: lower }));
  tok.setPreTokenizer(t.bertPreTokenizer());
  const id = (s) => tok.tokenToId(s);
  tok.setPostProcessor(t.bertProcessing(['[SEP]', id('[SEP]')], ['[CLS]', id('[CLS]')]));
  // bert-base-uncased's tokenizer.json declares its five special tokens as
  // added tokens (normalized: false), so they are matched in the raw text.
  tok.addSpecialTokens(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']);
  tok.setDecoder(t.wordPieceDecoder('##', false));
  return tok;
}

(async () => {
  for (const [name, lower] of [['uncased', true], ['cased', false]]) {
    const tok = await build(`vocab_${name}.txt`, lower);
    const out = [];
    for (const [kind, text] of cases) {
      const e = await tok.encode(text);
      const ids = e.getIds();
      out.push(JSON.stringify({ kind, text, ids, tokens: e.getTokens(), decoded: await tok.decode(ids, false) }));
    }
    fs.writeFileSync(`expect_${name}.jsonl`, out.join('\n') + '\n');
    console.log(name, out.length, 'cases');
  }
})();
