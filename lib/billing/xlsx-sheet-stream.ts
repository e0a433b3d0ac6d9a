// A one-sheet XLSX workbook written while its rows are produced: the sheet's XML goes through a PassThrough into
// zip.js (Node's zlib, lib/self-backup/zip-codec.ts) and out to `out`, with back-pressure the whole way: the
// producer waits on `sheet` (drained), `sheet` is read as fast as the zip can write to `out`, `out` as fast as
// its reader takes it. So memory stays flat however many rows there are. (ExcelJS's streaming WorkbookWriter does
// not push back: its sheet buffer accepts every row at once and a million rows took 1.2 GB; bench/usage.ts.)
// Cells are numbers or inline strings; no styles, no shared strings.
import { Readable, PassThrough, Writable } from 'node:stream';
import { TextReader, ZipWriter } from '@zip.js/zip.js';
import { configureZip } from '../self-backup/zip-codec';

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

type XlsxSheetStream = {
  /** Where rows go; wait for its 'drain' when write() asked to. */
  sheet: PassThrough;
  /** Writes rows (one write for all of them). */
  rows(rows: ReadonlyArray<ReadonlyArray<string | number>>): void;
  /** Ends the sheet and the workbook; resolves when the last byte has been written to `out`. */
  end(): Promise<void>;
};

/** A, B, ..., Z, AA, AB, ... for column index 0, 1, ... */
function columnName(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** Text as XML character data: markup escaped, characters XML 1.0 does not allow dropped. */
function xmlText(v: string): string {
  return v.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttr(v: string): string {
  return xmlText(v).replace(/"/g, '&quot;');
}

export function xlsxSheetStream(out: Writable, sheetName: string): XlsxSheetStream {
  configureZip();
  const sheet = new PassThrough({ highWaterMark: 256 * 1024 });
  const zip = new ZipWriter(Writable.toWeb(out), { level: 6, keepOrder: true, dataDescriptorSignature: true });
  const names: string[] = [];
  const done = (async () => {
    await zip.add(
      '[Content_Types].xml',
      new TextReader(
        `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
          '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
      ),
    );
    await zip.add('_rels/.rels', new TextReader(`${XML}<Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`));
    await zip.add('xl/workbook.xml', new TextReader(`${XML}<workbook xmlns="${NS}" xmlns:r="${REL}"><sheets><sheet name="${escapeAttr(sheetName)}" sheetId="1" r:id="rId1"/></sheets></workbook>`));
    await zip.add('xl/_rels/workbook.xml.rels', new TextReader(`${XML}<Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`));
    await zip.add('xl/worksheets/sheet1.xml', Readable.toWeb(sheet) as ReadableStream<Uint8Array>, { zip64: true });
    await zip.close();
  })();
  // A failure is reported through `out` (destroyed by the caller); end() still rejects with it.
  done.catch(() => undefined);
  sheet.write(`${XML}<worksheet xmlns="${NS}"><sheetData>`);
  let r = 0;
  return {
    sheet,
    rows(rows) {
      let xml = '';
      for (const values of rows) {
        r++;
        xml += `<row r="${r}">`;
        for (let i = 0; i < values.length; i++) {
          const v = values[i]!;
          const ref = (names[i] ??= columnName(i)) + r;
          if (typeof v === 'number') xml += Number.isFinite(v) ? `<c r="${ref}"><v>${v}</v></c>` : '';
          else xml += `<c r="${ref}" t="inlineStr"><is><t${/^\s|\s$/.test(v) ? ' xml:space="preserve"' : ''}>${xmlText(v)}</t></is></c>`;
        }
        xml += '</row>';
      }
      sheet.write(xml);
    },
    async end() {
      sheet.end('</sheetData></worksheet>');
      await done;
    },
  };
}
