/** An email as the domain writes it (texts in shared/domain/email-texts.ts). */
export interface Email {
  to: string;
  subject: string;
  text: string;
}
