import { ATTACHMENT_RULES } from '@shared/domain/obligations/report-files';
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import type { Bilingual } from '../i18n';
import type { UploadGrant } from '../types';

/** One file chosen for a report: asking for a presigned URL, its bytes on their way, stored, or refused. */
export interface Upload {
  id: string;
  fileName: string;
  contentType: string;
  size: number;
  loaded: number;
  state: 'asking' | 'uploading' | 'done' | 'failed';
  key?: string;
  problem?: Bilingual;
}

const TYPE_BY_EXTENSION: Record<string, string> = {
  pdf: 'application/pdf',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
};
const contentTypeOf = (file: File) =>
  file.type || TYPE_BY_EXTENSION[file.name.split('.').pop()?.toLowerCase() ?? ''] || 'application/octet-stream';

/** PUTs the bytes to the presigned URL, reporting progress; resolves on S3's 200. */
function putFile(file: File, grant: UploadGrant, onProgress: (loaded: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(grant.upload.method || 'PUT', grant.upload.url);
    // The browser sets Content-Length itself (a script may not); Content-Type is signed, so it is sent as given.
    for (const [name, value] of Object.entries(grant.upload.headers))
      if (name.toLowerCase() !== 'content-length') xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => onProgress(event.loaded);
    xhr.onload = () => (xhr.status >= 200 && xhr.status < 300 ? resolve() : reject(new Error(`HTTP ${xhr.status}`)));
    xhr.onerror = () => reject(new Error('network error'));
    xhr.send(file);
  });
}

/** An upload refused before any URL was signed, in words. */
function uploadWords(code: string): string {
  if (code === 'UNSUPPORTED_TYPE') return '文件类型不支持：请上传PDF、JPEG或PNG';
  if (code === 'TOO_LARGE') return `文件过大：每个文件不超过${ATTACHMENT_RULES.maxBytes / 1024 / 1024}MB`;
  if (code === 'TOO_LONG') return '文件名过长，请改短后再上传';
  if (code === 'INVALID_VALUE') return '文件名不能含有/、\\、“..”或控制字符';
  return '文件无法上传';
}

/** Why an upload failed: the API's refusal, or the PUT's error. */
function failureText(e: unknown): Bilingual {
  const details = e instanceof ApiError ? e.details : [];
  return details.length
    ? { zh: details.map((d) => uploadWords(d.code)).join('；'), en: details.map((d) => d.message).join('; ') }
    : { zh: `上传失败：${(e as Error).message}`, en: `The upload failed: ${(e as Error).message}` };
}

/**
 * The files chosen for the report at `route`: each asks the API for a presigned URL, then PUTs its
 * bytes there with its progress. `onStart` is told when a file is chosen.
 */
export function useUploads(route: string, onStart: () => void) {
  const [uploads, setUploads] = useState<Upload[]>([]);
  const patch = (id: string, change: Partial<Upload>) =>
    setUploads((us) => us.map((u) => (u.id === id ? { ...u, ...change } : u)));

  const upload = async (file: File) => {
    const id = crypto.randomUUID();
    const entry: Upload = {
      id,
      fileName: file.name,
      contentType: contentTypeOf(file),
      size: file.size,
      loaded: 0,
      state: 'asking',
    };
    setUploads((us) => [...us, entry]);
    onStart();
    try {
      const grant = await api<UploadGrant>('POST', `${route}/attachments`, {
        body: { fileName: file.name, contentType: entry.contentType, size: file.size },
      });
      patch(id, { state: 'uploading' });
      await putFile(file, grant, (loaded) => patch(id, { loaded }));
      patch(id, { state: 'done', loaded: file.size, key: grant.key });
    } catch (e) {
      patch(id, { state: 'failed', problem: failureText(e) });
    }
  };

  return {
    uploads,
    upload,
    remove: (id: string) => setUploads((us) => us.filter((x) => x.id !== id)),
    done: uploads.filter((u) => u.state === 'done'),
    busy: uploads.some((u) => u.state === 'asking' || u.state === 'uploading'),
  };
}
