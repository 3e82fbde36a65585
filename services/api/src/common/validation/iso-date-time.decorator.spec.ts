import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { IsoDateTime } from './iso-date-time.decorator';

class Probe {
  @IsoDateTime('at')
  at!: Date;
}

const check = (at: unknown) => {
  const probe = plainToInstance(Probe, { at });
  return { errors: validateSync(probe).length, at: probe.at };
};

describe('IsoDateTime', () => {
  it.each([
    '2026-11-26T02:00:00Z',
    '2026-11-26T02:00Z',
    '2026-11-26T02:00:00.123Z',
    '2026-11-26T03:00:00+01:00',
    '2028-02-29T00:00:00Z',
  ])('accepts %s as a Date', (value) => {
    const { errors, at } = check(value);
    expect(errors).toBe(0);
    expect(at).toBeInstanceOf(Date);
  });

  it.each([
    ['0000-01-01T00:00:00Z'],
    ['1969-12-31T23:59:59Z'],
    ['9999-12-31T20:00:00-23:00'],
    ['1970-01-01T00:30:00+01:00'],
    ['2026-02-30T00:00:00Z'],
    ['2026-13-01T00:00:00Z'],
    ['2026-11-26'],
    ['2026-11-26T02:00:00'],
    ['1'],
    [''],
    [1764122400000],
    [null],
    [{}],
    [['2026-11-26T02:00:00Z']],
  ])('refuses %p', (value) => {
    expect(check(value).errors).toBe(1);
  });
});
