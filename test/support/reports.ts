import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { LOCAL_CREDENTIALS, LOCAL_FILES_BUCKET } from '@infra/local/files';
import type { Api } from './local';

/** A small PDF, as a report's signed scan. */
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

/** Forum statistics that fit the example Lingnan forum (held 2024-10-18 for two days) and pass every check. */
export const FORUM_STATISTICS = {
  startDate: '2024-10-18',
  endDate: '2024-10-19',
  offlineAttendance: 350,
  onlineAttendance: 12000,
  speakers: 12,
  papers: 34,
  mediaReports: 6,
};

/** A development report of that forum that passes every check. */
export const FORUM_DEVELOPMENT_REPORT = {
  reportTitle: '岭南论坛发展报告',
  summary: '论坛影响持续扩大。',
  recommendations: ['扩大青年学者参与'],
};

export interface ReportingUnit {
  token: string;
  applicationId: string;
}

/**
 * Uploads one file of a report as a unit's browser does: asks for a presigned PUT, then PUTs the
 * bytes with the headers it was signed with. Answers the key the report names the file by.
 */
export const uploader =
  (api: Api) =>
  async (unit: ReportingUnit, kind: string, fileName: string, contentType: string, bytes: Buffer): Promise<string> => {
    const asked = await api.request('POST', `/applications/${unit.applicationId}/reports/${kind}/attachments`, {
      token: unit.token,
      body: { fileName, contentType, size: bytes.length },
    });
    expect(asked.status).toBe(201);
    const put = await fetch(asked.body.upload.url, { method: 'PUT', headers: asked.body.upload.headers, body: bytes });
    expect(put.status).toBe(200);
    return asked.body.key as string;
  };

/** Every object of the local report-files bucket under `prefix` whose key names this application's obligation. */
export async function storedFiles(
  filesUrl: string,
  prefix: string,
  applicationId: string,
  obligationId: string,
): Promise<string[]> {
  const s3 = new S3Client({
    endpoint: filesUrl,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
  });
  try {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({ Bucket: LOCAL_FILES_BUCKET, Prefix: prefix, ContinuationToken: token }),
      );
      keys.push(...(page.Contents ?? []).map((o) => o.Key ?? ''));
      token = page.NextContinuationToken;
    } while (token);
    return keys.filter((key) => key.includes(`/${applicationId}/${obligationId}/`)).sort();
  } finally {
    s3.destroy();
  }
}
