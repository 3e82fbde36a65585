import { flattenValidationErrors } from './validation-pipe';

describe('flattenValidationErrors', () => {
  it('lists each field with its messages, nested fields dotted', () => {
    expect(
      flattenValidationErrors([
        { property: 'email', constraints: { isEmail: 'email must be a valid email address' }, children: [] },
        {
          property: 'scopes',
          children: [{ property: 'roles', constraints: { isArray: 'roles must be an array' }, children: [] }],
        },
        { property: '', constraints: { unknownValue: 'an unknown value was passed' } },
      ]),
    ).toEqual([
      { field: 'email', errors: ['email must be a valid email address'] },
      { field: 'scopes.roles', errors: ['roles must be an array'] },
      { field: '(body)', errors: ['an unknown value was passed'] },
    ]);
  });
});
