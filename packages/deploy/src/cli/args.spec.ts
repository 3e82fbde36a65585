import { parseArgs } from './args';

describe('deploy CLI options', () => {
  const spec = { flags: ['--short'], values: ['--from', '--workdir'] };

  it('reads flags and values given as --name=value or --name value', () => {
    const { flags, values } = parseArgs(['--short', '--from=HEAD~2', '--workdir', '/tmp/w'], spec);
    expect([...flags]).toEqual(['--short']);
    expect(values.get('--from')).toEqual(['HEAD~2']);
    expect(values.get('--workdir')).toEqual(['/tmp/w']);
  });

  it('refuses unknown options, missing values and repeats', () => {
    expect(() => parseArgs(['--frobnicate'], spec)).toThrow('unknown option --frobnicate');
    expect(() => parseArgs(['--from'], spec)).toThrow('--from needs a value');
    expect(() => parseArgs(['--from', '--short'], spec)).toThrow('--from needs a value');
    expect(() => parseArgs(['--from=a', '--from=b'], spec)).toThrow('--from given twice');
    expect(() => parseArgs(['--short=yes'], spec)).toThrow('unknown option --short=yes');
  });
});
