/**
 * Reads the e-mails the test SMTP receiver gets: the MIME tree nodemailer writes (text and HTML
 * alternatives, attachments) and the CSV attachments in it.
 */
export interface Part {
  headers: Record<string, string>;
  body: string;
}

export interface Mail {
  headers: Record<string, string>;
  text: string;
  html: string;
  attachments: { filename: string; content: string }[];
}

/** Headers (unfolded, names lower-cased) and body of one MIME entity. */
export function splitEntity(raw: string): Part {
  const end = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, end).replace(/\r\n[ \t]+/g, ' ');
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body: raw.slice(end + 4) };
}

export function decode(part: Part): string {
  const encoding = (part.headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  if (encoding === 'base64') return Buffer.from(part.body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') {
    const bytes = part.body
      .replace(/=\r\n/g, '')
      .replace(/=([0-9A-F]{2})/gi, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return part.body;
}

/** Walks the multipart tree nodemailer writes: the text and HTML alternatives and the attachments. */
export function parseMail(raw: string): Mail {
  const mail: Mail = { headers: splitEntity(raw).headers, text: '', html: '', attachments: [] };
  const visit = (entity: Part) => {
    const type = entity.headers['content-type'] ?? 'text/plain';
    const boundary = /boundary="?([^";]+)"?/.exec(type)?.[1];
    if (type.startsWith('multipart/') && boundary) {
      const pieces = entity.body.split(`--${boundary}`).slice(1, -1);
      for (const piece of pieces) visit(splitEntity(piece.replace(/^\r\n/, '')));
      return;
    }
    const filename = /filename="?([^";]+)"?/.exec(entity.headers['content-disposition'] ?? '')?.[1];
    if (filename) mail.attachments.push({ filename, content: decode(entity) });
    else if (type.startsWith('text/html')) mail.html = decode(entity);
    else mail.text = decode(entity);
  };
  visit(splitEntity(raw));
  return mail;
}

/** Minimal RFC 4180 reader (quoted cells, doubled quotes, CRLF lines). */
export function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const character = text[index];
    if (quoted) {
      if (character === '"' && text[index + 1] === '"') {
        cell += '"';
        index++;
      } else if (character === '"') quoted = false;
      else cell += character;
    } else if (character === '"') quoted = true;
    else if (character === ',') {
      row.push(cell);
      cell = '';
    } else if (character === '\r' && text[index + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      index++;
    } else cell += character;
  }
  const [header, ...body] = rows;
  return body.map((cells) => Object.fromEntries(header.map((column, index) => [column, cells[index]])));
}
