import { nextTurn } from './engine/steps';
import type { QualityJob } from './engine/quality/model';

/**
 * Texts of a quality job on their way to the worker thread. postMessage copies a string by
 * structured clone, in one go on the sending thread: 213 ms of the server's main thread for
 * Microsoft Graph's 47 MB description (a 90 MB two-byte string), every request waiting behind
 * it. A large text is instead encoded to UTF-8 in slices, with a pause for requests between
 * slices, into a buffer that is transferred (moved, not copied); the worker decodes it.
 */
export interface EncodedText {
  spec: number;
  file: number;
  bytes: Uint8Array;
}

/** Texts shorter than this go as strings: cloning them costs less than a pause. */
export const encodedTextLength = 1 << 20;
/** Characters encoded between pauses (a few milliseconds each). */
const slice = 1 << 21;

/**
 * `job` with its large texts replaced by '' and given as UTF-8 bytes instead (with the buffers to
 * transfer). A lone surrogate becomes U+FFFD, one code unit for one: offsets stay the same.
 */
export async function encodeLargeTexts(job: QualityJob): Promise<{ job: QualityJob; encoded: EncodedText[]; transfer: ArrayBuffer[] }> {
  const encoder = new TextEncoder();
  const encoded: EncodedText[] = [];
  const specs: QualityJob['specs'] = [];
  for (const [s, spec] of job.specs.entries()) {
    const files: QualityJob['specs'][number]['files'] = [];
    for (const [f, file] of spec.files.entries()) {
      if (file.text.length < encodedTextLength) {
        files.push(file);
        continue;
      }
      const text = file.text;
      // Slice ends never split a surrogate pair; the byte length is summed slice by slice first.
      const ends: number[] = [];
      let size = 0;
      for (let start = 0; start < text.length; ) {
        let end = Math.min(text.length, start + slice);
        const last = text.charCodeAt(end - 1);
        if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
        size += Buffer.byteLength(text.slice(start, end), 'utf8');
        ends.push(end);
        start = end;
        await nextTurn();
      }
      const bytes = new Uint8Array(size);
      let at = 0;
      let start = 0;
      for (const end of ends) {
        at += encoder.encodeInto(text.slice(start, end), bytes.subarray(at)).written;
        start = end;
        await nextTurn();
      }
      encoded.push({ spec: s, file: f, bytes });
      files.push({ path: file.path, text: '' });
    }
    specs.push({ ...spec, files });
  }
  return { job: { ...job, specs }, encoded, transfer: encoded.map((e) => e.bytes.buffer as ArrayBuffer) };
}

/** The job as it was before {@link encodeLargeTexts}, in the worker. */
export function decodeTexts(job: QualityJob, encoded: readonly EncodedText[]): QualityJob {
  // ignoreBOM keeps a leading U+FEFF in the text, as the server has it (the parsers skip it themselves).
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  for (const e of encoded) job.specs[e.spec].files[e.file].text = decoder.decode(e.bytes);
  return job;
}
