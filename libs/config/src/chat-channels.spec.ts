import { chatChannelsSchema } from './chat-channels';

describe('chatChannelsSchema', () => {
  it('reads a JSON list of channels, none when unset', () => {
    const sut = chatChannelsSchema.parse(
      JSON.stringify([
        { name: 'ops', format: 'slack', url: 'https://hooks.slack.com/services/T/B/X', severities: ['critical'] },
        {
          name: 'north',
          format: 'teams',
          url: 'https://example.webhook.office.com/x',
          locations: ['north'],
          quietHours: { start: '22:00', end: '07:00', timeZone: 'Europe/London' },
        },
      ]),
    );
    expect(sut.map((channel) => [channel.name, channel.format])).toEqual([
      ['ops', 'slack'],
      ['north', 'teams'],
    ]);
    expect(chatChannelsSchema.parse(undefined)).toEqual([]);
    expect(
      chatChannelsSchema.parse(
        '[{"name":"pager","format":"sms","phoneNumbers":["+447700900123"],"region":"eu-west-2"}]',
      ),
    ).toEqual([{ name: 'pager', format: 'sms', phoneNumbers: ['+447700900123'], region: 'eu-west-2' }]);
  });

  it('names what is wrong: bad JSON, a bad field, a repeated name', () => {
    const problem = (text: string) => {
      const result = chatChannelsSchema.safeParse(text);
      return result.success ? null : result.error.issues[0].message;
    };
    expect(problem('[{')).toBe('must be a JSON array of channels');
    expect(problem('[{"name":"a","format":"irc","url":"http://x"}]')).toMatch(/^0\.format: /);
    expect(problem('[{"name":"a","format":"sms","phoneNumbers":["07700 900123"]}]')).toBe(
      '0.phoneNumbers.0: must be an E.164 number like +447700900123',
    );
    expect(
      problem(
        '[{"name":"a","format":"slack","url":"http://x","quietHours":{"start":"25:00","end":"07:00","timeZone":"UTC"}}]',
      ),
    ).toBe('0.quietHours.start: must be a time like 22:00');
    expect(
      problem('[{"name":"a","format":"slack","url":"http://x"},{"name":"a","format":"teams","url":"http://y"}]'),
    ).toBe('channel names must be unique');
  });
});
