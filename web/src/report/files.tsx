import { ATTACHMENT_RULES } from '@shared/domain/obligations/report-files';
import type { Problem } from '../form/checks';
import { useText } from '../i18n';
import { Problems } from './problems';
import type { Upload } from './upload';

const MB = ATTACHMENT_RULES.maxBytes / 1024 / 1024;

/** The file input: what may be attached, and what is wrong with the files attached. */
export function FilesField({ problems, onFile }: { problems: readonly Problem[]; onFile: (file: File) => void }) {
  const { t } = useText();
  return (
    <div class="field">
      <label for="r-files">
        {t(
          '附件：签章的报告PDF（必传），可附照片（JPEG、PNG）',
          'Files: the signed report as a PDF (required); photos (JPEG, PNG) may follow',
        )}
      </label>
      <p class="hint" id="r-files-rules">
        {t(
          `每个文件不超过${MB}MB，最多${ATTACHMENT_RULES.maxFiles}个。`,
          `Each file up to ${MB} MB, at most ${ATTACHMENT_RULES.maxFiles}.`,
        )}
      </p>
      <input
        id="r-files"
        type="file"
        multiple
        accept={[...ATTACHMENT_RULES.contentTypes, '.pdf', '.jpg', '.jpeg', '.png'].join(',')}
        aria-describedby={['r-files-rules', problems.length ? 'r-files-problems' : ''].filter(Boolean).join(' ')}
        aria-invalid={problems.length ? 'true' : undefined}
        onChange={(e) => {
          const input = e.target as HTMLInputElement;
          for (const file of Array.from(input.files ?? [])) onFile(file);
          input.value = '';
        }}
      />
      <Problems id="r-files-problems" problems={problems} />
    </div>
  );
}

/** The files chosen, each with its progress and, once it is no longer on its way, a button to remove it. */
export function UploadList({ uploads, onRemove }: { uploads: readonly Upload[]; onRemove: (id: string) => void }) {
  const { t } = useText();
  if (!uploads.length) return null;
  return (
    <ul class="uploads" aria-label={t('已选择的文件', 'Files chosen')}>
      {uploads.map((u) => (
        <li key={u.id}>
          <label for={`up-${u.id}`}>
            {t('上传进度：', 'Upload progress: ')}
            {u.fileName}
          </label>
          <progress id={`up-${u.id}`} max={u.size || 1} value={u.loaded} />
          <UploadState upload={u} />
          {u.state !== 'asking' && u.state !== 'uploading' && (
            <button
              type="button"
              class="link"
              onClick={() => onRemove(u.id)}
              aria-label={t(`移除 ${u.fileName}`, `Remove ${u.fileName}`)}
            >
              {t('移除', 'Remove')}
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}

/** Where one upload stands, in words: read out as it changes. */
function UploadState({ upload: u }: { upload: Upload }) {
  const { t, b } = useText();
  const percent = Math.round((100 * u.loaded) / (u.size || 1));
  return (
    <span class={u.state === 'failed' ? 'upload-state failed' : 'upload-state'} aria-live="polite">
      {u.state === 'done'
        ? t('已上传', 'uploaded')
        : u.state === 'failed'
          ? b(u.problem)
          : t(`上传中 ${percent}%`, `uploading ${percent}%`)}
    </span>
  );
}
