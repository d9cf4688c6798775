import type { FieldDetail } from '../api';
import { problemFromDetail, type Problem } from '../form/checks';

/** A report's own codes in words (the schema's shared ones as the application form says them). */
const REPORT_CODE_WORDS: Record<string, string> = {
  PDF_REQUIRED: '须上传签章的报告PDF',
  NOT_UPLOADED: '文件未上传成功或上传已过期，请重新上传',
  UNSUPPORTED_TYPE: '文件类型不支持：请上传PDF、JPEG或PNG',
  TARGET_MISSING: '请填写每项绩效目标的完成情况',
  UNKNOWN_TARGET: '不是本项目的绩效目标',
};

/** A problem the domain or the API found with the report, in words. */
export function reportProblem(detail: FieldDetail): Problem {
  if (detail.path === 'attachments' && detail.code === 'REQUIRED')
    return { path: detail.path, text: { zh: '须上传签章的报告PDF', en: detail.message } };
  if (detail.code === 'INVALID_VALUE' && /Date$/.test(detail.path))
    return { path: detail.path, text: { zh: '请填写有效日期（年-月-日）', en: detail.message } };
  const zh = REPORT_CODE_WORDS[detail.code];
  return zh ? { path: detail.path, text: { zh, en: detail.message } } : problemFromDetail(detail);
}

export { Problems } from '../form/problems';
