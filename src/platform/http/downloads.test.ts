import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contentDisposition } from './downloads.ts';

const contentDispositionAttachmentUnlessTitle =
  'Content-Disposition: an attachment unless shown inline, with an ASCII name and the UTF-8 name (RFC 6266, RFC 8187)';
test(contentDispositionAttachmentUnlessTitle, () => {
  const cases: Array<[string, boolean, string]> = [
    ['plan.docx', false, `attachment; filename="plan.docx"; filename*=UTF-8''plan.docx`],
    ['board report.html', true, `inline; filename="board report.html"; filename*=UTF-8''board%20report.html`],
    [
      'Rapport d’été.pdf',
      false,
      `attachment; filename="Rapport d_ete.pdf"; filename*=UTF-8''Rapport%20d%E2%80%99%C3%A9t%C3%A9.pdf`,
    ],
    ['a"b;c%d\\e.pdf', false, `attachment; filename="a_b_c_d_e.pdf"; filename*=UTF-8''a%22b%3Bc%25d%5Ce.pdf`],
    ["it's (1).pdf", false, `attachment; filename="it's (1).pdf"; filename*=UTF-8''it%27s%20%281%29.pdf`],
  ];
  for (const [name, inline, expected] of cases) assert.equal(contentDisposition(name, { inline }), expected, name);
});
