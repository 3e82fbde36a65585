// @ts-check
/**
 * Jest's own order (failed first, then the slowest by the durations Jest cached, then the
 * biggest file), with files marked `@slow` in their header docblock moved to the front. On a
 * fresh clone (CI) Jest has no durations and orders by file size, so a short file that runs
 * for minutes (a deploy rehearsal, an idle keep-alive connection) would start last and be the
 * suite's tail while the other worker idles. Used by every integration config (jest.shared.js).
 */
const fs = require('node:fs');
const Sequencer = require('@jest/test-sequencer').default;

/**
 * Whether the file's first docblock (its opening comment) says `@slow`.
 * @param {string} file
 */
function markedSlow(file) {
  const head = fs.readFileSync(file, 'utf8').slice(0, 4096);
  const docblock = /^\s*\/\*\*([\s\S]*?)\*\//.exec(head);
  return docblock !== null && /^\s*\*\s*@slow\b/m.test(docblock[1]);
}

class SlowFirstSequencer extends Sequencer {
  /**
   * @override
   * @param {import('@jest/test-result').Test[]} tests
   */
  async sort(tests) {
    const sorted = await super.sort(tests);
    const slow = sorted.filter((test) => markedSlow(test.path));
    return [...slow, ...sorted.filter((test) => !slow.includes(test))];
  }
}

module.exports = SlowFirstSequencer;
